#include "worker/worker.hpp"

#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_prefetch.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "alloc_counter.hpp"

// Present only in binaries linked with hypertick::alloc_counter (hypertick-gw-counted): the
// worker then proves, by counting, that its loop made no heap call.
namespace hypertick::testing {
alloc_counts thread_alloc_counts() noexcept __attribute__((weak));
}

namespace hypertick::gw {
namespace {

executor_config worker_executor_config(const gateway_config& c, void* memory, std::size_t bytes) {
    executor_config e;
    e.max_tasks = c.worker.max_tasks;
    e.frame_classes = {frame_class{256, c.worker.max_tasks}, frame_class{1024, 16}, frame_class{4096, 4}, {}};
    e.max_pollers = max_feeds_per_worker + 2;
    e.max_armed_timers = 4 * max_feeds_per_worker + 8;
    e.channel_storage_bytes = 0;
    e.memory = memory;
    e.memory_bytes = bytes;
    return e;
}

void* allocate_executor_memory(const gateway_config& c, std::uint32_t lcore, std::uint64_t& bytes) {
    const executor_config probe = worker_executor_config(c, nullptr, 0);
    bytes = executor::required_bytes(probe);
    return rte_malloc_socket("ht_executor", bytes, 64, static_cast<int>(rte_lcore_to_socket_id(lcore)));
}

void* allocate_socket_memory(void* socket, std::size_t bytes) {
    return rte_zmalloc_socket("ht_books", bytes, 64, *static_cast<int*>(socket));
}
void release_socket_memory(void*, void* memory) { rte_free(memory); }

void observe_poll(void* probe, std::uint32_t, std::uint64_t ticks) noexcept {
    static_cast<latency_probe*>(probe)->task_poll.record_ticks(ticks);
}

}  // namespace

// ---- the handler: reports to the control plane; never formats, never logs ----

void pipeline_handler::on_session_start(const feed::MoldSession& session) {
    flush();  // the previous session's messages belong before this report
    pipeline.end_reported = false;
    char name[11] = {};
    std::memcpy(name, session.name.data(), 10);
    for (int i = 9; i >= 0 && name[i] == ' '; --i) name[i] = '\0';
    pipeline.owner.post(worker_event_kind::session_started, pipeline.feed_index, 0, 0, name);
}

void pipeline_handler::on_gap(std::uint64_t first_missing, std::uint64_t missing_count) {
    if (pipeline.pending_gaps++ == 0) pipeline.pending_gap_first = first_missing;
    pipeline.pending_gap_missing += missing_count;
    pipeline.gap_opened.notify_one();
}

void pipeline_handler::on_end_of_session(std::uint64_t next_sequence) {
    if (pipeline.end_reported) return;
    pipeline.end_reported = true;
    pipeline.owner.post(worker_event_kind::end_of_session, pipeline.feed_index, next_sequence, 0);
}

void pipeline_handler::on_books_invalid(std::uint32_t) {
    flush();  // the messages before the event were valid: their updates stay unflagged
    books().mark_feed_invalid();
}

feed::StreamSettings stream_settings(const feed_settings& s, bool restart_on_loop) {
    feed::StreamSettings t;
    t.data_lines = static_cast<std::uint32_t>(s.lines.size());
    t.recovery = s.recovery.enabled;
    t.hold_capacity = s.arbitrated() ? s.recovery.hold_capacity : 0;
    t.line_wait_ns = std::uint64_t{s.line_wait_ms} * 1'000'000;
    t.retry_ns = std::uint64_t{s.recovery.retry_ms} * 1'000'000;
    t.timeout_ns = std::uint64_t{s.recovery.timeout_ms} * 1'000'000;
    t.max_outstanding = s.recovery.max_outstanding;
    t.max_messages_per_request = s.recovery.max_messages_per_request;
    t.max_sequence_jump = s.max_sequence_jump;
    t.accept_unsequenced = s.accepts_unsequenced();
    t.restart_on_loop = restart_on_loop;
    return t;
}

feed_pipeline::feed_pipeline(worker& w, std::uint16_t index, const feed_settings& s, const feed_line_ports& ports,
                             bool restart_on_loop, std::uint8_t* hold)
    : owner(w),
      feed_index(index),
      handler(books, w.batch_, *this),
      receiver(handler, stream_settings(s, restart_on_loop), hold),
      arbitrated(s.arbitrated()) {
    line_count = 0;
    for (const line_settings& l : s.lines) {
        feed_line& line = lines[line_count];
        line.port_id = ports[line_count];
        line.queue = l.rx_queue;
        line.used = true;
        receiver.set_line(line_count, feed::UdpFilter{l.group.value_or(0), l.udp_port.value_or(0)},
                          feed::SourceFilter{l.source_ip.value_or(0), l.source_port.value_or(0)});
        ++line_count;
    }
    if (s.recovery.enabled) {
        // The server's unicast answers: from the server, addressed to our source address and port.
        feed_line& line = lines[feed::recovery_line];
        line.port_id = ports[feed::recovery_line];
        line.queue = s.recovery.rx_queue;
        line.used = true;
        receiver.set_line(feed::recovery_line, feed::UdpFilter{s.recovery.source_ip, s.recovery.source_port},
                          feed::SourceFilter{s.recovery.server_ip, s.recovery.server_port});
        line_count = feed::max_feed_lines;
    }
}

worker::worker(const worker_params& params)
    : params_(params),
      clock_(*params.clock),
      capture_clock_(params.capture_start_ns, false),
      socket_(static_cast<int>(rte_lcore_to_socket_id(params.lcore))),
      book_memory_{allocate_socket_memory, release_socket_memory, &socket_},
      executor_memory_{allocate_executor_memory(*params.config, params.lcore, executor_bytes_)},
      executor_(worker_executor_config(*params.config, executor_memory_.memory, executor_bytes_),
                params.capture_clock ? static_cast<clock_source&>(capture_clock_) : static_cast<clock_source&>(clock_)) {
    if (executor_memory_.memory == nullptr || executor_.status() != init_error::none) return;
    if (params.capture_clock) {
        // The field net_pcap and the pacer stamp with the capture time; registering is idempotent.
        if (rte_mbuf_dyn_rx_timestamp_register(&timestamp_offset_, &timestamp_flag_) != 0) timestamp_offset_ = -1;
        // Virtual time stands still between datagrams, so the 5 ms housekeeping may never come
        // again once the capture ends: the stop request is polled instead.
        note_poller(executor_.add_poller(poll_stop, this));
    }
    const gateway_config& c = *params.config;
    if (c.worker.stall_budget_us != 0) {
        executor_.set_stall_budget(std::uint64_t{c.worker.stall_budget_us} * 1000, clock_.ticks_per_ns());
        if (params.latency != nullptr) executor_.set_poll_observer(observe_poll, params.latency);
    }
    const int socket = socket_;
    book::BookCapacities capacities;
    capacities.symbols = c.books.max_symbols;
    capacities.orders = c.books.max_orders;
    capacities.levels_per_side = c.books.max_levels_per_side;
    capacities.memory = &book_memory_;
    for (std::size_t i = 0; i < params.feed_indices.size() && i < max_feeds_per_worker; ++i) {
        const std::uint16_t feed_index = params.feed_indices[i];
        const feed_settings& fs = c.feeds[feed_index];
        // The hold window (arbitrated feeds): zeroed socket memory, 64 bytes per message.
        const std::size_t hold_bytes =
            std::size_t{stream_settings(fs, params.restart_sequence).hold_capacity} * feed::hold_slot_bytes;
        void* hold = hold_bytes == 0 ? nullptr : rte_zmalloc_socket("ht_hold", hold_bytes, 64, socket);
        if (hold_bytes != 0 && hold == nullptr) {
            hold_failed_ = true;
            return;
        }
        void* memory = rte_malloc_socket("ht_feed", sizeof(feed_pipeline), 64, socket);
        if (memory == nullptr) {
            rte_free(hold);
            return;
        }
        auto* p = new (memory) feed_pipeline(*this, feed_index, fs, params.feed_line_port_ids[i], params.restart_sequence,
                                             static_cast<std::uint8_t*>(hold));
        p->hold_memory = hold;
        feeds_[feed_count_++] = p;
        p->books_allocated = p->books.init(capacities);
        if (!p->books_allocated) return;
        if (p->arbitrated) {
            if (fs.recovery.enabled) p->rerequests.init(fs.recovery, p->lines[feed::recovery_line].port_id, params.tx_pool);
            note_spawn(executor_.spawn_detached(recovery_task, std::ref(*this), std::ref(*p)));
        }
        note_poller(executor_.add_poller(poll_rx, p));
        note_spawn(executor_.spawn_detached(rx_task, std::ref(*this), std::ref(*p)));
        note_spawn(executor_.spawn_detached(health_task, std::ref(*this), std::ref(*p)));
        note_spawn(executor_.spawn_detached(gap_alarm_task, std::ref(*this), std::ref(*p)));
    }
    if (params.publish) {
        publisher_.init(c.publisher, params.publish_port_id, params.publish_queue, params.tx_pool,
                        static_cast<std::uint8_t>(params.lcore));
        note_spawn(executor_.spawn_detached(publisher_task, std::ref(*this)));
    }
    note_spawn(executor_.spawn_detached(housekeeping_task, std::ref(*this)));
}

worker::~worker() = default;

void worker::note_spawn(spawn_error e) noexcept {
    if (e != spawn_error::none && spawn_failure_ == spawn_error::none) spawn_failure_ = e;
}

void worker::note_poller(int slot) noexcept { poller_failures_ += slot < 0 ? 1 : 0; }

worker::socket_block::~socket_block() { rte_free(memory); }

worker::pipeline_store::~pipeline_store() {
    for (std::uint32_t i = 0; i < count; ++i) {
        feed_pipeline* p = items[i];
        for (feed_line& line : p->lines)
            if (line.burst_size != 0) rte_pktmbuf_free_bulk(line.burst, line.burst_size);
        void* hold = p->hold_memory;
        p->~feed_pipeline();
        rte_free(hold);
        rte_free(p);
    }
}

bool worker::ready(std::string& why) const {
    if (executor_memory_.memory == nullptr) {
        why = "no socket memory for the executor (" + std::to_string(executor_bytes_) + " bytes): raise eal.memory_mb";
        return false;
    }
    if (executor_.status() != init_error::none) {
        why = std::string("executor: ") + to_string(executor_.status());
        return false;
    }
    if (hold_failed_) {
        why = "no socket memory for a feed's hold window: lower recovery.hold_capacity or raise eal.memory_mb";
        return false;
    }
    if (params_.capture_clock && timestamp_offset_ < 0) {
        why = "--clock capture: the rx-timestamp mbuf field could not be registered";
        return false;
    }
    if (feed_count_ != params_.feed_indices.size()) {
        why = params_.feed_indices.size() > max_feeds_per_worker
                  ? "more than " + std::to_string(max_feeds_per_worker) + " feeds on one lcore"
                  : "no memory for a feed's books: lower books.max_orders / max_symbols / max_levels_per_side";
        return false;
    }
    for (std::uint32_t i = 0; i < feed_count_; ++i)
        if (!feeds_[i]->books_allocated) {
            const book::BookCapacities& b = feeds_[i]->books.capacities();
            why = "feed " + params_.config->feeds[feeds_[i]->feed_index].name + ": no socket memory for its books: they need " +
                  std::to_string((book::reserved_bytes(b) + (1u << 20) - 1) >> 20) + " MiB (books.max_symbols " +
                  std::to_string(b.symbols) + ", max_orders " + std::to_string(b.orders) + ", max_levels_per_side " +
                  std::to_string(b.levels_per_side) + ") of eal.memory_mb " + std::to_string(params_.config->eal.memory_mb) +
                  ": lower books.* or raise eal.memory_mb (--preflight shows the whole memory plan)";
            return false;
        }
    if (spawn_failure_ != spawn_error::none) {
        why = std::string("a worker task could not be spawned (") + to_string(spawn_failure_) + "): raise worker.max_tasks";
        return false;
    }
    if (poller_failures_ != 0) {
        why = "a poller could not be added: more feeds on this lcore than the executor has poller slots";
        return false;
    }
    return true;
}

std::uint64_t worker::book_bytes() const {
    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < feed_count_; ++i) total += feeds_[i]->books.reserved_bytes();
    return total;
}

bool worker::poll_rx(void* self) noexcept {
    auto* p = static_cast<feed_pipeline*>(self);
    if (p->clock_deferred) {  // --clock capture: the timers due before this burst have run
        p->clock_deferred = false;
        p->burst_ready.notify_one();
        return true;
    }
    bool received = false;
    for (std::uint32_t l = 0; l < p->line_count; ++l) {
        feed_line& line = p->lines[l];
        if (!line.used || line.burst_size != 0) continue;  // unused, or its last burst not yet taken
        const std::uint16_t n = rte_eth_rx_burst(line.port_id, line.queue, line.burst, rx_burst_size);
        if (n == 0) continue;
        line.burst_size = n;
        received = true;
    }
    if (!received) return false;
    p->burst_tsc = read_tsc();
    if (p->owner.params_.capture_clock) {
        // Time moved to the burst's capture time: the burst waits one loop turn, so the timers
        // due in between (a stale feed, a hole's line_wait) run first, as they did on the day.
        const std::uint64_t before = p->owner.capture_clock_.now_ns();
        for (std::uint32_t l = 0; l < p->line_count; ++l)
            p->owner.follow_capture_clock(p->lines[l].burst, p->lines[l].burst_size);
        if (p->owner.capture_clock_.now_ns() != before) {
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
            capture_clock_.set(*RTE_MBUF_DYNFIELD(burst[i], timestamp_offset_, rte_mbuf_timestamp_t*) * 1000);
}

bool worker::poll_stop(void* self) noexcept {
    auto* w = static_cast<worker*>(self);
    if (!w->params_.shared->stop.load(std::memory_order_acquire)) return false;
    w->executor_.stop();
    return true;
}

void worker::process_burst(feed_pipeline& p) noexcept {
    for (std::uint32_t l = 0; l < p.line_count; ++l)
        if (p.lines[l].burst_size != 0) process_line(p, l);
    p.last_datagram_ns = now_ns();
    p.seen_traffic = true;
    if (p.stale) {
        p.stale = false;
        post(worker_event_kind::feed_recovered, p.feed_index, (p.last_datagram_ns - p.stale_since_ns) / 1'000'000, 0);
    }
}

void worker::process_line(feed_pipeline& p, std::uint32_t l) noexcept {
    feed_line& line = p.lines[l];
    const std::uint16_t n = line.burst_size;
    latency_probe* latency = params_.latency;
    const std::uint64_t now = now_ns();
    for (std::uint16_t i = 0; i < n; ++i) {
        if (i + 1 < n) rte_prefetch0(rte_pktmbuf_mtod(line.burst[i + 1], void*));
        const rte_mbuf* m = line.burst[i];
        const auto* frame = rte_pktmbuf_mtod(m, const std::uint8_t*);
        const std::uint64_t before = p.receiver.stream().counters().messages;
        p.receiver.on_frame(l, frame, rte_pktmbuf_data_len(m), now);
        p.handler.flush();  // every message of the datagram is in the books before the next one
        const std::uint64_t delivered = p.receiver.stream().counters().messages - before;
        if (latency != nullptr && delivered != 0) {
            const std::uint64_t ns = latency->rx_to_book.rate().to_ns(read_tsc() - p.burst_tsc);
            for (std::uint64_t k = 0; k < delivered; ++k) latency->rx_to_book.record(ns);
        }
    }
    rte_pktmbuf_free_bulk(line.burst, n);
    line.burst_size = 0;
    rx_packets_ += n;
    ++rx_bursts_;
}

void worker::run() noexcept {
    const bool counted = &testing::thread_alloc_counts != nullptr;
    const testing::alloc_counts before = counted ? testing::thread_alloc_counts() : testing::alloc_counts{};
    post(worker_event_kind::worker_started, 0, executor_bytes_, 0);
    executor_.run();
    const testing::alloc_counts after = counted ? testing::thread_alloc_counts() : testing::alloc_counts{};
    const std::uint64_t heap_calls = (after - before).total();
    params_.shared->heap_calls.store(heap_calls, std::memory_order_relaxed);
    params_.shared->heap_counted.store(counted, std::memory_order_relaxed);
    publish_counters();
    post(worker_event_kind::worker_stopped, 0, heap_calls, counted ? 1 : 0);
}

int worker::lcore_main(void* self) {
    static_cast<worker*>(self)->run();
    return 0;
}

}  // namespace hypertick::gw
