#include "log_selection.hpp"

#include <algorithm>

#include "hypertick/stats/hlog_reader.hpp"

namespace hdr_report {

using hypertick::stats::histogram;

void merge_into(std::optional<histogram>& total, const histogram& h) {
    if (!total) {
        total.emplace(h.params());
    } else if (h.params().highest_trackable_value > total->params().highest_trackable_value) {
        hypertick::stats::histogram_params wider = total->params();
        wider.highest_trackable_value = h.params().highest_trackable_value;
        histogram widened(wider);
        widened.add(*total);
        total = std::move(widened);
    }
    total->add(h);
}

log_selection read_selection(std::istream& in, const std::vector<std::string>& tags) {
    log_selection selection;
    std::map<std::string, std::optional<histogram>> merged;
    hypertick::stats::hlog_reader reader(in);
    while (auto interval = reader.next()) {
        if (!tags.empty() && std::find(tags.begin(), tags.end(), interval->tag) == tags.end()) continue;
        const histogram& h = interval->values;
        selection.intervals.push_back({interval->tag, interval->start_s, interval->length_s, h.total_count(),
                                       h.value_at_percentile(50.0),
                                       h.value_at_percentile(99.0), h.value_at_percentile(99.9), h.max()});
        merge_into(merged[interval->tag], h);
        merge_into(selection.all, h);
    }
    for (auto& [tag, h] : merged) selection.by_tag.emplace(tag, std::move(*h));
    return selection;
}

}  // namespace hdr_report
