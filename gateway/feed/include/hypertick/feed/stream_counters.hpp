// What the feed stream (feed_stream.hpp) counts and how it qualifies the books it feeds: its
// settings, per-feed and per-line counters, the sequencing state and the reasons the books
// can no longer be trusted. docs/protocol.md defines every counter.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

#include "hypertick/feed/copy_key.hpp"

namespace hypertick::feed {

// Lines of one feed: A and B carry the multicast data; the third carries the re-request
// server's unicast answers.
inline constexpr uint32_t max_feed_lines = 3;
inline constexpr uint32_t line_a = 0;
inline constexpr uint32_t line_b = 1;
inline constexpr uint32_t recovery_line = 2;
inline constexpr uint32_t max_data_lines = 2;

// Re-requests one round may have outstanding; answers are accepted only inside them.
inline constexpr uint32_t max_outstanding_requests = 16;

// A datagram held back as an implausible jump is copied here until confirmed: the largest UDP
// payload of a jumbo frame.
inline constexpr uint32_t jump_buffer_bytes = 9216;

struct stream_settings {
    uint32_t data_lines = 1;  // 1 (A) or 2 (A and B)
    bool recovery = false;    // the recovery line carries re-request answers
    // Messages beyond a hole wait here (64 B each) for the other line or the server. A power of
    // two, or 0: no hold window, a hole is skipped at once (the single-line feed).
    uint32_t hold_capacity = 0;
    uint64_t line_wait_ns = 20'000'000;   // a hole's age before it is requested (or skipped)
    uint64_t retry_ns = 50'000'000;       // between request rounds for the same hole
    uint64_t timeout_ns = 1'000'000'000;  // a hole without progress this long is given up
    uint32_t max_outstanding = 4;         // requests per round, <= max_outstanding_requests
    uint16_t max_messages_per_request = 40;
    // A datagram starting more than this many numbers past the highest known one is held
    // back until a second datagram or the other line confirms the jump.
    uint64_t max_sequence_jump = 65536;
    // Messages whose hash is remembered after delivery, so that another copy of the same
    // number (the other line's, a resend, an answer) is compared with the applied one
    // (copy_check.hpp). A power of two, or 0: copies are not compared.
    uint32_t verify_window = 0;
    // The secret that keys the copies' hash; it must be drawn (draw_copy_key at start-up, or
    // fixed by a test) when verify_window is not 0.
    copy_key copy_hash_key{};
    // Datagrams with sequence number 0 (anonymised captures) are applied as they come.
    // Never on the recovery line.
    bool accept_unsequenced = true;
    // Benchmark replays of a looping capture: when every number restarts at the first one,
    // the stream restarts too (counters kept). Never on a live feed.
    bool restart_on_loop = false;
};

// The live sequencing state (telemetry, the final report, the snapshot).
enum class stream_state : uint8_t {
    no_session,    // nothing accepted yet
    synchronized,  // every number up to the highest known one has been delivered
    gap_fill,      // a hole: messages beyond it wait (hold window) for another line or the server
    given_up,      // recovery gave a hole up (timeout or hold window full); sticky for the session
};

inline const char* to_string(stream_state s) {
    switch (s) {
        case stream_state::no_session:
            return "no_session";
        case stream_state::synchronized:
            return "synchronized";
        case stream_state::gap_fill:
            return "gap_fill";
        case stream_state::given_up:
            return "given_up";
    }
    return "?";
}

// Why a feed's books are not valid: a bit set once and kept for the session. Bits 0-7 come
// from the stream, bits 8-15 from the books (book_manager.hpp).
enum invalid_reason : uint32_t {
    invalid_gap_skipped = 1u << 0,       // numbers were given up (loss, late join, skipped hole)
    invalid_recovery_timeout = 1u << 1,  // a hole made no progress for recovery.timeout_ms
    invalid_hold_full = 1u << 2,         // a message did not fit the hold window
    invalid_unsequenced = 1u << 3,       // sequence-0 data was applied: completeness unknown
    invalid_session_changed = 1u << 4,   // a new session replaced one that had delivered data
    invalid_end_of_session_conflict = 1u << 5,  // data or an end contradicted a known end
    invalid_unapplied_message = 1u << 6,   // a message that changes the books could not be decoded
    invalid_copy_mismatch = 1u << 7,       // two copies of one message number differ
    invalid_book_capacity = 1u << 8,       // an add did not fit a book table
    invalid_reference_mismatch = 1u << 9,  // a message named an order the books do not hold,
                                           // added one they already held, or reduced one
                                           // by more shares than it held
};

inline constexpr std::array<std::pair<uint32_t, std::string_view>, 10> invalid_reason_names = {{
    {invalid_gap_skipped, "gap_skipped"},
    {invalid_recovery_timeout, "recovery_timeout"},
    {invalid_hold_full, "hold_full"},
    {invalid_unsequenced, "unsequenced"},
    {invalid_session_changed, "session_changed"},
    {invalid_end_of_session_conflict, "end_of_session_conflict"},
    {invalid_unapplied_message, "unapplied_message"},
    {invalid_copy_mismatch, "copy_mismatch"},
    {invalid_book_capacity, "book_capacity"},
    {invalid_reference_mismatch, "reference_mismatch"},
}};

// Per line: what it brought and what was dropped from it, by reason.
struct line_counters {
    uint64_t datagrams = 0;            // well-formed MoldUDP64 datagrams accepted from this line
    uint64_t first_arrivals = 0;       // data datagrams that brought at least one new message
    uint64_t duplicates = 0;           // data datagrams that brought nothing new
    uint64_t missed_messages = 0;      // numbers this line skipped (its own loss, filled or not)
    uint64_t wrong_source = 0;         // frames from another source address or port: dropped
    uint64_t foreign_session = 0;      // datagrams of another session than the feed's: dropped
    uint64_t unsequenced_dropped = 0;  // sequence-0 datagrams not accepted here: dropped
    uint64_t implausible_jumps = 0;    // held back as too far ahead (see jumps_confirmed)
    uint64_t unrequested = 0;          // answers for nothing outstanding (recovery line): dropped
    uint64_t beyond_request = 0;       // answer messages outside every outstanding request: dropped
    uint64_t stale_loop = 0;           // restart_on_loop: datagrams of a previous pass: dropped
    uint64_t before_session = 0;       // line B before line A named the session: dropped
    uint64_t after_end_of_session = 0;  // datagrams reaching past the session's end: dropped
};

// Every per-line drop counter with its name (telemetry keys, the final report): adding a drop
// reason is one line_counters field and one line here.
inline constexpr std::array<std::pair<std::string_view, uint64_t line_counters::*>, 9>
    line_drop_counters = {{
        {"wrong_source", &line_counters::wrong_source},
        {"foreign_session", &line_counters::foreign_session},
        {"unsequenced_dropped", &line_counters::unsequenced_dropped},
        {"implausible_jumps", &line_counters::implausible_jumps},
        {"unrequested", &line_counters::unrequested},
        {"beyond_request", &line_counters::beyond_request},
        {"stale_loop", &line_counters::stale_loop},
        {"before_session", &line_counters::before_session},
        {"after_end_of_session", &line_counters::after_end_of_session},
    }};
inline constexpr uint32_t line_drop_reasons = line_drop_counters.size();

struct alignas(64) stream_counters {
    // The single-line meanings of itch_gen --expect (docs/protocol.md, Counters).
    uint64_t packets = 0;                 // datagrams with a readable header and no overflow
    uint64_t messages = 0;                // messages delivered, each once, in order
    uint64_t gaps = 0;                    // runs of numbers given up (lost to the books)
    uint64_t missing_messages = 0;        // numbers in those runs
    uint64_t duplicate_messages = 0;      // messages at numbers already delivered
    uint64_t duplicate_packets = 0;       // data datagrams with no new message
    uint64_t heartbeats = 0;              // count 0
    uint64_t end_of_session_packets = 0;  // count 0xFFFF
    uint64_t unsequenced_packets = 0;     // sequence number 0, applied
    uint64_t sessions = 0;                // sessions adopted (the first one included)
    // Holding and recovery.
    uint64_t held_messages = 0;      // copied into the hold window
    uint64_t released_messages = 0;  // delivered from the hold window, in order
    uint64_t gaps_opened = 0;        // times the stream entered gap_fill
    uint64_t requests = 0;           // re-requests asked for
    uint64_t hold_full = 0;          // messages that did not fit the hold window
    uint64_t oversize = 0;           // out-of-order messages longer than a hold slot (lost)
    uint64_t past_end_messages = 0;  // held messages at or past a later end of session: discarded
    // Implausible jumps and loops.
    uint64_t jumps_confirmed = 0;  // held-back jumps a second datagram confirmed (and followed)
    uint64_t loop_restarts = 0;    // restart_on_loop: passes over the capture begun again
    // Copies of delivered messages (verify_window): compared equal, different (books invalid:
    // copy_mismatch), or arrived after their number was forgotten or never delivered.
    uint64_t verified_messages = 0;
    uint64_t mismatched_messages = 0;
    uint64_t unverified_messages = 0;
};

}  // namespace hypertick::feed
