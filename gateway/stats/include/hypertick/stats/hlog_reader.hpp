// Reads HdrHistogram interval logs (.hlog) one interval at a time, so a long log never needs
// more than one decoded histogram in memory. Accepts what the Java, C and JS writers produce:
// comment lines starting '#', the legend line, blank lines, and interval lines
// `[Tag=<tag>,]<start>,<length>,<max>,<base64 histogram>`.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>

#include "hypertick/stats/histogram.hpp"

namespace hypertick::stats {

struct hlog_interval {
    std::string tag;       // empty for an untagged line
    double start_s = 0.0;  // seconds since BaseTime (or since StartTime when no BaseTime)
    double length_s = 0.0;
    double max_field = 0.0;  // the informational Interval_Max column, as written
    std::size_t line_number = 0;
    histogram values;
};

// The longest line the reader takes: the largest histogram a writer can produce (2^26 counts of
// at most 9 bytes, deflated and in base64) never comes near it, and /dev/zero or a file without
// newlines cannot make the reader hold more.
inline constexpr std::size_t hlog_max_line_bytes = std::size_t{128} << 20;

class hlog_reader {
  public:
    explicit hlog_reader(std::istream& in, std::size_t max_line_bytes = hlog_max_line_bytes)
        : in_(in), max_line_bytes_(max_line_bytes) {}

    // The next interval, or nothing at the end of the input. Throws format_error whose message
    // starts "line <n>: " and names what is wrong with that line (one longer than
    // max_line_bytes included, found once that many bytes were read).
    // A last line without its newline that does not parse is a log cut short (the writer died
    // mid-line): it ends the input instead of throwing, and cut_line() then describes it.
    std::optional<hlog_interval> next();

    [[nodiscard]] std::optional<double> start_time_s() const noexcept { return start_time_s_; }
    [[nodiscard]] std::optional<double> base_time_s() const noexcept { return base_time_s_; }
    // "line <n>: <what is wrong>" for an unterminated, unreadable last line; empty otherwise.
    [[nodiscard]] const std::string& cut_line() const noexcept { return cut_line_; }

  private:
    // The next line without its newline, at most max_line_bytes_; false at the end of the input.
    bool read_line(std::string& line);
    void read_comment(const std::string& line);
    hlog_interval parse_interval(const std::string& line) const;

    std::istream& in_;
    std::size_t max_line_bytes_;
    std::size_t line_number_ = 0;
    std::optional<double> start_time_s_;
    std::optional<double> base_time_s_;
    std::string cut_line_;
};

}  // namespace hypertick::stats
