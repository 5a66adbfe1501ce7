// One worker lcore: an executor and the tasks that run a set of feeds on it.
//
// Tasks (all on this lcore's executor, see docs/architecture.md):
//   rx (per feed)        awaits its RX poller's notify, runs the burst through decode,
//                        sequencing and the books, then hands the BBO batch to the publisher
//   publisher            encodes the lcore's BBO batch into UDP datagrams on its TX queue
//   health (per feed)    every heartbeat_ms: stale-feed detection and recovery
//   gap alarm (per feed) reports gaps to the control plane as they open
//   housekeeping         every few ms: publishes counters, answers book queries, stops on request
// Pollers: one per feed (rte_eth_rx_burst of 32). Everything is allocated before launch, in the
// lcore's socket memory; the loop makes no heap call (counted in hypertick-gw-counted).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "control/worker_event.hpp"
#include "hypertick/book/bbo.hpp"
#include "hypertick/book/book_feed_handler.hpp"
#include "hypertick/book/book_manager.hpp"
#include "hypertick/feed/feed_receiver.hpp"
#include "hypertick/hypertick.hpp"
#include "publish/bbo_publisher.hpp"
#include "worker/latency_probe.hpp"
#include "worker/rerequest_sender.hpp"
#include "worker/worker_shared.hpp"

struct rte_mbuf;
struct rte_mempool;
struct rte_ring;

namespace hypertick::gw {

inline constexpr std::uint16_t rx_burst_size = 32;
inline constexpr std::uint32_t bbo_batch_capacity = 8192;
using bbo_batch = book::BboBuffer<bbo_batch_capacity>;

class worker;
struct feed_pipeline;

// The tasks of a worker lcore (worker_tasks.cpp); friends of worker.
task<void> rx_task(worker& w, feed_pipeline& p);
task<void> publisher_task(worker& w);
task<void> health_task(worker& w, feed_pipeline& p);
task<void> gap_alarm_task(worker& w, feed_pipeline& p);
task<void> recovery_task(worker& w, feed_pipeline& p);
task<void> housekeeping_task(worker& w);

// The feed library's handler: the books (through the prefetching handler, which holds up to 16
// order messages so their order slots are in cache when applied; flushed after every
// datagram), plus session, gap, end-of-session and validity reports.
struct pipeline_handler : book::PipelinedBookHandler<bbo_batch> {
    pipeline_handler(book::BookManager& books_in, bbo_batch& sink_in, feed_pipeline& p)
        : book::PipelinedBookHandler<bbo_batch>(books_in, sink_in), pipeline(p) {}
    void on_session_start(const feed::MoldSession& session);
    void on_gap(std::uint64_t first_missing, std::uint64_t missing_count);
    void on_end_of_session(std::uint64_t next_sequence);
    void on_books_invalid(std::uint32_t reasons);

    feed_pipeline& pipeline;
};

// Port ids of a feed's lines: A, B (when configured), then the re-request port (when recovery is).
using feed_line_ports = std::array<std::uint16_t, feed::max_feed_lines>;

// One RX queue of a feed. Its burst is filled by the poller and emptied by the rx task: the
// poller stops reading it while it is full, so a slow burst leaves packets in the NIC ring
// (where DPDK counts any overflow).
struct feed_line {
    std::uint16_t port_id = 0;
    std::uint16_t queue = 0;
    rte_mbuf* burst[rx_burst_size] = {};
    std::uint16_t burst_size = 0;
    bool used = false;
};

// The stream settings of a feed (hold window, recovery timers, acceptance rules).
feed::StreamSettings stream_settings(const feed_settings& s, bool restart_on_loop);

struct feed_pipeline {
    // `hold` holds the feed's hold window (stream_settings().hold_capacity slots, zeroed).
    feed_pipeline(worker& w, std::uint16_t feed_index, const feed_settings& s, const feed_line_ports& ports,
                  bool restart_on_loop, std::uint8_t* hold);

    worker& owner;
    std::uint16_t feed_index;
    book::BookManager books;
    bool books_allocated = false;   // books.init found memory for every table
    pipeline_handler handler;
    // Every line's frames go through the receiver and its stream, the feed's one ordering point.
    feed::FeedReceiver<pipeline_handler> receiver;

    feed_line lines[feed::max_feed_lines];
    std::uint32_t line_count = 1;   // A, B, then the re-request answers
    bool arbitrated = false;        // two lines or recovery: the recovery task runs the timers
    void* hold_memory = nullptr;    // socket memory of the hold window
    rerequest_sender rerequests;
    feed::StreamState reported_state = feed::StreamState::no_session;
    std::uint32_t reported_invalid = 0;

    std::uint64_t burst_tsc = 0;     // when rte_eth_rx_burst returned
    notify burst_ready;
    bool clock_deferred = false;     // --clock capture: the burst is handed over next loop turn

    notify gap_opened;
    std::uint64_t pending_gaps = 0;  // gaps since the alarm last reported
    std::uint64_t pending_gap_first = 0;
    std::uint64_t pending_gap_missing = 0;

    std::uint64_t last_datagram_ns = 0;
    std::uint64_t stale_since_ns = 0;
    bool stale = false;
    bool seen_traffic = false;
    bool end_reported = false;       // end of session is sent several times: report it once
    std::uint64_t reported_capacity_drops = 0;
};

struct worker_params {
    std::uint32_t lcore = 0;
    std::uint8_t index = 0;              // 0-based among workers
    const gateway_config* config = nullptr;
    std::vector<std::uint16_t> feed_indices;
    std::vector<feed_line_ports> feed_line_port_ids;
    bool publish = false;
    std::uint16_t publish_port_id = 0;
    std::uint16_t publish_queue = 0;
    rte_mempool* tx_pool = nullptr;
    rte_ring* events = nullptr;
    worker_shared* shared = nullptr;
    const tsc_clock* clock = nullptr;
    latency_probe* latency = nullptr;   // may be null (latency.enabled: false)
    bool restart_sequence = false;      // benchmark: the stream restarts when a loop begins again
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
    friend struct feed_pipeline;
    friend task<void> rx_task(worker&, feed_pipeline&);
    friend task<void> publisher_task(worker&);
    friend task<void> health_task(worker&, feed_pipeline&);
    friend task<void> gap_alarm_task(worker&, feed_pipeline&);
    friend task<void> recovery_task(worker&, feed_pipeline&);
    friend task<void> housekeeping_task(worker&);

    static bool poll_rx(void* pipeline) noexcept;
    static bool poll_stop(void* self) noexcept;
    void follow_capture_clock(rte_mbuf* const* burst, std::uint16_t n) noexcept;
    void run() noexcept;
    void process_burst(feed_pipeline& p) noexcept;
    void process_line(feed_pipeline& p, std::uint32_t line) noexcept;
    void publish_counters() noexcept;
    void note_spawn(spawn_error e) noexcept;
    void note_poller(int slot) noexcept;
    void answer_book_query() noexcept;

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
    int timestamp_offset_ = -1;       // --clock capture: the rx-timestamp dynamic field
    std::uint64_t timestamp_flag_ = 0;
    int socket_ = 0;
    book::MemorySource book_memory_;  // the books' tables: this lcore's socket memory
    std::uint64_t executor_bytes_ = 0;
    socket_block executor_memory_;
    pipeline_store pipelines_;
    bbo_batch batch_;
    notify batch_ready_;
    bbo_publisher publisher_;
    feed_pipeline** feeds_ = pipelines_.items;
    std::uint32_t& feed_count_ = pipelines_.count;
    bool hold_failed_ = false;
    // What the constructor could not set up, reported by ready(): the first spawn that failed,
    // and pollers the executor had no slot for.
    spawn_error spawn_failure_ = spawn_error::none;
    std::uint32_t poller_failures_ = 0;
    std::uint64_t events_dropped_ = 0;
    std::uint64_t rx_packets_ = 0;
    std::uint64_t rx_bursts_ = 0;
    std::uint64_t stalls_reported_ = 0;
    std::uint64_t last_stall_report_ns_ = 0;
    executor executor_;
};

}  // namespace hypertick::gw
