// Writes HdrHistogram interval logs (.hlog, format version 1.3) that HistogramLogAnalyzer,
// HistogramLogProcessor, the JS and C libraries and tools/hdr_report read:
//
//   #[Histogram log format version 1.3]
//   #[StartTime: 1700000000.000 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]
//   #[BaseTime: 1700000000.000 (seconds since epoch)]
//   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
//   Tag=lcore1.rx_to_book,0.000,1.000,0.050,HISTFAAA...
//
// Interval start times are seconds since BaseTime; the second field is the interval's LENGTH
// (not its end); Interval_Max is informational and, like Java's writer, is the max divided by
// 10^6 (nanoseconds shown as milliseconds). Control plane only: it allocates and does I/O.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "hypertick/stats/histogram.hpp"

namespace hypertick::stats {

// True when `tag` can go after "Tag=": not empty, and no comma, whitespace or control char.
[[nodiscard]] bool valid_hlog_tag(std::string_view tag) noexcept;
// The project's tag for one (lcore, metric): "lcore<id>.<metric>", e.g. "lcore1.rx_to_book".
[[nodiscard]] std::string hlog_tag(unsigned lcore_id, std::string_view metric);

class hlog_writer {
  public:
    // `out` must outlive the writer. Writes the four header lines; `start_time_s` (seconds
    // since the epoch) becomes both StartTime and BaseTime.
    hlog_writer(std::ostream& out, double start_time_s);

    // One interval line. `start_s` and `end_s` are seconds since the epoch; `tag` must satisfy
    // valid_hlog_tag (asserted) or be empty for an untagged line. Flushes the stream so a crash
    // loses at most the interval being written.
    void write_interval(std::string_view tag, double start_s, double end_s, const histogram& h);

    [[nodiscard]] double base_time_s() const noexcept { return base_time_s_; }

  private:
    std::ostream& out_;
    double base_time_s_;
};

}  // namespace hypertick::stats
