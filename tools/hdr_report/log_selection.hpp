// Reads a whole .hlog once, keeps the intervals of the selected tags and time window, and
// merges them: one histogram per tag, optionally one for everything selected, and a row of
// figures per interval for the timeline. Only the merged histograms stay in memory, never every
// interval.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hypertick/stats/histogram.hpp"
#include "options.hpp"

namespace hdr_report {

struct interval_row {
    std::string tag;
    double start_s = 0.0;               // after the log's BaseTime, as written
    std::optional<double> wall_time_s;  // seconds since the epoch, when the log says
    double length_s = 0.0;
    std::uint64_t count = 0;
    std::uint64_t p50 = 0, p99 = 0, p999 = 0, max = 0;
};

struct log_selection {
    std::map<std::string, hypertick::stats::histogram> by_tag;  // "" is the untagged lines
    std::map<std::string, std::uint64_t> intervals_by_tag;
    std::optional<hypertick::stats::histogram> all;  // with --all only
    std::vector<interval_row> intervals;
    std::string cut_line;  // the reader's description of a cut last line, or empty
    // Intervals of the selected tags left out because their start lies outside --start/--end
    // (with the default window, those that start before BaseTime).
    std::uint64_t outside_window = 0;
};

// Adds `h` (read at `line_number`) into `total`, widening `total`'s range first when `h` tracks
// larger values. Throws format_error when the total count would pass 2^64 - 1.
void merge_into(std::optional<hypertick::stats::histogram>& total,
                const hypertick::stats::histogram& h, std::size_t line_number);

// Seconds since the epoch of an interval starting `start_s` into a log with these header
// times: BaseTime + start_s; without BaseTime, timestamps over a year are already absolute
// (HdrHistogram's rule), smaller ones count from StartTime.
std::optional<double> wall_time_s(double start_s, std::optional<double> base_time_s,
                                  std::optional<double> start_time_s);

// Throws hypertick::stats::format_error ("line N: ...") for a malformed log. Selects by
// options.tags (empty: every tag) and options.start_s/end_s; merges "all" with options.merge_all.
log_selection read_selection(std::istream& in, const report_options& options);

// How the report names a tag: "(untagged)" for the empty one. A recorded tag that reads as one of
// the report's own row names ("all", the merge of --all, and "(untagged)"), or that starts with
// a double quote, is shown in double quotes with its quotes doubled, so no tag in a log can
// pass for one of those rows.
std::string display_tag(const std::string& tag);

}  // namespace hdr_report
