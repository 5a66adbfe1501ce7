// Decodes one ITCH 5.0 message into its typed view and calls the handler's callback for it.
//
// The handler is a template parameter, so every callback is a direct, inlinable call: the book
// plugs in with no virtual dispatch. Derive from feed_handler_base and define only the callbacks
// you need; the base supplies no-op versions of the rest (name lookup finds yours first).
#pragma once

#include <cstdint>

#include "hypertick/feed/feed_counters.hpp"
#include "hypertick/feed/itch_messages.hpp"
#include "hypertick/feed/moldudp64.hpp"

namespace hypertick::feed {

struct feed_handler_base {
#define HT_DECLARE_NOOP_CALLBACK(name, callback) \
    void callback(name /*message*/, uint64_t /*sequence*/) {}
    HT_ITCH_MESSAGE_TYPES(HT_DECLARE_NOOP_CALLBACK)
#undef HT_DECLARE_NOOP_CALLBACK
    // A type this decoder does not know: newer than ITCH 5.0 as we implement it.
    void on_unknown_message(const uint8_t* /*message*/, uint16_t /*length*/,
                            uint64_t /*sequence*/) {}
    // Stream events (feed_stream.hpp), raised between messages, in stream order.
    void on_session_start(const mold_session& /*session*/) {}
    void on_gap(uint64_t /*first_missing*/, uint64_t /*missing_count*/) {}
    void on_end_of_session(uint64_t /*next_sequence*/) {}
    // The books stopped being valid: `reasons` is every invalid_reason bit set so far.
    void on_books_invalid(uint32_t /*reasons*/) {}
    // The stream is about to overwrite memory whose messages it may have handed out (a slot of
    // its hold window, its jump buffer): a handler that keeps pointers to messages
    // (on_order_message) must be done with them before this returns.
    void on_message_memory_reused() {}
};

// `sequence` is the MoldUDP64 sequence number of this message (0 when the source carries none).
// Returns message_decoded, message_unknown_type or malformed_message_too_short. Each case checks
// its own constant length, so the only data-dependent branch is the switch itself.
template <class Handler>
inline feed_event dispatch_itch_message(const uint8_t* message, uint16_t length, uint64_t sequence,
                                        Handler& handler) {
    if (length == 0) [[unlikely]]
        return feed_event::malformed_message_too_short;
    switch (static_cast<char>(message[0])) {
        // Longer than required is accepted: fields appended by a future revision are ignored.
#define HT_DISPATCH_CASE(name, callback)                                           \
    case name::type:                                                               \
        if (length < name::length) return feed_event::malformed_message_too_short; \
        handler.callback(name{message}, sequence);                                 \
        return feed_event::message_decoded;
        HT_ITCH_MESSAGE_TYPES(HT_DISPATCH_CASE)
#undef HT_DISPATCH_CASE
        default:
            handler.on_unknown_message(message, length, sequence);
            return feed_event::message_unknown_type;
    }
}

}  // namespace hypertick::feed
