// The tasks each worker lcore runs on its executor (the table in docs/architecture.md).
#include <rte_mbuf.h>

#include <algorithm>
#include <chrono>

#include "worker/worker.hpp"

namespace hypertick::gw {

task<void> rx_task(worker& w, feed_pipeline& p) {
    for (;;) {
        co_await p.burst_ready.wait();
        w.process_burst(p);
        w.batch_ready_.notify_one();
    }
}

task<void> publisher_task(worker& w) {
    for (;;) {
        co_await w.batch_ready_.wait();
        if (w.batch_.size() == 0) continue;
        const std::uint32_t sent = w.publisher_.publish(&w.batch_[0], w.batch_.size(), w.now_ns());
        if (w.params_.latency != nullptr && sent != 0) {
            // Every datagram of this batch left after the oldest burst that fed it.
            std::uint64_t oldest = ~std::uint64_t{0};
            for (std::uint32_t i = 0; i < w.feed_count_; ++i)
                if (w.feeds_[i]->burst_tsc != 0) oldest = std::min(oldest, w.feeds_[i]->burst_tsc);
            const std::uint64_t now = read_tsc();
            if (oldest <= now)
                for (std::uint32_t d = 0; d < sent; ++d) w.params_.latency->rx_to_tx.record_ticks(now - oldest);
        }
        w.batch_.clear();
        for (std::uint32_t i = 0; i < w.feed_count_; ++i) w.feeds_[i]->burst_tsc = 0;
    }
}

task<void> health_task(worker& w, feed_pipeline& p) {
    const timer_settings& t = w.params_.config->timers;
    const std::uint64_t started_ns = w.now_ns();
    for (;;) {
        co_await sleep_for(std::chrono::milliseconds(t.heartbeat_ms));
        const std::uint64_t now = w.now_ns();
        const std::uint64_t last = p.seen_traffic ? p.last_datagram_ns : started_ns;
        const std::uint64_t silent_ns = now > last ? now - last : 0;
        if (!p.stale && silent_ns >= std::uint64_t{t.stale_after_ms} * 1'000'000) {
            p.stale = true;
            p.stale_since_ns = now;
            w.post(worker_event_kind::feed_stale, p.feed_index, silent_ns / 1'000'000, p.seen_traffic ? 1 : 0);
        }
    }
}

task<void> gap_alarm_task(worker& w, feed_pipeline& p) {
    for (;;) {
        co_await p.gap_opened.wait();
        if (p.pending_gaps == 0) continue;  // already reported with an earlier wake
        // Gaps opened since the last report, coalesced: the first missing number and the total.
        w.post(worker_event_kind::gap, p.feed_index, p.pending_gap_first, p.pending_gap_missing);
        p.pending_gaps = 0;
        p.pending_gap_missing = 0;
    }
}

// Arbitrated feeds: every millisecond, skips or gives up holes that waited too long, sends the
// re-requests that are due, and reports state changes (synchronized, gap_fill, given_up).
task<void> recovery_task(worker& w, feed_pipeline& p) {
    feed::RecoveryRequest requests[feed::max_outstanding_requests];
    for (;;) {
        co_await sleep_for(std::chrono::milliseconds(1));
        const std::uint32_t n = p.receiver.on_timer(w.now_ns(), requests, feed::max_outstanding_requests);
        if (n != 0) p.rerequests.send(p.receiver.stream().session(), requests, n);
        p.handler.flush();  // a skipped hole may have released held messages
        const feed::StreamState state = p.receiver.stream().state();
        if (state != p.reported_state) {
            p.reported_state = state;
            w.post(worker_event_kind::recovery_state, p.feed_index, static_cast<std::uint64_t>(state),
                   p.receiver.stream().invalid_reasons(), feed::to_string(state));
        }
        if (n != 0 || w.batch_.size() != 0) w.batch_ready_.notify_one();  // released messages' updates
    }
}

task<void> housekeeping_task(worker& w) {
    for (;;) {
        co_await sleep_for(std::chrono::milliseconds(5));
        if (w.params_.latency != nullptr) w.params_.latency->service();
        w.publish_counters();
        w.answer_book_query();
        if (w.params_.shared->stop.load(std::memory_order_acquire)) {
            w.publish_counters();
            w.executor_.stop();
        }
    }
}

// ---- the worker ----

}  // namespace hypertick::gw
