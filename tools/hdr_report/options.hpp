// hdr_report's command line: parsed into plain settings, or a usage_error naming the bad
// argument (main turns it into exit status 2).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hdr_report {

class usage_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct report_options {
    std::string log_path;
    std::vector<std::string> tags;  // empty: every tag
    // Intervals whose start (seconds after the log's BaseTime, the timeline's start_s) lies in
    // [start_s, end_s] are read; the others are skipped, as HistogramLogProcessor -start/-end do.
    double start_s = 0.0;
    double end_s = std::numeric_limits<double>::infinity();
    std::string unit_name = "ns";  // the values are recorded in nanoseconds
    double unit_ratio = 1.0;       // recorded value / unit_ratio = printed value
    std::uint32_t ticks_per_half_distance = 5;
    bool distribution = false;
    bool summary = false;
    bool timeline = false;
    bool list_tags = false;
    bool merge_all = false;  // also one histogram of every selected tag ("all")
    bool csv = false;
    std::optional<std::string> plot_path;
    bool log_y = false;  // the plot's latency axis in powers of ten
    bool help = false;
    bool version = false;
};

report_options parse_options(int argc, const char* const* argv);
const char* usage_text();

}  // namespace hdr_report
