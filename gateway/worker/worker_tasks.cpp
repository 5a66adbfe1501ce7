// The worker's tasks besides the receive path (receive_path.cpp): feed health, gap alarms,
// the recovery timers and housekeeping (the table in docs/architecture.md).
#include <algorithm>
#include <chrono>

#include "worker/worker.hpp"

namespace hypertick::gw {

task<void> worker::health_task(feed_pipeline& p) {
    const timer_settings& t = params_.config->timers;
    const std::uint64_t started_ns = now_ns();
    for (;;) {
        co_await sleep_for(std::chrono::milliseconds(t.heartbeat_ms));
        const std::uint64_t now = now_ns();
        const std::uint64_t last = p.seen_traffic ? p.last_datagram_ns : started_ns;
        const std::uint64_t silent_ns = now > last ? now - last : 0;
        if (!p.stale && silent_ns >= std::uint64_t{t.stale_after_ms} * 1'000'000) {
            p.stale = true;
            p.stale_since_ns =
                last + std::uint64_t{t.stale_after_ms} * 1'000'000;  // when it became stale
            post(worker_event_kind::feed_stale, p.feed_index, silent_ns / 1'000'000,
                 p.seen_traffic ? 1 : 0);
        }
    }
}

task<void> worker::gap_alarm_task(feed_pipeline& p) {
    for (;;) {
        co_await p.gap_opened.wait();
        if (p.pending_gaps == 0) continue;  // already reported with an earlier wake
        // Gaps opened since the last report, coalesced: the first missing number and the total.
        post(worker_event_kind::gap, p.feed_index, p.pending_gap_first, p.pending_gap_missing);
        p.pending_gaps = 0;
        p.pending_gap_missing = 0;
    }
}

// When a feed's books stop being valid, the top of every book is published again, flagged: a
// subscriber must learn it for a symbol whose top never changes again too. A bounded number of
// locates per loop turn, and only while the batch has room, so neither a loop turn nor the
// batch grows with the number of symbols; a new invalidation starts the round again.
task<void> worker::validity_task(feed_pipeline& p) {
    constexpr std::uint32_t locates_per_turn = 4096;
    constexpr std::uint32_t records_per_turn = 256;
    for (;;) {
        co_await p.books_invalidated.wait();
        while (p.republish_next < book::locate_count) {
            std::uint32_t records = 0;
            const std::uint32_t stop =
                std::min(p.republish_next + locates_per_turn, book::locate_count);
            while (p.republish_next < stop && records < records_per_turn &&
                   batch_.size() < bbo_batch_capacity) {
                const auto locate = static_cast<std::uint16_t>(p.republish_next++);
                const book::directory_entry& d = p.books.directory(locate);
                if (d.book == 0) continue;
                book::bbo_update u;
                u.sequence = p.receiver.stream().next_expected() - 1;  // the last one applied
                u.bid = p.books.top(locate, book::book_side::bid);
                u.ask = p.books.top(locate, book::book_side::ask);
                u.locate = locate;
                u.symbol = d.symbol;
                u.flags = static_cast<std::uint8_t>(
                    book::bbo_feed_invalid | (d.degraded != 0 ? book::bbo_book_degraded : 0));
                batch_.on_bbo(u);
                ++records;
            }
            if (records != 0) batch_ready_.notify_one();
            co_await yield_now();
        }
    }
}

// Arbitrated feeds: every millisecond, skips or gives up holes that waited too long, sends the
// re-requests that are due, and reports state changes (synchronized, gap_fill, given_up).
task<void> worker::recovery_task(feed_pipeline& p) {
    feed::recovery_request requests[feed::max_outstanding_requests];
    for (;;) {
        co_await sleep_for(std::chrono::milliseconds(1));
        const std::uint32_t n =
            p.receiver.on_timer(now_ns(), requests, feed::max_outstanding_requests);
        if (n != 0) p.rerequests.send(p.receiver.stream().session(), requests, n);
        p.handler.flush();               // a skipped hole may have released held messages
        (void)p.handler.take_applied();  // released late: their latency is the hole's wait,
                                         // not a burst's
        const feed::stream_state state = p.receiver.stream().state();
        if (state != p.reported_state) {
            p.reported_state = state;
            post(worker_event_kind::recovery_state, p.feed_index, static_cast<std::uint64_t>(state),
                 p.receiver.stream().invalid_reasons(), feed::to_string(state));
        }
        if (n != 0 || batch_.size() != 0) batch_ready_.notify_one();  // released messages' updates
    }
}

task<void> worker::housekeeping_task() {
    for (;;) {
        co_await sleep_for(std::chrono::milliseconds(5));
        if (params_.latency != nullptr) params_.latency->service();
        publish_counters();
        answer_book_query();
        if (params_.shared->stop.load(std::memory_order_acquire)) {
            publish_counters();
            executor_.stop();
        }
    }
}

bool worker::poll_stop(void* self) noexcept {
    auto* w = static_cast<worker*>(self);
    if (!w->params_.shared->stop.load(std::memory_order_acquire)) return false;
    w->executor_.stop();
    return true;
}

}  // namespace hypertick::gw
