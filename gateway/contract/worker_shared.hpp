// The memory a worker lcore shares with the control plane, and nothing else (the events it
// sends are in worker_event.hpp, its latency histograms in latency_probe.hpp).
//
// Counters are published by the worker every few milliseconds into relaxed atomics (a plain
// store on x86: no lock prefix, no fence); the control plane and the telemetry thread only read
// them. The worker's own hot counters stay plain and private. Each struct sits on its own cache
// lines so two lcores never write the same line.
//
// Every counter is listed once, with its name, unit and meaning, in worker_counter_table or
// feed_counter_table below: telemetry, the final report and the per-second line print exactly
// those tables. Adding a counter is a field here, a row in a table, and the store in
// worker::publish_counters.
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
    std::atomic<std::uint64_t> messages{0};   // decoded ITCH messages delivered
    std::atomic<std::uint64_t> malformed{0};  // every malformed_* outcome
    std::atomic<std::uint64_t> filtered{0};   // frames for other groups/ports or not UDP
    std::atomic<std::uint64_t> unknown_types{0};
    std::atomic<std::uint64_t> duplicates{0};  // messages dropped as already seen
    std::atomic<std::uint64_t> gaps{0};
    std::atomic<std::uint64_t> missing_messages{0};
    std::atomic<std::uint64_t> next_seq{0};
    std::atomic<std::uint64_t> bbo_updates{0};
    std::atomic<std::uint64_t> book_rejects{0};  // unknown refs, duplicate adds, capacity
    std::atomic<std::uint64_t> live_orders{0};
    // The books' order window (book::order_window_counters).
    std::atomic<std::uint64_t> window_moved_behind{0};
    std::atomic<std::uint64_t> window_added_behind{0};
    std::atomic<std::uint64_t> window_far_slides{0};
    std::atomic<std::uint64_t> window_rebases{0};
    std::atomic<std::uint64_t> last_datagram_ns{0};
    std::atomic<std::uint32_t> stale{0};
    std::atomic<std::uint32_t> end_of_session{0};
    // Per line (A, B, re-request answers): traffic, and drops by feed::line_drop_counters.
    std::atomic<std::uint64_t> line_datagrams[feed::max_feed_lines] = {};
    std::atomic<std::uint64_t> line_first_arrivals[feed::max_feed_lines] = {};
    std::atomic<std::uint64_t> line_duplicates[feed::max_feed_lines] = {};
    std::atomic<std::uint64_t> line_missed_messages[feed::max_feed_lines] = {};
    std::atomic<std::uint64_t> line_drops[feed::max_feed_lines][feed::line_drop_reasons] = {};
    std::atomic<std::uint32_t> stream_state{0};     // feed::stream_state
    std::atomic<std::uint32_t> invalid_reasons{0};  // feed::invalid_reason bits; 0: books valid
    std::atomic<std::uint64_t> held_messages{0};    // in the hold window now
    std::atomic<std::uint64_t> rerequests_sent{0};
    std::atomic<std::uint64_t> hold_full{0};
    std::atomic<std::uint64_t> verified_messages{0};
    std::atomic<std::uint64_t> mismatched_messages{0};
    std::atomic<std::uint64_t> unverified_messages{0};
    char session[11] = {};  // written before `session_set` (release)
    std::atomic<std::uint32_t> session_set{0};
};

// A one-slot request/response box: the telemetry thread asks for a book, the worker answers from
// its own lcore at the top of a loop turn. The requester never touches the worker's data.
// Who may write the box is decided by `state` alone: the requester writes the symbol while it is
// idle, the worker the answer while it is answering; each hand-over is one atomic step, so a
// requester that gives up (a stalled worker) never races a worker that has begun to answer.
struct alignas(64) book_query {
    enum : std::uint32_t { idle = 0, requested = 1, answering = 2, answered = 3 };

    // Requester: true when the box is free for a new request (a late answer to a request given
    // up earlier is dropped here); false while the worker is still answering one.
    bool open() noexcept {
        std::uint32_t seen = state.load(std::memory_order_acquire);
        if (seen == answered) {
            state.store(idle, std::memory_order_relaxed);
            seen = idle;
        }
        return seen == idle;
    }
    // Requester, after writing `symbol` into an open box.
    void request() noexcept { state.store(requested, std::memory_order_release); }
    // Requester giving up: true when the worker had not taken the request (the box is idle
    // again); false when it is answering, and the answer must be waited for or left.
    bool withdraw() noexcept {
        std::uint32_t expected = requested;
        return state.compare_exchange_strong(expected, idle, std::memory_order_acq_rel);
    }
    // Requester: the answer is complete and may be read; done() frees the box.
    [[nodiscard]] bool is_answered() const noexcept {
        return state.load(std::memory_order_acquire) == answered;
    }
    void done() noexcept { state.store(idle, std::memory_order_release); }
    // Worker: true when a request was waiting and is now this worker's to answer.
    bool take() noexcept {
        if (state.load(std::memory_order_relaxed) != requested) return false;
        std::uint32_t expected = requested;
        return state.compare_exchange_strong(expected, answering, std::memory_order_acq_rel);
    }
    // Worker, after writing the answer.
    void answer() noexcept { state.store(answered, std::memory_order_release); }

    std::atomic<std::uint32_t> state{idle};
    char symbol[9] = {};  // request
    bool found = false;   // response from here on
    std::uint16_t locate = 0;
    std::uint16_t feed = 0;
    std::uint32_t bid_levels = 0;
    std::uint32_t ask_levels = 0;
    book::top_level bids[book_query_depth];
    book::top_level asks[book_query_depth];
};

struct alignas(64) worker_shared {
    std::atomic<bool> stop{false};           // control plane -> worker
    std::atomic<std::uint64_t> progress{0};  // bumped by the worker every few ms (watchdog)
    std::atomic<std::uint64_t> loop_turns{0};
    std::atomic<std::uint64_t> polls{0};
    std::atomic<std::uint64_t> stalls{0};
    std::atomic<std::uint64_t> rx_packets{0};
    std::atomic<std::uint64_t> rx_bursts{0};
    std::atomic<std::uint64_t> tx_datagrams{0};
    std::atomic<std::uint64_t> tx_dropped{0};      // datagrams the TX queue refused
    std::atomic<std::uint64_t> bbo_overflowed{0};  // updates past the per-burst buffer
    std::atomic<std::uint64_t> events_dropped{0};  // event ring full
    std::atomic<std::uint64_t> heap_calls{0};      // since the loop started (counted builds)
    std::atomic<bool> heap_counted{false};
    feed_shared feeds[max_feeds_per_worker];
    book_query query;
};

// How a counter reads: `total` only grows (the per-second line shows its rate too); `level` is
// a value now (live orders), shown as it is.
enum class counter_kind : std::uint8_t { total, level };

// One published counter: its name (the telemetry key, and the word in the final report and the
// per-second line), where it lives, its unit and what it counts.
template <class Shared>
struct shared_counter {
    const char* name;
    std::atomic<std::uint64_t> Shared::*field;
    counter_kind kind;
    const char* unit;
    const char* doc;
};

inline constexpr shared_counter<worker_shared> worker_counter_table[] = {
    {"rx_packets", &worker_shared::rx_packets, counter_kind::total, "packets",
     "frames taken from the feeds' RX queues"},
    {"rx_bursts", &worker_shared::rx_bursts, counter_kind::total, "bursts",
     "rte_eth_rx_burst calls that returned frames"},
    {"tx_datagrams", &worker_shared::tx_datagrams, counter_kind::total, "datagrams",
     "top-of-book datagrams handed to TX"},
    {"tx_dropped", &worker_shared::tx_dropped, counter_kind::total, "datagrams",
     "datagrams the TX queue refused or no mbuf was free for"},
    {"bbo_overflowed", &worker_shared::bbo_overflowed, counter_kind::total, "updates",
     "BBO updates past the per-burst batch, not published"},
    {"events_dropped", &worker_shared::events_dropped, counter_kind::total, "events",
     "events lost to a full event ring"},
    {"loop_turns", &worker_shared::loop_turns, counter_kind::total, "turns",
     "executor loop iterations"},
    {"polls", &worker_shared::polls, counter_kind::total, "polls", "task resumptions"},
    {"stalls", &worker_shared::stalls, counter_kind::total, "polls",
     "task polls longer than worker.stall_budget_us"},
    {"progress", &worker_shared::progress, counter_kind::total, "publications",
     "counter publications (the systemd watchdog checks that it moves)"},
};

inline constexpr shared_counter<feed_shared> feed_counter_table[] = {
    {"frames", &feed_shared::frames, counter_kind::total, "frames",
     "frames received on the feed's lines"},
    {"datagrams", &feed_shared::datagrams, counter_kind::total, "datagrams",
     "MoldUDP64 datagrams accepted"},
    {"messages", &feed_shared::messages, counter_kind::total, "messages",
     "ITCH messages delivered in sequence"},
    {"malformed", &feed_shared::malformed, counter_kind::total, "frames",
     "malformed frames, datagrams or messages"},
    {"filtered", &feed_shared::filtered, counter_kind::total, "frames",
     "frames not for this feed: other groups or ports, not IPv4/UDP, IP fragments"},
    {"unknown_types", &feed_shared::unknown_types, counter_kind::total, "messages",
     "ITCH messages of unknown type"},
    {"duplicates", &feed_shared::duplicates, counter_kind::total, "messages",
     "messages dropped as already seen"},
    {"gaps", &feed_shared::gaps, counter_kind::total, "gaps", "sequence gaps skipped"},
    {"missing_messages", &feed_shared::missing_messages, counter_kind::total, "messages",
     "messages lost in gaps"},
    {"bbo_updates", &feed_shared::bbo_updates, counter_kind::total, "updates",
     "best bid or offer changes"},
    {"book_rejects", &feed_shared::book_rejects, counter_kind::total, "messages",
     "order messages the books refused: unknown or duplicate references, capacity"},
    {"live_orders", &feed_shared::live_orders, counter_kind::level, "orders",
     "orders resting in the books now"},
    {"window_moved_behind", &feed_shared::window_moved_behind, counter_kind::total, "orders",
     "live orders moved from the order window to the hashed table when a newer reference took "
     "their slot"},
    {"window_added_behind", &feed_shared::window_added_behind, counter_kind::total, "orders",
     "adds whose order reference was already behind the order window"},
    {"window_far_slides", &feed_shared::window_far_slides, counter_kind::total, "slides",
     "adds whose order reference lay more than the order window's width ahead of it"},
    {"window_rebases", &feed_shared::window_rebases, counter_kind::total, "rebases",
     "adds behind the order window while no order was live: the window moved back to them"},
    {"held_messages", &feed_shared::held_messages, counter_kind::level, "messages",
     "messages in the hold window now"},
    {"rerequests_sent", &feed_shared::rerequests_sent, counter_kind::total, "requests",
     "MoldUDP64 re-requests sent"},
    {"hold_full", &feed_shared::hold_full, counter_kind::total, "messages",
     "messages past a full hold window"},
    {"verified_messages", &feed_shared::verified_messages, counter_kind::total, "messages",
     "copies of delivered messages (another line, a resend, an answer) equal to the one applied"},
    {"mismatched_messages", &feed_shared::mismatched_messages, counter_kind::total, "messages",
     "copies of delivered messages that differ from the one applied: books invalid"},
    {"unverified_messages", &feed_shared::unverified_messages, counter_kind::total, "messages",
     "copies of messages no longer remembered (verify_window) or never delivered"},
};

}  // namespace hypertick::gw
