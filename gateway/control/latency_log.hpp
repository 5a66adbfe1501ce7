// Harvests the workers' latency recorders on the control plane: every latency.interval_ms it asks
// each recorder for its interval, encodes what the workers have handed over into the .hlog
// (HdrHistogram interval log, V2 compressed) and keeps a running total per metric for the final
// report. Workers never encode, allocate or do I/O for this.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "contract/latency_probe.hpp"
#include "hypertick/stats/histogram.hpp"
#include "hypertick/stats/hlog_writer.hpp"

namespace hypertick::gw {

class latency_log {
  public:
    struct source {
        std::uint32_t lcore;
        latency_probe* probe;
    };

    latency_log(const stats::histogram_params& params, std::vector<source> sources);

    // Opens the .hlog; false with `error` when the file cannot be written.
    bool open(const std::string& path, double start_time_s, std::string& error);
    // Called often by the control loop; does the swap/take/encode dance at the interval.
    void poll(double now_s);
    // After the workers have stopped: the last partial interval, and the file closed.
    void finish(double now_s);

    // Everything recorded so far, per metric, all lcores merged.
    [[nodiscard]] const stats::histogram& total(latency_metric m) const {
        return *totals_[static_cast<int>(m)];
    }
    [[nodiscard]] std::uint32_t intervals_written() const { return intervals_; }
    // Empty while every write succeeded; else the file, the cause and what the file still holds.
    [[nodiscard]] const std::string& write_error() const { return write_error_; }
    [[nodiscard]] std::uint64_t interval_ms() const { return interval_ms_; }
    void set_interval_ms(std::uint64_t ms) { interval_ms_ = ms; }

  private:
    void take_all(double now_s, bool workers_stopped);
    void note_write_failure(const char* when);
    [[nodiscard]] std::string tag(std::uint32_t lcore, std::size_t metric) const;

    stats::histogram_params params_;
    std::vector<source> sources_;
    std::unique_ptr<stats::histogram> totals_[latency_metric_count];
    std::ofstream file_;
    std::string path_;
    std::string write_error_;
    std::unique_ptr<stats::hlog_writer> writer_;
    double start_s_ = 0;
    double interval_start_s_ = 0;
    bool swap_requested_ = false;
    std::uint64_t interval_ms_ = 1000;
    std::uint32_t intervals_ = 0;
};

}  // namespace hypertick::gw
