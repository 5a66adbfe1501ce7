// The book's fast path: the seven order messages (A F E C X D U) decoded without a branch on
// their type, into one normalised record.
//
// Why: on a realistic mix, a switch on the message type mispredicts on most messages, and on
// this machine that alone costs ~6 ns/message (docs/performance.md). All seven order types put
// the order reference at offset 11, and every other field sits at a per-type offset, so one
// table lookup gives the offsets and masks and the fields are loaded unconditionally. The type
// branch then happens once, in the book, where it is needed anyway.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

#include "hypertick/base/byte_order.hpp"
#include "hypertick/feed/itch_messages.hpp"

namespace hypertick::feed {

struct order_event {
    uint64_t order_ref = 0;      // A F E C X D: the order; U: the original order
    uint64_t new_order_ref = 0;  // U: the replacing order; else 0
    uint32_t shares = 0;         // A F: shares; E C: executed; X: cancelled; U: new total; D: 0
    uint32_t price = 0;          // A F U: the order's price (Price(4)); else 0 (C's is not used)
    uint16_t stock_locate = 0;
    char type = 0;  // the ITCH type byte: 'A' 'F' 'E' 'C' 'X' 'D' 'U'
    char side = 0;  // A F: 'B' or 'S'; else 0
    uint64_t timestamp_ns = 0;
};

namespace detail {

// Where each field of an order message lives. A missing field is read from a harmless offset
// inside the message and masked to zero.
// Why `length` is wider than a message length: a type that is not an order message gets
// not_an_order, longer than any message can be, so "too short for its type" and "not an order
// type" are one compare.
inline constexpr uint32_t not_an_order = uint32_t{UINT16_MAX} + 1;

struct order_layout {
    uint32_t length = not_an_order;  // set for every entry of order_layouts below
    uint8_t shares_offset = 11;
    uint8_t price_offset = 11;
    uint8_t new_ref_offset = 11;
    uint8_t side_offset = 11;
    uint32_t shares_mask = 0;
    uint32_t price_mask = 0;
    uint64_t new_ref_mask = 0;
    uint8_t side_mask = 0;
};

inline constexpr std::array<order_layout, 256> order_layouts = [] {
    std::array<order_layout, 256> t{};
    // Explicitly, not only by the member initialiser: with that alone g++ 12 at -O2 emitted the
    // unassigned entries after 'A' as 0 (the constant evaluation saw 65,536). The test
    // OrderEvent.EveryNonOrderTypeIsRefusedAtTheLongestLength reads the emitted table.
    for (order_layout& layout : t) layout.length = not_an_order;
    constexpr uint32_t all32 = ~uint32_t{0};
    constexpr uint64_t all64 = ~uint64_t{0};
    t['A'] = {add_order::length, 20, 32, 11, 19, all32, all32, 0, 0xff};
    t['F'] = {add_order_mpid::length, 20, 32, 11, 19, all32, all32, 0, 0xff};
    t['E'] = {order_executed::length, 19, 11, 11, 11, all32, 0, 0, 0};
    t['C'] = {order_executed_with_price::length, 19, 11, 11, 11, all32, 0, 0, 0};
    t['X'] = {order_cancel::length, 19, 11, 11, 11, all32, 0, 0, 0};
    t['D'] = {order_delete::length, 11, 11, 11, 11, 0, 0, 0, 0};
    t['U'] = {order_replace::length, 27, 31, 19, 11, all32, all32, all64, 0};
    return t;
}();
static_assert(order_layouts['S'].length == not_an_order && order_layouts[0].length == not_an_order);
static_assert(order_layouts['A'].length == add_order::length);

}  // namespace detail

// True for the seven order types when `length` covers the type; then fills `event`.
inline bool decode_order_event(const uint8_t* message, uint16_t length, order_event& event) {
    if (length == 0) return false;
    const detail::order_layout& layout = detail::order_layouts[message[0]];
    if (length < layout.length) return false;
    event.order_ref = base::load_be64(message + 11);
    event.new_order_ref = base::load_be64(message + layout.new_ref_offset) & layout.new_ref_mask;
    event.shares = base::load_be32(message + layout.shares_offset) & layout.shares_mask;
    event.price = base::load_be32(message + layout.price_offset) & layout.price_mask;
    event.stock_locate = base::load_be16(message + 1);
    event.type = static_cast<char>(message[0]);
    event.side = static_cast<char>(message[layout.side_offset] & layout.side_mask);
    event.timestamp_ns = base::load_be48(message + 5);
    return true;
}

// True when `message` is one of the seven order types and `length` covers its type: what
// decode_order_event accepts, without decoding it.
inline bool is_order_message(const uint8_t* message, uint16_t length) {
    return length != 0 && length >= detail::order_layouts[message[0]].length;
}

// An order message's side byte: 'B' or 'S' for an add, 0 for the other order types.
inline char order_message_side(const uint8_t* message) {
    const detail::order_layout& layout = detail::order_layouts[message[0]];
    return static_cast<char>(message[layout.side_offset] & layout.side_mask);
}

// The longest order message (F).
inline constexpr uint16_t max_order_message_length = add_order_mpid::length;

// Writes `event` as the ITCH order message it was decoded from (the fields the event keeps; the
// others zero) into `out`, which holds max_order_message_length bytes, and returns its length;
// 0 for a type that is not an order type. decode_order_event gives `event` back.
inline uint16_t encode_order_event(const order_event& event, uint8_t* out) {
    const detail::order_layout& layout = detail::order_layouts[static_cast<uint8_t>(event.type)];
    if (layout.length == detail::not_an_order) return 0;
    const uint16_t length = static_cast<uint16_t>(layout.length);
    std::memset(out, 0, length);
    out[0] = static_cast<uint8_t>(event.type);
    base::store_be16(out + 1, event.stock_locate);
    base::store_be48(out + 5, event.timestamp_ns);
    base::store_be64(out + 11, event.order_ref);
    if (layout.new_ref_mask != 0)
        base::store_be64(out + layout.new_ref_offset, event.new_order_ref);
    if (layout.shares_mask != 0) base::store_be32(out + layout.shares_offset, event.shares);
    if (layout.price_mask != 0) base::store_be32(out + layout.price_offset, event.price);
    if (layout.side_mask != 0) out[layout.side_offset] = static_cast<uint8_t>(event.side);
    return length;
}

}  // namespace hypertick::feed
