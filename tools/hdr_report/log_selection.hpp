// Reads a whole .hlog once, keeps the intervals of the selected tags, and merges them: one
// histogram per tag, one for everything selected, and a row of figures per interval for the
// timeline. Only the merged histograms stay in memory, never every interval.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hypertick/stats/histogram.hpp"

namespace hdr_report {

struct interval_row {
    std::string tag;
    double start_s = 0.0;
    double length_s = 0.0;
    std::uint64_t count = 0;
    std::uint64_t p50 = 0, p99 = 0, p999 = 0, max = 0;
};

struct log_selection {
    std::map<std::string, hypertick::stats::histogram> by_tag;  // "" is the untagged lines
    std::optional<hypertick::stats::histogram> all;
    std::vector<interval_row> intervals;
};

// Adds `h` into `total`, widening `total`'s range first when `h` tracks larger values.
void merge_into(std::optional<hypertick::stats::histogram>& total, const hypertick::stats::histogram& h);

// Throws hypertick::stats::format_error ("line N: ...") for a malformed log. `tags` empty
// selects every tag.
log_selection read_selection(std::istream& in, const std::vector<std::string>& tags);

}  // namespace hdr_report
