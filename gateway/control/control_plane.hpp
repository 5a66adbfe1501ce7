// The main lcore's loop while the workers run: drains the workers' event rings into spdlog,
// prints the per-interval statistics line (and systemd STATUS), feeds the systemd watchdog,
// harvests latency intervals, and decides when to stop: SIGINT/SIGTERM, --duration, or the end
// of a replay. Then it stops the workers and waits for them.
#pragma once

#include <atomic>

#include <spdlog/logger.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "contract/worker_event.hpp"
#include "contract/worker_shared.hpp"
#include "control/latency_log.hpp"
#include "control/log_rate_limit.hpp"
#include "control/service_notifier.hpp"
#include "runtime/gateway_resources.hpp"

namespace hypertick::gw {

// SIGINT, SIGTERM and SIGHUP (a closed terminal) ask the control plane to stop (a flag; nothing
// else runs in the handler). Installed before start-up begins: a signal that arrives while EAL
// and the ports start is kept, and the run stops as soon as the control plane runs, with its
// final report and snapshot, instead of the process dying with nothing written. Only the first
// stop signal is caught: a second one of any of the three ends the process as by default.
void install_stop_signal_handlers();
double realtime_s();
double monotonic_s();

// When the control plane stops the gateway, besides SIGINT, SIGTERM and SIGHUP.
struct stop_conditions {
    bool replay_ends = false;          // a replay that is not looped: stop once the feeds go quiet
    std::optional<double> duration_s;  // --duration
};

// Every table counter summed over the workers and their feeds (contract/worker_shared.hpp).
struct counter_totals {
    std::array<std::uint64_t, std::size(worker_counter_table)> worker{};
    std::array<std::uint64_t, std::size(feed_counter_table)> feed{};
    std::uint32_t feeds = 0;
    std::uint32_t stale_feeds = 0;
};
// The per-second statistics line: every counter of the tables with its total, and its rate
// over `interval_s` for those that only grow.
std::string per_second_line(const counter_totals& now, const counter_totals& before,
                            double interval_s);

class control_plane {
  public:
    control_plane(const gateway_config& c, const stop_conditions& stop, resources& r,
                  spdlog::logger& log)
        : config_(c),
          stop_(stop),
          res_(r),
          log_(log),
          degraded_reports_(c.feeds.size()),
          gap_reports_(c.feeds.size()) {}

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
    void log_gap(const worker_event& e);
    void log_held_gaps(std::uint16_t feed);
    std::string report_interval(double elapsed_s);  // returns the STATUS= line
    bool replay_finished(double now_s);
    std::uint64_t total_rx() const;
    counter_totals read_totals() const;

    const gateway_config& config_;
    const stop_conditions stop_;
    resources& res_;
    spdlog::logger& log_;
    counter_totals last_;
    struct degraded_report {
        log_rate_limit limit{1.0};
        worker_event held_back;  // the latest report not logged yet
        bool holding = false;
    };
    std::vector<degraded_report> degraded_reports_;  // one per feed
    // Gap reports: a lossy line can open a gap with every datagram, so at most one GAP line a
    // second per feed, carrying the gaps held back since the previous one.
    struct gap_report {
        log_rate_limit limit{1.0};
        std::uint64_t gaps = 0;     // gap reports not logged yet
        std::uint64_t missing = 0;  // the messages they reported missing
        std::uint64_t first = 0;    // the first missing number of the earliest of them
    };
    std::vector<gap_report> gap_reports_;  // one per feed
    std::uint64_t last_rx_seen_ = 0;
    double last_rx_change_s_ = 0;
    double started_s_ = 0;
    const std::atomic<bool>* replay_source_done_ = nullptr;
};

}  // namespace hypertick::gw
