// The main lcore's loop while the workers run: drains the workers' event rings into spdlog,
// prints the per-interval statistics line (and systemd STATUS), feeds the systemd watchdog,
// harvests latency intervals, and decides when to stop: SIGINT/SIGTERM, --duration, or the end
// of a replay. Then it stops the workers and waits for them.
#pragma once

#include <atomic>

#include <spdlog/logger.h>

#include <cstdint>
#include <string>
#include <vector>

#include "app/cli_options.hpp"
#include "app/gateway_resources.hpp"
#include "config/settings.hpp"
#include "control/latency_log.hpp"
#include "control/log_rate_limit.hpp"
#include "control/service_notifier.hpp"
#include "control/worker_event.hpp"

namespace hypertick::gw {

// SIGINT and SIGTERM ask the control plane to stop (a flag; nothing else runs in the handler).
void install_stop_signal_handlers();
double realtime_s();
double monotonic_s();

class control_plane {
public:
    control_plane(const gateway_config& c, const cli_options& o, resources& r, spdlog::logger& log)
        : config_(c), options_(o), res_(r), log_(log), degraded_reports_(c.feeds.size()) {}

    // Returns when the gateway must stop, with the workers stopped and joined.
    int run(latency_log* latency, service_notifier& systemd);
    // A paced replay: the replay is over only once `done` is set (the pacer sent everything)
    // and the feeds then went idle.
    void wait_for_replay_source(const std::atomic<bool>* done) { replay_source_done_ = done; }

private:
    const std::string& feed_name(std::uint16_t i) const { return config_.feeds[i].name; }
    void drain_events();
    void log_event(const worker_event& e);
    void log_book_degraded(const worker_event& e, bool at_exit);
    std::string report_interval(double elapsed_s);  // returns the STATUS= line
    bool replay_finished(double now_s);
    std::uint64_t total_rx() const;

    const gateway_config& config_;
    const cli_options& options_;
    resources& res_;
    spdlog::logger& log_;
    struct totals {
        std::uint64_t rx = 0, messages = 0, bbo = 0, tx = 0, gaps = 0, missing = 0, malformed = 0, dups = 0, drops = 0;
    } last_;
    struct degraded_report {
        log_rate_limit limit{1.0};
        worker_event held_back;  // the latest report not logged yet
        bool holding = false;
    };
    std::vector<degraded_report> degraded_reports_;  // one per feed
    std::uint64_t last_rx_seen_ = 0;
    double last_rx_change_s_ = 0;
    double started_s_ = 0;
    const std::atomic<bool>* replay_source_done_ = nullptr;
};

}  // namespace hypertick::gw
