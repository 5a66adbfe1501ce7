#include "control/latency_log.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace hypertick::gw {

latency_log::latency_log(const stats::histogram_params& params, std::vector<source> sources)
    : params_(params), sources_(std::move(sources)) {
    for (auto& t : totals_) t = std::make_unique<stats::histogram>(params_);
}

bool latency_log::open(const std::string& path, double start_time_s, std::string& error) {
    start_s_ = interval_start_s_ = start_time_s;
    if (path.empty()) return true;
    path_ = path;
    errno = 0;
    file_.open(path, std::ios::out | std::ios::trunc);
    if (!file_) {
        error = "cannot write the latency log \"" + path +
                "\": " + std::strerror(errno != 0 ? errno : EIO);
        return false;
    }
    errno = 0;
    writer_ = std::make_unique<stats::hlog_writer>(file_, start_time_s);  // writes the header
    note_write_failure("at start");
    return true;
}

// The stream's buffer hides which write failed: the first failure seen names the cause (errno
// of the failed write(2)) and how much of the file is left.
void latency_log::note_write_failure(const char* when) {
    const int cause = errno != 0 ? errno : EIO;
    if (!write_error_.empty() || !file_.fail()) return;
    struct stat st {};
    const std::string held =
        ::stat(path_.c_str(), &st) == 0 ? std::to_string(st.st_size) + " bytes" : "nothing";
    write_error_ = "\"" + path_ + "\": write failed " + when + ": " + std::strerror(cause) +
                   "; the file holds " + held + ": intervals from number " +
                   std::to_string(intervals_ + 1) + " on are cut or missing";
}

std::string latency_log::tag(std::uint32_t lcore, std::size_t metric) const {
    return stats::hlog_tag(lcore, latency_metric_names[metric]);
}

void latency_log::take_all(double now_s, bool workers_stopped) {
    for (const source& s : sources_) {
        for (std::size_t m = 0; m < latency_metric_count; ++m) {
            stats::interval_recorder& r = s.probe->metric(static_cast<latency_metric>(m));
            const stats::histogram* h =
                workers_stopped ? &r.active_after_worker_stopped() : r.try_take();
            if (h == nullptr) continue;  // the worker has not reached its service point yet
            totals_[m]->add(*h);
            if (writer_ && h->total_count() != 0) {
                errno = 0;
                writer_->write_interval(tag(s.lcore, m), interval_start_s_, now_s, *h);
                note_write_failure("while running");
            }
            if (!workers_stopped) r.recycle();
        }
    }
    ++intervals_;
}

void latency_log::poll(double now_s) {
    if (!swap_requested_) {
        if ((now_s - interval_start_s_) * 1000.0 < static_cast<double>(interval_ms_)) return;
        for (const source& s : sources_)
            for (std::size_t m = 0; m < latency_metric_count; ++m)
                s.probe->metric(static_cast<latency_metric>(m)).request_swap();
        swap_requested_ = true;
        return;
    }
    // Every recorder must have handed over before the interval is written as one.
    for (const source& s : sources_)
        for (std::size_t m = 0; m < latency_metric_count; ++m)
            if (s.probe->metric(static_cast<latency_metric>(m)).try_take() == nullptr) return;
    take_all(now_s, false);
    interval_start_s_ = now_s;
    swap_requested_ = false;
}

void latency_log::finish(double now_s) {
    // A swap asked for but not reached: the finished histogram is published or still active.
    if (swap_requested_) {
        for (const source& s : sources_) {
            for (std::size_t m = 0; m < latency_metric_count; ++m) {
                stats::interval_recorder& r = s.probe->metric(static_cast<latency_metric>(m));
                if (const stats::histogram* h = r.try_take()) {
                    totals_[m]->add(*h);
                    if (writer_ && h->total_count() != 0) {
                        errno = 0;
                        writer_->write_interval(tag(s.lcore, m), interval_start_s_, now_s, *h);
                        note_write_failure("at exit");
                    }
                    r.recycle();
                }
            }
        }
    }
    take_all(now_s, true);
    writer_.reset();
    if (file_.is_open()) {
        errno = 0;
        file_.close();
        note_write_failure("at exit");
    }
}

}  // namespace hypertick::gw
