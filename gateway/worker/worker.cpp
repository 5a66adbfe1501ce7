// A worker's life outside its loop: it builds its executor, feed pipelines and tasks from the
// lcore's memory plan, says whether everything fit (ready), runs, and frees it all.
#include "worker/worker.hpp"

#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include <functional>
#include <new>

#include "alloc_counter.hpp"

// Present only in binaries linked with hypertick::alloc_counter (hypertick-gw-counted): the
// worker then proves, by counting, that its loop made no heap call.
namespace hypertick::testing {
alloc_counts thread_alloc_counts() noexcept __attribute__((weak));
}

namespace hypertick::gw {
namespace {

executor_config with_memory(executor_config e, void* memory, std::uint64_t bytes) {
    e.memory = memory;
    e.memory_bytes = bytes;
    return e;
}

void* allocate_socket_memory(void* socket, std::size_t bytes) {
    return rte_zmalloc_socket("ht_books", bytes, 64, *static_cast<int*>(socket));
}
void release_socket_memory(void*, void* memory) {
    rte_free(memory);
}

void observe_poll(void* probe, std::uint32_t, std::uint64_t ticks) noexcept {
    static_cast<latency_probe*>(probe)->task_poll.record_ticks(ticks);
}

// Why the executor refused a spawn, from the counts it keeps; none when it refused none.
spawn_error spawn_refusal(const executor_stats& s) {
    if (s.spawn_failed_slab_full != 0) return spawn_error::slab_full;
    if (s.spawn_failed_frame_too_large != 0) return spawn_error::frame_too_large;
    if (s.spawn_failed_frames_exhausted != 0) return spawn_error::frames_exhausted;
    return spawn_error::none;
}

}  // namespace

worker::worker(const worker_params& params)
    : params_(params),
      clock_(*params.clock),
      capture_clock_(params.capture_start_ns, false),
      socket_(static_cast<int>(rte_lcore_to_socket_id(params.lcore))),
      book_memory_{allocate_socket_memory, release_socket_memory, &socket_},
      executor_bytes_(params.plan->executor_bytes),
      executor_memory_{rte_malloc_socket("ht_executor", executor_bytes_, 64, socket_)},
      executor_(with_memory(params.plan->executor, executor_memory_.memory, executor_bytes_),
                params.capture_clock ? static_cast<clock_source&>(capture_clock_)
                                     : static_cast<clock_source&>(clock_)) {
    HT_ASSERT(params.plan->feeds.size() == params.feed_line_port_ids.size());
    if (executor_memory_.memory == nullptr || executor_.status() != init_error::none) return;
    if (params.capture_clock) {
        // The field net_pcap and the pacer stamp with the capture time; registering is idempotent.
        if (rte_mbuf_dyn_rx_timestamp_register(&timestamp_offset_, &timestamp_flag_) != 0)
            timestamp_offset_ = -1;
        // Virtual time stands still between datagrams, so the 5 ms housekeeping may never come
        // again once the capture ends: the stop request is polled instead.
        (void)executor_.add_poller(poll_stop, this);
    }
    const gateway_config& c = *params.config;
    if (c.worker.stall_budget_us != 0) {
        executor_.set_stall_budget(std::uint64_t{c.worker.stall_budget_us} * 1000,
                                   clock_.ticks_per_ns());
        if (params.latency != nullptr) executor_.set_poll_observer(observe_poll, params.latency);
    }
    for (std::size_t i = 0; i < params.plan->feeds.size() && i < max_feeds_per_worker; ++i) {
        start_feed(params.plan->feeds[i], params.feed_line_port_ids[i]);
        if (feed_count_ != i + 1 || !feeds_[i]->books_allocated) return;
    }
    if (params.publish) {
        publisher_.init(c.publisher, params.publish_port_id, params.publish_queue, params.tx_pool,
                        static_cast<std::uint8_t>(params.lcore));
        (void)executor_.spawn_detached(&worker::publisher_task, this);
    }
    (void)executor_.spawn_detached(&worker::housekeeping_task, this);
}

// One feed: its hold window, its pipeline and books in socket memory, its poller and tasks.
// Returns early, leaving feed_count_ short or the books unallocated, when memory runs out.
void worker::start_feed(const feed_memory_plan& plan, const feed_line_ports& ports) {
    const feed_settings& fs = params_.config->feeds[plan.feed];
    void* hold = plan.hold_bytes == 0 ? nullptr
                                      : rte_zmalloc_socket("ht_hold", plan.hold_bytes, 64, socket_);
    if (plan.hold_bytes != 0 && hold == nullptr) {
        hold_failed_ = true;
        return;
    }
    void* memory = rte_malloc_socket("ht_feed", sizeof(feed_pipeline), 64, socket_);
    if (memory == nullptr) {
        rte_free(hold);
        return;
    }
    auto* p =
        new (memory) feed_pipeline(*this, batch_, plan.feed, fs, ports, params_.restart_sequence,
                                   params_.copy_key, static_cast<std::uint8_t*>(hold));
    HT_ASSERT(feed::stream_memory_bytes(stream_settings(fs, params_.restart_sequence,
                                                        params_.copy_key)) == plan.hold_bytes);
    p->hold_memory = hold;
    feeds_[feed_count_++] = p;
    book::book_capacities capacities;
    capacities.symbols = params_.config->books.max_symbols;
    capacities.orders = params_.config->books.max_orders;
    capacities.levels_per_side = params_.config->books.max_levels_per_side;
    if (params_.config->books.level_prefetch_books != 0)
        capacities.level_prefetch_books = params_.config->books.level_prefetch_books;
    capacities.memory = &book_memory_;
    p->books_allocated = p->books.init(capacities);
    if (!p->books_allocated) return;
    if (p->arbitrated) {
        if (fs.recovery.enabled)
            p->rerequests.init(fs.recovery, p->lines[feed::recovery_line].port_id, params_.tx_pool);
        (void)executor_.spawn_detached(&worker::recovery_task, this, std::ref(*p));
    }
    (void)executor_.add_poller(poll_rx, p);
    (void)executor_.spawn_detached(&worker::rx_task, this, std::ref(*p));
    (void)executor_.spawn_detached(&worker::health_task, this, std::ref(*p));
    (void)executor_.spawn_detached(&worker::gap_alarm_task, this, std::ref(*p));
    if (params_.publish) (void)executor_.spawn_detached(&worker::validity_task, this, std::ref(*p));
}

worker::~worker() = default;

worker::socket_block::~socket_block() {
    rte_free(memory);
}

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
        why = "no socket memory for the executor (" + std::to_string(executor_bytes_) +
              " bytes): raise eal.memory_mb";
        return false;
    }
    if (executor_.status() != init_error::none) {
        why = std::string("executor: ") + to_string(executor_.status());
        return false;
    }
    if (hold_failed_) {
        why =
            "no socket memory for a feed's hold window and copy ring: lower "
            "recovery.hold_capacity or verify_window, or raise eal.memory_mb";
        return false;
    }
    if (params_.capture_clock && timestamp_offset_ < 0) {
        why = "--clock capture: the rx-timestamp mbuf field could not be registered";
        return false;
    }
    const std::size_t planned_feeds = params_.plan->feeds.size();
    if (feed_count_ != planned_feeds) {
        why = planned_feeds > max_feeds_per_worker
                  ? "more than " + std::to_string(max_feeds_per_worker) + " feeds on one lcore"
                  : "no memory for a feed's books: lower books.max_orders / max_symbols / "
                    "max_levels_per_side";
        return false;
    }
    for (std::uint32_t i = 0; i < feed_count_; ++i)
        if (!feeds_[i]->books_allocated) {
            const book::book_capacities& b = feeds_[i]->books.capacities();
            why =
                "feed " + params_.config->feeds[feeds_[i]->feed_index].name +
                ": no socket memory for its books: they need " +
                std::to_string((book::reserved_bytes(b) + (1u << 20) - 1) >> 20) +
                " MiB (books.max_symbols " + std::to_string(b.symbols) + ", max_orders " +
                std::to_string(b.orders) + ", max_levels_per_side " +
                std::to_string(b.levels_per_side) + ") of eal.memory_mb " +
                std::to_string(params_.config->eal.memory_mb) +
                ": lower books.* or raise eal.memory_mb (--preflight shows the whole memory plan)";
            return false;
        }
    if (const spawn_error refused = spawn_refusal(executor_.stats());
        refused != spawn_error::none) {
        why = std::string("a worker task could not be spawned (") + to_string(refused) +
              "): raise worker.max_tasks";
        return false;
    }
    if (executor_.stats().pollers_refused != 0) {
        why =
            "a poller could not be added: more feeds on this lcore than the executor has poller "
            "slots";
        return false;
    }
    return true;
}

std::uint64_t worker::book_bytes() const {
    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < feed_count_; ++i) total += feeds_[i]->books.reserved_bytes();
    return total;
}

void worker::run() noexcept {
    const bool counted = &testing::thread_alloc_counts != nullptr;
    const testing::alloc_counts before =
        counted ? testing::thread_alloc_counts() : testing::alloc_counts{};
    post(worker_event_kind::worker_started, 0, executor_bytes_, 0);
    executor_.run();
    const testing::alloc_counts after =
        counted ? testing::thread_alloc_counts() : testing::alloc_counts{};
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
