// How a worker reports to the control plane without ever formatting, logging or locking: fixed
// 64-byte events on its SPSC ring, counters copied into relaxed atomics, book query answers.
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "hypertick/book/feed_validity.hpp"
#include "worker/worker.hpp"

namespace hypertick::gw {

void worker::post(worker_event_kind kind, std::uint16_t feed, std::uint64_t a, std::uint64_t b,
                  const char* text) noexcept {
    worker_event e;
    e.time_ns = now_ns();
    e.a = a;
    e.b = b;
    e.lcore = params_.lcore;
    e.feed = feed;
    e.kind = kind;
    if (text != nullptr) {
        std::size_t n = 0;
        while (n + 1 < sizeof e.text && text[n] != '\0') ++n;
        std::memcpy(e.text, text, n);
    }
    if (rte_ring_enqueue_elem(params_.events, &e, sizeof e) != 0) ++events_dropped_;
}

void worker::publish_counters() noexcept {
    worker_shared& s = *params_.shared;
    constexpr auto relaxed = std::memory_order_relaxed;
    const executor_stats& es = executor_.stats();
    s.progress.store(s.progress.load(relaxed) + 1, std::memory_order_release);
    s.loop_turns.store(es.loop_iterations, relaxed);
    s.polls.store(es.polls, relaxed);
    s.stalls.store(es.stalls, relaxed);
    s.rx_packets.store(rx_packets_, relaxed);
    s.rx_bursts.store(rx_bursts_, relaxed);
    s.tx_datagrams.store(publisher_.counters().datagrams, relaxed);
    s.tx_dropped.store(publisher_.counters().tx_dropped + publisher_.counters().no_buffers,
                       relaxed);
    s.bbo_overflowed.store(batch_.overflowed(), relaxed);
    s.events_dropped.store(events_dropped_, relaxed);
    // At most one stall report a second: the control plane logs it, the counter keeps the rest.
    if (es.stalls != stalls_reported_ &&
        executor_.now_ns() - last_stall_report_ns_ >= 1'000'000'000) {
        post(worker_event_kind::stall, 0, es.stall_max_ns, es.stalls - stalls_reported_);
        stalls_reported_ = es.stalls;
        last_stall_report_ns_ = executor_.now_ns();
    }
    for (std::uint32_t i = 0; i < feed_count_; ++i) {
        feed_pipeline& p = *feeds_[i];
        feed_shared& f = s.feeds[i];
        const feed::feed_counters& fc = p.receiver.counters();
        const auto& stream = p.receiver.stream();
        const feed::stream_counters& sc = stream.counters();
        const book::book_counters& bc = p.books.counters();
        f.frames.store(fc.frames, relaxed);
        f.datagrams.store(fc[feed::feed_event::datagram_accepted], relaxed);
        f.messages.store(sc.messages, relaxed);
        f.malformed.store(fc.malformed_total(), relaxed);
        f.filtered.store(
            fc[feed::feed_event::frame_filtered] + fc[feed::feed_event::frame_not_ipv4] +
                fc[feed::feed_event::frame_not_udp] + fc[feed::feed_event::ip_fragment],
            relaxed);
        f.unknown_types.store(fc[feed::feed_event::message_unknown_type], relaxed);
        f.duplicates.store(sc.duplicate_messages, relaxed);
        f.gaps.store(sc.gaps, relaxed);
        f.missing_messages.store(sc.missing_messages, relaxed);
        f.next_seq.store(stream.next_expected(), relaxed);
        f.bbo_updates.store(bc.bbo_updates, relaxed);
        const std::uint64_t capacity_drops =
            bc.book_pool_full + bc.order_table_full + bc.level_side_full;
        f.book_rejects.store(bc.unknown_refs + bc.duplicate_refs + capacity_drops, relaxed);
        f.live_orders.store(p.books.live_orders(), relaxed);
        const book::order_window_counters& wc = p.books.orders().window_counters();
        f.window_moved_behind.store(wc.moved_behind, relaxed);
        f.window_added_behind.store(wc.added_behind, relaxed);
        f.window_far_slides.store(wc.far_slides, relaxed);
        f.window_rebases.store(wc.rebases, relaxed);
        f.last_datagram_ns.store(p.last_datagram_ns, relaxed);
        f.stale.store(p.stale ? 1 : 0, relaxed);
        f.end_of_session.store(stream.end_of_session() ? 1 : 0, relaxed);
        for (std::uint32_t l = 0; l < feed::max_feed_lines; ++l) {
            const feed::line_counters& lc = stream.line(l);
            f.line_datagrams[l].store(lc.datagrams, relaxed);
            f.line_first_arrivals[l].store(lc.first_arrivals, relaxed);
            f.line_duplicates[l].store(lc.duplicates, relaxed);
            f.line_missed_messages[l].store(lc.missed_messages, relaxed);
            for (std::uint32_t r = 0; r < feed::line_drop_reasons; ++r)
                f.line_drops[l][r].store(lc.*feed::line_drop_counters[r].second, relaxed);
        }
        const std::uint32_t invalid = book::books_invalid_reasons(stream.invalid_reasons(), bc);
        f.stream_state.store(static_cast<std::uint32_t>(stream.state()), relaxed);
        f.invalid_reasons.store(invalid, relaxed);
        f.held_messages.store(stream.held(), relaxed);
        f.rerequests_sent.store(p.rerequests.counters().sent, relaxed);
        f.hold_full.store(sc.hold_full, relaxed);
        f.verified_messages.store(sc.verified_messages, relaxed);
        f.mismatched_messages.store(sc.mismatched_messages, relaxed);
        f.unverified_messages.store(sc.unverified_messages, relaxed);
        if (invalid != p.reported_invalid) {
            post(worker_event_kind::books_invalid, p.feed_index, invalid, p.reported_invalid);
            p.reported_invalid = invalid;
        }
        if (f.session_set.load(relaxed) == 0 && stream.has_session()) {
            std::memcpy(f.session, stream.session().name.data(), 10);
            f.session_set.store(1, std::memory_order_release);
        }
        if (capacity_drops != p.reported_capacity_drops) {
            const std::uint64_t reasons = (bc.book_pool_full ? book::degraded_no_book : 0) |
                                          (bc.order_table_full ? book::degraded_orders_full : 0) |
                                          (bc.level_side_full ? book::degraded_levels_full : 0);
            post(worker_event_kind::book_degraded, p.feed_index, capacity_drops, reasons);
            p.reported_capacity_drops = capacity_drops;
        }
    }
}

void worker::answer_book_query() noexcept {
    book_query& q = params_.shared->query;
    if (!q.take()) return;
    q.found = false;
    std::array<char, 8> wanted;
    wanted.fill(' ');
    std::memcpy(wanted.data(), q.symbol, std::min<std::size_t>(std::strlen(q.symbol), 8));
    for (std::uint32_t i = 0; i < feed_count_ && !q.found; ++i) {
        const book::book_manager& books = feeds_[i]->books;
        for (std::uint32_t locate = 0; locate < book::locate_count; ++locate) {
            const book::directory_entry& d = books.directory(static_cast<std::uint16_t>(locate));
            if (!d.listed || d.symbol != wanted) continue;
            q.found = true;
            q.locate = static_cast<std::uint16_t>(locate);
            q.feed = feeds_[i]->feed_index;
            q.bid_levels =
                std::min(book_query_depth, books.level_count(q.locate, book::book_side::bid));
            q.ask_levels =
                std::min(book_query_depth, books.level_count(q.locate, book::book_side::ask));
            for (std::uint32_t k = 0; k < q.bid_levels; ++k)
                q.bids[k] = books.level(q.locate, book::book_side::bid, k);
            for (std::uint32_t k = 0; k < q.ask_levels; ++k)
                q.asks[k] = books.level(q.locate, book::book_side::ask, k);
            break;
        }
    }
    q.answer();
}

}  // namespace hypertick::gw
