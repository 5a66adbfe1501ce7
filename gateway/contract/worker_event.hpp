// Fixed-size events that worker lcores hand to the control plane (the counters they share are
// in worker_shared.hpp, the latency histograms in latency_probe.hpp).
//
// Workers never format or log: they fill one of these (64 bytes, no pointers) and enqueue it on
// their single-producer ring; the main lcore drains the rings into spdlog. When a ring is full
// the event is dropped and counted (worker_shared::events_dropped), never waited for.
#pragma once

#include <cstdint>

namespace hypertick::gw {

enum class worker_event_kind : std::uint8_t {
    worker_started,   // a: executor bytes
    feed_stale,       // a: ms since the last datagram, b: 1 if the feed had sent anything
    feed_recovered,   // a: ms the feed was stale
    gap,              // a: first missing sequence, b: missing messages
    session_started,  // text: session name
    end_of_session,   // a: next expected sequence
    book_degraded,    // a: adds dropped for capacity so far, b: book::degraded_* bits
    stall,            // a: longest poll so far (ns), b: stalls since the last report
    worker_stopped,   // a: heap calls since the loop started (when counted), b: 1 if counted
    recovery_state,   // a: feed::stream_state, b: feed::invalid_reason bits, text: state name
    books_invalid,    // a: feed::invalid_reason bits now, b: the bits reported before
};

const char* to_string(worker_event_kind kind);

struct alignas(64) worker_event {
    std::uint64_t time_ns = 0;  // gateway clock
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::uint32_t lcore = 0;
    std::uint16_t feed = 0;  // index into gateway_config::feeds
    worker_event_kind kind = worker_event_kind::worker_started;
    char text[25] = {};  // NUL-terminated, e.g. a session name
};
static_assert(sizeof(worker_event) == 64);

}  // namespace hypertick::gw
