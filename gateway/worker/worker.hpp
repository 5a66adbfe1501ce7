// One worker lcore: an executor and the tasks that run a set of feeds on it.
//
// Tasks (members, all on this lcore's executor, see docs/architecture.md):
//   rx (per feed)        receive_path.cpp: awaits its RX poller's notify, runs the burst through
//                        the feed's receiver, stream and books, then wakes the publisher
//   publisher            receive_path.cpp: encodes the lcore's BBO batch into UDP datagrams on
//                        its TX queue
//   health (per feed)    worker_tasks.cpp: every heartbeat_ms, stale-feed detection
//   gap alarm (per feed) worker_tasks.cpp: reports gaps to the control plane as they open
//   recovery (A/B or recovery feeds) worker_tasks.cpp: the stream's timers and re-requests
//   housekeeping         worker_tasks.cpp: every 5 ms publishes counters, answers book queries,
//                        stops on request
// Pollers: one per feed (rte_eth_rx_burst of 32). Everything is allocated before launch, in the
// lcore's socket memory, as the lcore's memory plan says; the loop makes no heap call (counted
// in hypertick-gw-counted).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "contract/latency_probe.hpp"
#include "contract/worker_event.hpp"
#include "contract/worker_shared.hpp"
#include "hypertick/hypertick.hpp"
#include "memory/memory_plan.hpp"
#include "publish/bbo_publisher.hpp"
#include "worker/feed_pipeline.hpp"

struct rte_mbuf;
struct rte_mempool;
struct rte_ring;

namespace hypertick::gw {

struct worker_params {
    std::uint32_t lcore = 0;
    const gateway_config* config = nullptr;
    const lcore_memory_plan* plan = nullptr;          // this lcore's feeds and memory
    std::vector<feed_line_ports> feed_line_port_ids;  // one per plan->feeds entry
    bool publish = false;
    std::uint16_t publish_port_id = 0;
    std::uint16_t publish_queue = 0;
    rte_mempool* tx_pool = nullptr;
    rte_ring* events = nullptr;
    worker_shared* shared = nullptr;
    const tsc_clock* clock = nullptr;
    latency_probe* latency = nullptr;  // may be null (latency.enabled: false)
    bool restart_sequence = false;     // benchmark: the stream restarts when a loop begins again
    feed::copy_key copy_key;           // keys every feed's copy check (drawn at start-up)
    // --clock capture: the executor runs on a virtual clock starting here and set from each
    // received mbuf's capture timestamp (the rx-timestamp dynamic field).
    bool capture_clock = false;
    std::uint64_t capture_start_ns = 0;
};

class worker {
  public:
    explicit worker(const worker_params& params);
    ~worker();
    worker(const worker&) = delete;
    worker& operator=(const worker&) = delete;

    // False with a reason when a capacity does not fit (checked before launch).
    [[nodiscard]] bool ready(std::string& why) const;
    // The lcore's main function (rte_eal_remote_launch).
    static int lcore_main(void* self);

    [[nodiscard]] const worker_params& params() const { return params_; }
    [[nodiscard]] std::uint32_t feed_count() const { return feed_count_; }
    [[nodiscard]] const feed_pipeline& feed(std::uint32_t i) const { return *feeds_[i]; }
    [[nodiscard]] const executor& exec() const { return executor_; }
    [[nodiscard]] std::uint64_t executor_bytes() const { return executor_bytes_; }
    [[nodiscard]] const void* executor_memory() const { return executor_memory_.memory; }
    [[nodiscard]] std::uint64_t book_bytes() const;
    [[nodiscard]] const publisher_counters& publisher() const { return publisher_.counters(); }

    // Used by the tasks and the handler (this lcore only).
    void post(worker_event_kind kind, std::uint16_t feed, std::uint64_t a, std::uint64_t b,
              const char* text = nullptr) noexcept;
    // The executor's time of this loop turn; under --clock capture, the latest capture time seen
    // (it moves within a turn as bursts arrive).
    [[nodiscard]] std::uint64_t now_ns() noexcept {
        return params_.capture_clock ? capture_clock_.now_ns() : executor_.now_ns();
    }

  private:
    // The receive path, in the order a datagram takes it (receive_path.cpp).
    static bool poll_rx(void* pipeline) noexcept;
    void follow_capture_clock(rte_mbuf* const* burst, std::uint16_t n) noexcept;
    task<void> rx_task(feed_pipeline& p);
    void receive_burst(feed_pipeline& p) noexcept;
    void receive_line(feed_pipeline& p, std::uint32_t line) noexcept;
    task<void> publisher_task();

    // The other tasks (worker_tasks.cpp).
    task<void> health_task(feed_pipeline& p);
    task<void> gap_alarm_task(feed_pipeline& p);
    task<void> validity_task(feed_pipeline& p);
    task<void> recovery_task(feed_pipeline& p);
    task<void> housekeeping_task();
    static bool poll_stop(void* self) noexcept;

    // Reporting to the control plane (worker_reporting.cpp).
    void publish_counters() noexcept;
    void answer_book_query() noexcept;

    void start_feed(const feed_memory_plan& plan, const feed_line_ports& ports);
    void run() noexcept;

    // Socket memory freed on destruction (rte_free), and the feed pipelines living in it.
    struct socket_block {
        void* memory = nullptr;
        ~socket_block();
    };
    struct pipeline_store {
        feed_pipeline* items[max_feeds_per_worker] = {};
        std::uint32_t count = 0;
        ~pipeline_store();
    };

    // Declaration order is destruction order reversed: the executor (whose task frames refer to
    // the pipelines, the batch and its notify) is declared last so it is destroyed first.
    worker_params params_;
    tsc_clock clock_;
    virtual_clock capture_clock_;
    int timestamp_offset_ = -1;  // --clock capture: the rx-timestamp dynamic field
    std::uint64_t timestamp_flag_ = 0;
    int socket_ = 0;
    book::memory_source book_memory_;  // the books' tables: this lcore's socket memory
    std::uint64_t executor_bytes_ = 0;
    socket_block executor_memory_;
    pipeline_store pipelines_;
    bbo_batch batch_;
    notify batch_ready_;
    bbo_publisher publisher_;
    feed_pipeline** feeds_ = pipelines_.items;
    std::uint32_t& feed_count_ = pipelines_.count;
    bool hold_failed_ = false;
    std::uint64_t events_dropped_ = 0;
    std::uint64_t rx_packets_ = 0;
    std::uint64_t rx_bursts_ = 0;
    std::uint64_t stalls_reported_ = 0;
    std::uint64_t last_stall_report_ns_ = 0;
    executor executor_;
};

// The gateway's memory plan (memory/memory_plan.hpp) with this worker's object sizes.
inline memory_plan plan_memory(const gateway_config& config) {
    return plan_memory(config, sizeof(worker), sizeof(feed_pipeline));
}

}  // namespace hypertick::gw
