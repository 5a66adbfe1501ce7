#include "control/control_plane.hpp"

#include <rte_launch.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <string_view>
#include <thread>

#include "control/log_text.hpp"
#include "hypertick/base/size_text.hpp"
#include "hypertick/book/book_counters.hpp"
#include "hypertick/book/feed_validity.hpp"

namespace hypertick::gw {
namespace {

volatile std::sig_atomic_t g_quit_signal = 0;
// The first stop signal asks for a clean stop; the handlers go back to the default at once, so a
// second one ends the process (an operator's second Ctrl-C or kill, when a start-up step blocks
// or the clean stop hangs). std::signal is async-signal-safe.
void on_signal(int signal) {
    g_quit_signal = signal;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
}

using base::kib;

}  // namespace

void install_stop_signal_handlers() {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGHUP, on_signal);
}

double realtime_s() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double monotonic_s() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void control_plane::log_event(const worker_event& e) {
    const std::string feed = e.feed < config_.feeds.size() ? feed_name(e.feed) : "?";
    switch (e.kind) {
        case worker_event_kind::worker_started:
            log_.info("lcore {}: worker running (executor memory {})", e.lcore, kib(e.a));
            break;
        case worker_event_kind::feed_stale:
            log_.warn("feed {}: STALE: no datagram for {} ms{}", feed, e.a,
                      e.b ? "" : " (nothing received yet)");
            break;
        case worker_event_kind::feed_recovered:
            log_.info("feed {}: recovered after {} ms stale", feed, e.a);
            break;
        case worker_event_kind::gap:
            log_gap(e);
            break;
        case worker_event_kind::session_started:
            log_.info("feed {}: MoldUDP64 session \"{}\"", feed,
                      printable_text({e.text, ::strnlen(e.text, sizeof e.text)}));
            break;
        case worker_event_kind::end_of_session:
            log_.info("feed {}: end of session (next expected sequence {})", feed, e.a);
            break;
        case worker_event_kind::book_degraded:
            log_book_degraded(e, false);
            break;
        case worker_event_kind::stall:
            log_.warn("lcore {}: {} task poll(s) ran over the {} us budget (longest so far {} us)",
                      e.lcore, e.b, config_.worker.stall_budget_us, e.a / 1000);
            break;
        case worker_event_kind::recovery_state:
            if (e.a == static_cast<std::uint64_t>(feed::stream_state::given_up))
                log_.error(
                    "feed {}: GIVEN UP: gap recovery {}; the feed's books are marked INVALID", feed,
                    (e.b & feed::invalid_hold_full) != 0 ? "hold window full" : "timed out");
            else
                log_.info("feed {}: recovery state {}", feed,
                          printable_text({e.text, ::strnlen(e.text, sizeof e.text)}));
            break;
        case worker_event_kind::books_invalid:
            log_.error(
                "feed {}: books INVALID ({}): they may differ from the exchange's; see "
                "docs/protocol.md",
                feed, book::invalid_reasons_text(static_cast<std::uint32_t>(e.a)));
            break;
        case worker_event_kind::worker_stopped:
            if (e.b)
                log_.info("lcore {}: worker stopped; heap calls since its loop started: {}",
                          e.lcore, e.a);
            else
                log_.info("lcore {}: worker stopped", e.lcore);
            break;
    }
}

// A full book repeats its report with every batch: one line a second per feed, each with
// the running total and the number of reports held back since the previous line.
void control_plane::log_book_degraded(const worker_event& e, bool at_exit) {
    if (e.feed >= degraded_reports_.size()) return;
    degraded_report& r = degraded_reports_[e.feed];
    if (!at_exit && !r.limit.allow(monotonic_s())) {
        r.held_back = e;
        r.holding = true;
        return;
    }
    r.holding = false;
    const std::uint64_t suppressed = r.limit.take_suppressed();
    std::string limits;
    for (const auto& [bit, key] :
         {std::pair{book::degraded_no_book, "books.max_symbols"},
          std::pair{book::degraded_orders_full, "books.max_orders"},
          std::pair{book::degraded_levels_full, "books.max_levels_per_side"}})
        if (e.b & bit) limits += (limits.empty() ? "" : ", ") + std::string(key);
    log_.error(
        "feed {}: book capacity reached: {} add(s) dropped so far ({}); affected symbols are "
        "marked degraded{}",
        feed_name(e.feed), e.a, limits,
        suppressed == 0 ? "" : " (" + std::to_string(suppressed) + " similar line(s) suppressed)");
}

void control_plane::log_gap(const worker_event& e) {
    if (e.feed >= gap_reports_.size()) return;
    gap_report& r = gap_reports_[e.feed];
    if (r.gaps++ == 0) r.first = e.a;
    r.missing += e.b;
    if (r.limit.allow(monotonic_s())) log_held_gaps(e.feed);
}

void control_plane::log_held_gaps(std::uint16_t feed) {
    gap_report& r = gap_reports_[feed];
    if (r.gaps == 0) return;
    r.limit.take_suppressed();
    log_.warn("feed {}: GAP: {} message(s) missing from sequence {}{}", feed_name(feed), r.missing,
              r.first,
              r.gaps == 1
                  ? ""
                  : " on, in " + std::to_string(r.gaps) + " gaps (at most one GAP line a second)");
    r.gaps = r.missing = r.first = 0;
}

void control_plane::drain_events() {
    for (worker_slot& s : res_.workers) {
        worker_event e;
        while (rte_ring_dequeue_elem(s.events, &e, sizeof e) == 0) log_event(e);
    }
}

std::uint64_t control_plane::total_rx() const {
    std::uint64_t rx = 0;
    for (const worker_slot& s : res_.workers)
        rx += s.shared->rx_packets.load(std::memory_order_relaxed);
    return rx;
}

counter_totals control_plane::read_totals() const {
    counter_totals t;
    constexpr auto relaxed = std::memory_order_relaxed;
    for (const worker_slot& s : res_.workers) {
        for (std::size_t c = 0; c < std::size(worker_counter_table); ++c)
            t.worker[c] += ((*s.shared).*worker_counter_table[c].field).load(relaxed);
        for (std::size_t i = 0; i < s.feeds.size(); ++i) {
            const feed_shared& f = s.shared->feeds[i];
            for (std::size_t c = 0; c < std::size(feed_counter_table); ++c)
                t.feed[c] += (f.*feed_counter_table[c].field).load(relaxed);
            t.stale_feeds += f.stale.load(relaxed);
            ++t.feeds;
        }
    }
    return t;
}

namespace {

template <class Table>
void append_counters(const Table& table, const std::uint64_t* now, const std::uint64_t* before,
                     double interval_s, std::string& line) {
    for (std::size_t c = 0; c < std::size(table); ++c) {
        line +=
            (line.empty() ? "" : " | ") + std::string(table[c].name) + " " + std::to_string(now[c]);
        if (table[c].kind != counter_kind::total) continue;
        const std::uint64_t grown = now[c] >= before[c] ? now[c] - before[c] : 0;
        line +=
            " (" +
            std::to_string(static_cast<std::uint64_t>(static_cast<double>(grown) / interval_s)) +
            "/s)";
    }
}

constexpr std::size_t feed_counter_index(std::string_view name) {
    for (std::size_t c = 0; c < std::size(feed_counter_table); ++c)
        if (feed_counter_table[c].name == name) return c;
    return std::size(feed_counter_table);
}
constexpr std::size_t messages_counter = feed_counter_index("messages");  // systemd's STATUS= rate
static_assert(messages_counter < std::size(feed_counter_table));

}  // namespace

std::string per_second_line(const counter_totals& now, const counter_totals& before,
                            double interval_s) {
    std::string line;
    append_counters(worker_counter_table, now.worker.data(), before.worker.data(), interval_s,
                    line);
    append_counters(feed_counter_table, now.feed.data(), before.feed.data(), interval_s, line);
    return line + " | stale feeds " + std::to_string(now.stale_feeds) + "/" +
           std::to_string(now.feeds);
}

std::string control_plane::report_interval(double interval_s) {
    const counter_totals now = read_totals();
    log_.info("{}", per_second_line(now, last_, interval_s));
    const double message_rate =
        static_cast<double>(now.feed[messages_counter] - last_.feed[messages_counter]) / interval_s;
    const std::string status = feed_status_line(now.feeds, now.stale_feeds, message_rate);
    last_ = now;
    return status;
}

bool control_plane::replay_finished(double now_s) {
    if (!stop_.replay_ends) return false;
    if (replay_source_done_ != nullptr && !replay_source_done_->load(std::memory_order_acquire)) {
        last_rx_change_s_ = now_s;  // the capture is still being paced in: idle counts from its end
        return false;
    }
    const std::uint64_t rx = total_rx();
    if (rx != last_rx_seen_) {
        last_rx_seen_ = rx;
        last_rx_change_s_ = now_s;
    }
    const double idle_s = config_.timers.replay_idle_ms / 1000.0;
    bool all_ended = true;
    for (const worker_slot& s : res_.workers)
        for (std::size_t i = 0; i < s.feeds.size(); ++i)
            all_ended &= s.shared->feeds[i].end_of_session.load(std::memory_order_relaxed) != 0;
    // End of session on every feed: wait briefly for the trailing end-of-session datagrams.
    if (all_ended && now_s - last_rx_change_s_ >= 0.05) return true;
    if (rx == 0) return now_s - started_s_ >= std::max(2.0, 4 * idle_s);
    return now_s - last_rx_change_s_ >= idle_s;
}

int control_plane::run(latency_log* latency, service_notifier& systemd) {
    started_s_ = last_rx_change_s_ = monotonic_s();
    double next_report = started_s_ + config_.timers.stats_interval_ms / 1000.0;
    double last_report = started_s_;
    std::string reason = "end of replay";
    for (;;) {
        drain_events();
        const double now = monotonic_s();
        if (g_quit_signal != 0) {
            reason = g_quit_signal == SIGINT   ? "SIGINT"
                     : g_quit_signal == SIGHUP ? "SIGHUP"
                                               : "SIGTERM";
            break;
        }
        if (stop_.duration_s && now - started_s_ >= *stop_.duration_s) {
            reason = "--duration reached";
            break;
        }
        if (replay_finished(now)) break;
        // Gaps held back by the one-line-a-second limit are logged once it allows, even when no
        // new gap comes to carry them.
        for (std::size_t feed = 0; feed < gap_reports_.size(); ++feed)
            if (gap_reports_[feed].gaps != 0 && gap_reports_[feed].limit.allow(now))
                log_held_gaps(static_cast<std::uint16_t>(feed));
        if (now >= next_report) {
            systemd.status(report_interval(now - last_report));
            last_report = now;
            next_report += config_.timers.stats_interval_ms / 1000.0;
        }
        for (std::uint32_t lcore : systemd.keep_alive(now))
            log_.error(
                "lcore {}: no progress since the last watchdog check: WATCHDOG=1 withheld (systemd "
                "restarts the service after WatchdogSec)",
                lcore);
        if (latency) latency->poll(realtime_s());
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    log_.info("stopping: {}", reason);
    systemd.stopping();
    for (worker_slot& s : res_.workers) s.shared->stop.store(true, std::memory_order_release);
    rte_eal_mp_wait_lcore();
    drain_events();
    for (degraded_report& r : degraded_reports_)
        if (r.holding) log_book_degraded(r.held_back, true);
    for (std::size_t feed = 0; feed < gap_reports_.size(); ++feed)
        log_held_gaps(static_cast<std::uint16_t>(feed));
    report_interval(std::max(1e-3, monotonic_s() - last_report));
    return 0;
}

}  // namespace hypertick::gw
