// One feed on a worker lcore: its RX lines, its receiver and stream, its books, and the handler
// that joins them. The worker's receive path (receive_path.cpp) drives it.
#pragma once

#include <array>
#include <cstdint>

#include "config/settings.hpp"
#include "hypertick/book/bbo.hpp"
#include "hypertick/book/book_feed_handler.hpp"
#include "hypertick/book/book_manager.hpp"
#include "hypertick/feed/feed_receiver.hpp"
#include "hypertick/hypertick.hpp"
#include "worker/rerequest_sender.hpp"

struct rte_mbuf;

namespace hypertick::gw {

inline constexpr std::uint16_t rx_burst_size = 32;
inline constexpr std::uint32_t bbo_batch_capacity = 8192;
using bbo_batch = book::bbo_buffer<bbo_batch_capacity>;

class worker;
struct feed_pipeline;

// The feed library's handler: the books (through the prefetching handler, which holds up to 16
// order messages so their order slots are in cache when applied; flushed after every
// datagram), plus session, gap, end-of-session and validity reports. It counts the messages it
// applies to the books (take_applied), so the receive path records one rx_to_book latency for
// each of them.
struct pipeline_handler : book::pipelined_book_handler<bbo_batch> {
    pipeline_handler(book::book_manager& books_in, bbo_batch& sink_in, feed_pipeline& p)
        : book::pipelined_book_handler<bbo_batch>(books_in, sink_in), pipeline(p) {}

    void on_session_start(const feed::mold_session& session);
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

// The stream settings of a feed (hold window, recovery timers, acceptance rules); `key` keys
// the copy check's hash (drawn once at start-up).
feed::stream_settings stream_settings(const feed_settings& s, bool restart_on_loop,
                                      const feed::copy_key& key);

struct feed_pipeline {
    // `hold` holds the feed's hold window (stream_settings().hold_capacity slots, zeroed).
    feed_pipeline(worker& w, bbo_batch& batch, std::uint16_t feed_index, const feed_settings& s,
                  const feed_line_ports& ports, bool restart_on_loop, const feed::copy_key& key,
                  std::uint8_t* hold);

    worker& owner;
    std::uint16_t feed_index;
    book::book_manager books;
    bool books_allocated = false;  // books.init found memory for every table
    pipeline_handler handler;
    // Every line's frames go through the receiver and its stream, the feed's one ordering point.
    feed::feed_receiver<pipeline_handler> receiver;

    feed_line lines[feed::max_feed_lines];
    std::uint32_t line_count = 1;  // A, B, then the re-request answers
    bool arbitrated = false;       // two lines or recovery: the recovery task runs the timers
    void* hold_memory = nullptr;   // socket memory of the hold window
    rerequest_sender rerequests;
    feed::stream_state reported_state = feed::stream_state::no_session;
    std::uint32_t reported_invalid = 0;

    std::uint64_t burst_tsc = 0;  // when rte_eth_rx_burst returned
    notify burst_ready;
    bool clock_deferred = false;  // --clock capture: the burst is handed over next loop turn

    // The books stopped being valid: validity_task publishes every book's top again, flagged,
    // from locate `republish_next` on (locate_count: nothing left to publish).
    notify books_invalidated;
    std::uint32_t republish_next = book::locate_count;

    notify gap_opened;
    std::uint64_t pending_gaps = 0;  // gaps since the alarm last reported
    std::uint64_t pending_gap_first = 0;
    std::uint64_t pending_gap_missing = 0;

    std::uint64_t last_datagram_ns = 0;
    std::uint64_t stale_since_ns = 0;
    bool stale = false;
    bool seen_traffic = false;
    bool end_reported = false;  // end of session is sent several times: report it once
    std::uint64_t reported_capacity_drops = 0;
};

}  // namespace hypertick::gw
