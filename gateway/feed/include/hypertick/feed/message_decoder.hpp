// Decodes the ITCH messages of one MoldUDP64 datagram that the feed stream released, in order,
// into the handler. It never decides which messages are new: the stream does (feed_stream.hpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "hypertick/feed/feed_counters.hpp"
#include "hypertick/feed/itch_dispatch.hpp"
#include "hypertick/feed/moldudp64.hpp"
#include "hypertick/feed/order_event.hpp"

namespace hypertick::feed {

template <class Handler>
concept wants_order_events = requires(Handler& h, const order_event& e) {
    h.on_order_event(e, uint64_t{0});
};

// A handler that reads the order messages in place: on_order_message(message, sequence) gets
// each of the seven order types once it is known to be at least its type's length with a valid
// side, as a pointer into the datagram (or file) that stays valid until the handler's flush(),
// which the caller issues before it lets the datagram go. Preferred over on_order_event.
template <class Handler>
concept wants_order_messages = requires(Handler& h, const uint8_t* m) {
    h.on_order_message(m, uint64_t{0});
};

// The side bytes an order event may carry: 'B', 'S', or 0 (the types without a side).
inline constexpr std::array<bool, 256> side_allowed = [] {
    std::array<bool, 256> t{};
    t[0] = t['B'] = t['S'] = true;
    return t;
}();

// The types whose messages change the books: the seven order types, and R, which lists a
// symbol. One of them that cannot be decoded (too short for its type, an add without a valid
// side) leaves books that may differ from the exchange's. An empty message's type is unknown:
// it counts as one of them.
inline constexpr std::array<bool, 256> changes_books = [] {
    std::array<bool, 256> t{};
    for (const char type : {'A', 'F', 'E', 'C', 'X', 'D', 'U', 'R'})
        t[static_cast<uint8_t>(type)] = true;
    return t;
}();

inline bool books_missed(feed_event event, const uint8_t* message, uint16_t length) {
    return event != feed_event::message_decoded && event != feed_event::message_unknown_type &&
           (length == 0 || changes_books[message[0]]);
}

// Decodes one ITCH message into `handler`, the one way every reader of the feed does (the
// decoder below, book_replay's historical files): handlers that take order messages get the
// seven order types in place once their length and an add's side are checked; handlers that
// accept order_event get them through the branch-free decoder (order_event.hpp), with the
// same checks; everything else goes through the typed views. Inlined into the block walk: a call
// per message costs more than the decode.
template <class Handler>
[[gnu::always_inline]] inline feed_event decode_itch_message(const uint8_t* message,
                                                             uint16_t length, uint64_t sequence,
                                                             Handler& handler) {
    if constexpr (wants_order_messages<Handler>) {
        if (is_order_message(message, length)) [[likely]] {
            // The same side check as below, on the message's own byte.
            if (!side_allowed[static_cast<uint8_t>(order_message_side(message))]) [[unlikely]]
                return feed_event::malformed_order_side;
            handler.on_order_message(message, sequence);
            return feed_event::message_decoded;
        }
    } else if constexpr (wants_order_events<Handler>) {
        order_event event;
        if (decode_order_event(message, length, event)) [[likely]] {
            // Only adds carry a side (0 for the other types); a book must never guess one.
            // A table, not compares: B and S alternate at random, and a branch on either
            // would mispredict on every other add.
            if (!side_allowed[static_cast<uint8_t>(event.side)]) [[unlikely]]
                return feed_event::malformed_order_side;
            handler.on_order_event(event, sequence);
            return feed_event::message_decoded;
        }
    }
    return dispatch_itch_message(message, length, sequence, handler);
}

// How far a datagram's blocks could be read.
struct block_walk {
    uint32_t readable = 0;         // blocks wholly inside the payload
    const uint8_t* end = nullptr;  // where the last of them ended
};

// What decode() shows each dispatched message to besides the handler: nothing by default.
struct no_block_observer {
    [[gnu::always_inline]] void operator()(const uint8_t*, uint16_t, uint64_t) const {}
};

template <class Handler>
class message_decoder {
  public:
    message_decoder(Handler& handler, feed_counters& counters)
        : handler_(handler), counters_(counters) {}

    // Walks up to `messages` blocks after the 20-byte header, dispatching blocks
    // [skip, messages). Message i gets sequence number `first + i` (0 for every message when
    // `first` is 0: the datagram carries no numbering). `observe(message, length, sequence)`
    // sees each dispatched message too, in the same pass.
    template <class Observer = no_block_observer>
    [[gnu::always_inline]] block_walk decode(const uint8_t* payload, uint32_t length,
                                             uint64_t first, uint16_t skip, uint16_t messages,
                                             Observer observe = {}) {
        const uint8_t* block = payload + mold_header_length;
        const uint8_t* const end = payload + length;
        const uint64_t step = first == 0 ? 0 : 1;
        uint64_t sequence = first;
        uint32_t dispatched = 0;
        uint32_t not_decoded = 0;
        uint32_t i = 0;
        for (; i < messages; ++i, sequence += step) {
            if (end - block < static_cast<ptrdiff_t>(mold_length_prefix)) break;
            const uint16_t message_length = base::load_be16(block);
            const uint8_t* message = block + mold_length_prefix;
            if (end - message < static_cast<ptrdiff_t>(message_length)) break;
            block = message + message_length;
            if (i < skip) continue;
            observe(message, message_length, sequence);
            const feed_event event = decode_one(message, message_length, sequence);
            ++dispatched;
            if (event != feed_event::message_decoded) [[unlikely]] {
                note_not_decoded(event, message, message_length);
                ++not_decoded;
            }
        }
        counters_.count(feed_event::message_decoded, dispatched - not_decoded);
        return block_walk{i, block};
    }

    // One message given by itself (released from the hold window).
    void decode_message(const uint8_t* message, uint16_t length, uint64_t sequence) {
        const feed_event event = decode_one(message, length, sequence);
        counters_.count(event);
        unapplied_ += books_missed(event, message, length);
    }

    Handler& handler() { return handler_; }
    // Messages of a type that changes the books that could not be decoded (books_missed).
    uint64_t unapplied() const { return unapplied_; }

  private:
    // Out of the walk's loop: the rare outcomes stay out of the hot code.
    [[gnu::cold, gnu::noinline]] void note_not_decoded(feed_event event, const uint8_t* message,
                                                       uint16_t length) {
        counters_.count(event);
        unapplied_ += books_missed(event, message, length);
    }

    [[gnu::always_inline]] feed_event decode_one(const uint8_t* message, uint16_t length,
                                                 uint64_t sequence) {
        return decode_itch_message(message, length, sequence, handler_);
    }

    Handler& handler_;
    feed_counters& counters_;
    uint64_t unapplied_ = 0;
};

}  // namespace hypertick::feed
