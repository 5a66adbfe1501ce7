#include "log_selection.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "hypertick/stats/format_error.hpp"
#include "hypertick/stats/hlog_reader.hpp"

namespace hdr_report {

using hypertick::stats::histogram;

void merge_into(std::optional<histogram>& total, const histogram& h, std::size_t line_number) {
    if (total && total->total_count() > UINT64_MAX - h.total_count())
        throw hypertick::stats::format_error(
            "line " + std::to_string(line_number) +
            ": the selected intervals' counts sum past 2^64 - 1; select fewer (--tag, --start, "
            "--end)");
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

std::optional<double> wall_time_s(double start_s, std::optional<double> base_time_s,
                                  std::optional<double> start_time_s) {
    constexpr double year_s = 365.25 * 24 * 3600;
    if (base_time_s) return *base_time_s + start_s;
    if (start_s >= year_s) return start_s;
    if (start_time_s) return *start_time_s + start_s;
    return std::nullopt;
}

log_selection read_selection(std::istream& in, const report_options& options) {
    log_selection selection;
    std::map<std::string, std::optional<histogram>> merged;
    hypertick::stats::hlog_reader reader(in);
    while (auto interval = reader.next()) {
        if (!options.tags.empty() && std::find(options.tags.begin(), options.tags.end(),
                                               interval->tag) == options.tags.end())
            continue;
        if (interval->start_s < options.start_s || interval->start_s > options.end_s) continue;
        const histogram& h = interval->values;
        selection.intervals.push_back(
            {interval->tag, interval->start_s,
             wall_time_s(interval->start_s, reader.base_time_s(), reader.start_time_s()),
             interval->length_s, h.total_count(), h.value_at_percentile(50.0),
             h.value_at_percentile(99.0), h.value_at_percentile(99.9), h.max()});
        merge_into(merged[interval->tag], h, interval->line_number);
        ++selection.intervals_by_tag[interval->tag];
        if (options.merge_all) merge_into(selection.all, h, interval->line_number);
    }
    for (auto& [tag, h] : merged) selection.by_tag.emplace(tag, std::move(*h));
    selection.cut_line = reader.cut_line();
    return selection;
}

}  // namespace hdr_report
