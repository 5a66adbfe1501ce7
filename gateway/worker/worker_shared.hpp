// What a worker lcore shares with the control plane, and nothing else.
//
// Counters are published by the worker every few milliseconds into relaxed atomics (a plain
// store on x86: no lock prefix, no fence); the control plane and the telemetry thread only read
// them. The worker's own hot counters stay plain and private. Each struct sits on its own cache
// lines so two lcores never write the same line.
#pragma once

#include <atomic>
#include <cstdint>

#include "hypertick/book/bbo.hpp"
#include "hypertick/feed/stream_counters.hpp"

namespace hypertick::gw {

inline constexpr std::uint32_t max_feeds_per_worker = 8;
inline constexpr std::uint32_t book_query_depth = 10;

struct alignas(64) feed_shared {
    std::atomic<std::uint64_t> frames{0};
    std::atomic<std::uint64_t> datagrams{0};
    std::atomic<std::uint64_t> messages{0};         // decoded ITCH messages delivered
    std::atomic<std::uint64_t> malformed{0};        // every malformed_* outcome
    std::atomic<std::uint64_t> filtered{0};         // frames for other groups/ports or not UDP
    std::atomic<std::uint64_t> unknown_types{0};
    std::atomic<std::uint64_t> duplicates{0};       // messages dropped as already seen
    std::atomic<std::uint64_t> gaps{0};
    std::atomic<std::uint64_t> missing_messages{0};
    std::atomic<std::uint64_t> next_seq{0};
    std::atomic<std::uint64_t> bbo_updates{0};
    std::atomic<std::uint64_t> book_rejects{0};     // unknown refs, duplicate adds, capacity
    std::atomic<std::uint64_t> live_orders{0};
    std::atomic<std::uint64_t> last_datagram_ns{0};
    std::atomic<std::uint32_t> stale{0};
    std::atomic<std::uint32_t> end_of_session{0};
    // Per line (A, B, re-request answers): traffic, and drops by feed::line_drop_counters.
    std::atomic<std::uint64_t> line_datagrams[feed::max_feed_lines] = {};
    std::atomic<std::uint64_t> line_first_arrivals[feed::max_feed_lines] = {};
    std::atomic<std::uint64_t> line_duplicates[feed::max_feed_lines] = {};
    std::atomic<std::uint64_t> line_missed_messages[feed::max_feed_lines] = {};
    std::atomic<std::uint64_t> line_drops[feed::max_feed_lines][feed::line_drop_reasons] = {};
    std::atomic<std::uint32_t> stream_state{0};     // feed::StreamState
    std::atomic<std::uint32_t> invalid_reasons{0};  // feed::InvalidReason bits; 0: books valid
    std::atomic<std::uint64_t> held_messages{0};    // in the hold window now
    std::atomic<std::uint64_t> rerequests_sent{0};
    std::atomic<std::uint64_t> holes_skipped{0};
    std::atomic<std::uint64_t> hold_full{0};
    char session[11] = {};                          // written before `session_set` (release)
    std::atomic<std::uint32_t> session_set{0};
};

// A one-slot request/response box: the telemetry thread asks for a book, the worker answers from
// its own lcore at the top of a loop turn. The requester never touches the worker's data.
struct alignas(64) book_query {
    enum : std::uint32_t { idle = 0, requested = 1, answered = 2 };
    std::atomic<std::uint32_t> state{idle};
    char symbol[9] = {};                // request
    bool found = false;                 // response from here on
    std::uint16_t locate = 0;
    std::uint16_t feed = 0;
    std::uint32_t bid_levels = 0;
    std::uint32_t ask_levels = 0;
    book::TopLevel bids[book_query_depth];
    book::TopLevel asks[book_query_depth];
};

struct alignas(64) worker_shared {
    std::atomic<bool> stop{false};                  // control plane -> worker
    std::atomic<std::uint64_t> progress{0};         // bumped by the worker every few ms (watchdog)
    std::atomic<std::uint64_t> loop_turns{0};
    std::atomic<std::uint64_t> polls{0};
    std::atomic<std::uint64_t> stalls{0};
    std::atomic<std::uint64_t> rx_packets{0};
    std::atomic<std::uint64_t> rx_bursts{0};
    std::atomic<std::uint64_t> tx_datagrams{0};
    std::atomic<std::uint64_t> tx_dropped{0};       // datagrams the TX queue refused
    std::atomic<std::uint64_t> bbo_overflowed{0};   // updates past the per-burst buffer
    std::atomic<std::uint64_t> events_dropped{0};   // event ring full
    std::atomic<std::uint64_t> heap_calls{0};       // since the loop started (counted builds)
    std::atomic<bool> heap_counted{false};
    feed_shared feeds[max_feeds_per_worker];
    book_query query;
};

}  // namespace hypertick::gw
