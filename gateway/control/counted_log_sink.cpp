#include "control/counted_log_sink.hpp"

#include <cerrno>
#include <cstring>

#include "hypertick/base/assert.hpp"

namespace hypertick::gw {

counted_log_sink::counted_log_sink() : file_(stdout), where_("standard output") {}

counted_log_sink::counted_log_sink(const std::string& path)
    : owned_(true), where_("logging.file \"" + path + "\"") {
    file_ = std::fopen(path.c_str(), "ab");
    if (file_ == nullptr) open_error_ = std::strerror(errno);
}

counted_log_sink::~counted_log_sink() {
    if (owned_ && file_ != nullptr) std::fclose(file_);
}

std::string counted_log_sink::loss_text() const {
    const std::uint64_t lost = lost_.load();
    if (lost == 0) return {};
    return where_ + ": write failed (" + std::strerror(first_errno_.load()) +
           "): " + std::to_string(lost) + " of " + std::to_string(lost + written_.load()) +
           " log line(s) lost";
}

void counted_log_sink::sink_it_(const spdlog::details::log_msg& msg) {
    HT_ASSERT(file_ != nullptr);
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    // Flushed with every line: a line is lost when either step fails, and the errno of the
    // first failure names the cause (ENOSPC, EPIPE, EIO).
    errno = 0;
    const bool whole = std::fwrite(line.data(), 1, line.size(), file_) == line.size();
    const bool flushed = std::fflush(file_) == 0;
    if (whole && flushed) {
        written_.fetch_add(1);
        return;
    }
    int expected = 0;
    first_errno_.compare_exchange_strong(expected, errno != 0 ? errno : EIO);
    lost_.fetch_add(1);
}

void counted_log_sink::flush_() {
    if (file_ != nullptr) std::fflush(file_);  // each line was flushed as it was written
}

}  // namespace hypertick::gw
