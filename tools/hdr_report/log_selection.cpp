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

namespace {

// The merged histograms live until the report is printed, one per tag (and one for --all):
// their counts are bounded together, so a log of many tags cannot take the machine's memory.
constexpr std::size_t max_merged_bytes = std::size_t{1} << 30;

std::size_t counts_bytes(const std::optional<histogram>& h) {
    return h ? std::size_t{h->layout().counts_length()} * sizeof(std::uint64_t) : 0;
}

}  // namespace

std::string display_tag(const std::string& tag) {
    if (tag.empty()) return "(untagged)";
    if (tag != "all" && tag != "(untagged)" && tag.front() != '"') return tag;
    std::string quoted = "\"";
    for (const char c : tag) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

log_selection read_selection(std::istream& in, const report_options& options) {
    log_selection selection;
    std::map<std::string, std::optional<histogram>> merged;
    std::size_t merged_bytes = 0;
    auto merge_counted = [&](std::optional<histogram>& total, const histogram& h,
                             std::size_t line_number) {
        merged_bytes -= counts_bytes(total);
        merge_into(total, h, line_number);
        merged_bytes += counts_bytes(total);
        if (merged_bytes > max_merged_bytes)
            throw hypertick::stats::format_error(
                "line " + std::to_string(line_number) + ": the merged histograms of " +
                std::to_string(merged.size()) + " tags need more than " +
                std::to_string(max_merged_bytes >> 20) + " MiB; select fewer tags (--tag)");
    };
    hypertick::stats::hlog_reader reader(in);
    while (auto interval = reader.next()) {
        if (!options.tags.empty() && std::find(options.tags.begin(), options.tags.end(),
                                               interval->tag) == options.tags.end())
            continue;
        if (interval->start_s < options.start_s || interval->start_s > options.end_s) {
            ++selection.outside_window;
            continue;
        }
        const histogram& h = interval->values;
        selection.intervals.push_back(
            {interval->tag, interval->start_s,
             wall_time_s(interval->start_s, reader.base_time_s(), reader.start_time_s()),
             interval->length_s, h.total_count(), h.value_at_percentile(50.0),
             h.value_at_percentile(99.0), h.value_at_percentile(99.9), h.max()});
        merge_counted(merged[interval->tag], h, interval->line_number);
        ++selection.intervals_by_tag[interval->tag];
        if (options.merge_all) merge_counted(selection.all, h, interval->line_number);
    }
    for (auto& [tag, h] : merged) selection.by_tag.emplace(tag, std::move(*h));
    selection.cut_line = reader.cut_line();
    return selection;
}

}  // namespace hdr_report
