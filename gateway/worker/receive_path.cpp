// The path of a datagram through a worker lcore, top to bottom, as the loop runs it:
//
//   poll_rx         the executor's poller: rte_eth_rx_burst of 32 on every free line of a feed,
//                   stamps the burst with the TSC and wakes the feed's rx task
//   rx_task         takes the burst: receive_burst, then wakes the publisher
//   receive_burst   each line with a burst: receive_line; then the feed's liveness
//   receive_line    each frame: the feed's receiver (filters, MoldUDP64), its stream (order,
//                   duplicates, holes) and the books (the handler), flushed per datagram;
//                   rx_to_book latency for every message the books took; the mbufs freed
//   publisher_task  the lcore's BBO batch encoded into datagrams on its TX queue;
//                   rx_to_bbo_tx latency for each datagram sent
//
// Nothing here allocates, locks, formats or makes a system call.
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_prefetch.h>

#include <algorithm>

#include "worker/worker.hpp"

namespace hypertick::gw {

bool worker::poll_rx(void* self) noexcept {
    auto* p = static_cast<feed_pipeline*>(self);
    worker& w = p->owner;
    if (p->clock_deferred) {  // --clock capture: the timers due before this burst have run
        p->clock_deferred = false;
        p->burst_ready.notify_one();
        return true;
    }
    // Every line whose last burst was taken (A, B and the re-request answers take turns, so
    // neither line can starve the other).
    bool received = false;
    for (std::uint32_t l = 0; l < p->line_count; ++l) {
        feed_line& line = p->lines[l];
        if (!line.used || line.burst_size != 0)
            continue;  // unused, or its last burst not yet taken
        const std::uint16_t n =
            rte_eth_rx_burst(line.port_id, line.queue, line.burst, rx_burst_size);
        if (n == 0) continue;
        line.burst_size = n;
        received = true;
    }
    if (!received) return false;
    p->burst_tsc = read_tsc();
    if (w.params_.capture_clock) {
        // Time moved to the burst's capture time: the burst waits one loop turn, so the timers
        // due in between (a stale feed, a hole's line_wait) run first, as they did on the day.
        const std::uint64_t before = w.capture_clock_.now_ns();
        for (std::uint32_t l = 0; l < p->line_count; ++l)
            w.follow_capture_clock(p->lines[l].burst, p->lines[l].burst_size);
        if (w.capture_clock_.now_ns() != before) {
            p->clock_deferred = true;
            return true;
        }
    }
    p->burst_ready.notify_one();
    return true;
}

// The rx-timestamp field holds microseconds: net_pcap writes the pcap header's seconds and
// microseconds there (and the pacer does the same), whatever the capture's resolution.
void worker::follow_capture_clock(rte_mbuf* const* burst, std::uint16_t n) noexcept {
    for (std::uint16_t i = 0; i < n; ++i)
        if ((burst[i]->ol_flags & timestamp_flag_) != 0)
            capture_clock_.set(
                *RTE_MBUF_DYNFIELD(burst[i], timestamp_offset_, rte_mbuf_timestamp_t*) * 1000);
}

task<void> worker::rx_task(feed_pipeline& p) {
    for (;;) {
        co_await p.burst_ready.wait();
        receive_burst(p);
        batch_ready_.notify_one();
    }
}

void worker::receive_burst(feed_pipeline& p) noexcept {
    for (std::uint32_t l = 0; l < p.line_count; ++l)
        if (p.lines[l].burst_size != 0) receive_line(p, l);
    p.last_datagram_ns = now_ns();
    p.seen_traffic = true;
    if (p.stale) {
        p.stale = false;
        post(worker_event_kind::feed_recovered, p.feed_index,
             (p.last_datagram_ns - p.stale_since_ns) / 1'000'000, 0);
    }
}

void worker::receive_line(feed_pipeline& p, std::uint32_t l) noexcept {
    feed_line& line = p.lines[l];
    const std::uint16_t n = line.burst_size;
    latency_probe* latency = params_.latency;
    const std::uint64_t now = now_ns();
    for (std::uint16_t i = 0; i < n; ++i) {
        if (i + 1 < n) rte_prefetch0(rte_pktmbuf_mtod(line.burst[i + 1], void*));
        const rte_mbuf* m = line.burst[i];
        p.receiver.on_frame(l, rte_pktmbuf_mtod(m, const std::uint8_t*), rte_pktmbuf_data_len(m),
                            now);
        p.handler.flush();  // every message of the datagram is in the books before the next one
        const std::uint64_t applied = p.handler.take_applied();
        if (latency != nullptr && applied != 0) {
            const std::uint64_t ns = latency->rx_to_book.rate().to_ns(read_tsc() - p.burst_tsc);
            latency->rx_to_book.record_n(ns, applied);
        }
    }
    rte_pktmbuf_free_bulk(line.burst, n);
    line.burst_size = 0;
    rx_packets_ += n;
    ++rx_bursts_;
}

task<void> worker::publisher_task() {
    for (;;) {
        co_await batch_ready_.wait();
        if (batch_.size() == 0) continue;
        const std::uint32_t sent = publisher_.publish(&batch_[0], batch_.size(), now_ns());
        if (params_.latency != nullptr && sent != 0) {
            // Every datagram of this batch left after the oldest burst that fed it.
            std::uint64_t oldest = ~std::uint64_t{0};
            for (std::uint32_t i = 0; i < feed_count_; ++i)
                if (feeds_[i]->burst_tsc != 0) oldest = std::min(oldest, feeds_[i]->burst_tsc);
            const std::uint64_t now = read_tsc();
            stats::interval_recorder& rx_to_bbo_tx = params_.latency->rx_to_bbo_tx;
            if (oldest <= now) rx_to_bbo_tx.record_n(rx_to_bbo_tx.rate().to_ns(now - oldest), sent);
        }
        batch_.clear();
        for (std::uint32_t i = 0; i < feed_count_; ++i) feeds_[i]->burst_tsc = 0;
    }
}

}  // namespace hypertick::gw
