// The log's one sink: each line written to a FILE* (standard output or logging.file) and
// flushed, and every line the file did not take counted, so a full disk or a closed pipe under
// the log is said at exit instead of losing the lines silently (spdlog's own sinks ignore a
// failed flush, and the standard output one a failed write).
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace hypertick::gw {

class counted_log_sink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    // Standard output (not closed here).
    counted_log_sink();
    // Opens `path` to append; on failure is_open() is false and open_error() says why.
    explicit counted_log_sink(const std::string& path);
    ~counted_log_sink() override;
    counted_log_sink(const counted_log_sink&) = delete;
    counted_log_sink& operator=(const counted_log_sink&) = delete;

    [[nodiscard]] bool is_open() const { return file_ != nullptr; }
    [[nodiscard]] const std::string& open_error() const { return open_error_; }

    [[nodiscard]] std::uint64_t lines_written() const { return written_.load(); }
    [[nodiscard]] std::uint64_t lines_lost() const { return lost_.load(); }
    // Empty when no line was lost; else "WHERE: write failed (CAUSE): N of M log line(s) lost".
    [[nodiscard]] std::string loss_text() const;

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override;

  private:
    std::FILE* file_ = nullptr;
    bool owned_ = false;
    std::string where_;  // "standard output" or "logging.file \"PATH\""
    std::string open_error_;
    std::atomic<std::uint64_t> written_{0};
    std::atomic<std::uint64_t> lost_{0};
    std::atomic<int> first_errno_{0};
};

}  // namespace hypertick::gw
