// The top-of-book publication format (docs/protocol.md, "Top-of-book datagrams").
//
// One UDP datagram = a 24-byte header + `count` 64-byte records, all little-endian (the
// consumers are x86 hosts; a record is one cache line). Shared by the publisher (encode) and by
// tools/bbo_dump and the tests (decode). No DPDK here.
#pragma once

#include <cstdint>
#include <cstring>

#include "hypertick/book/bbo.hpp"

namespace hypertick::gw::wire {

inline constexpr std::uint32_t magic = 0x42425448;  // "HTBB" in little-endian byte order
inline constexpr std::uint8_t version = 2;          // 2: record offset 2 carries the bbo_flag bits
inline constexpr std::uint32_t header_bytes = 24;
inline constexpr std::uint32_t record_bytes = 64;

struct header {
    std::uint32_t magic;
    std::uint8_t version;
    std::uint8_t publisher;  // the worker lcore that sent it
    std::uint16_t count;     // records that follow
    std::uint64_t sequence;  // per publisher, from 1, +1 per datagram
    std::uint64_t send_ns;   // gateway clock when encoded
};
static_assert(sizeof(header) == header_bytes);

struct record {
    std::uint16_t locate;
    std::uint8_t flags;  // book::bbo_flag bits: 0 when the book is valid
    std::uint8_t reserved0;
    std::uint32_t bid_orders;
    char symbol[8];           // ITCH stock symbol, space padded
    std::uint32_t bid_price;  // ITCH Price(4): 4 implied decimals; 0 = side empty
    std::uint32_t ask_price;
    std::uint64_t bid_shares;
    std::uint64_t ask_shares;
    std::uint32_t ask_orders;
    std::uint32_t reserved1;
    std::uint64_t itch_timestamp_ns;  // of the message that changed the top
    std::uint64_t feed_sequence;      // MoldUDP64 sequence of that message
};
static_assert(sizeof(record) == record_bytes);

// Records that fit a UDP payload of `payload_bytes`.
constexpr std::uint32_t records_per_datagram(std::uint32_t payload_bytes) {
    return payload_bytes < header_bytes ? 0 : (payload_bytes - header_bytes) / record_bytes;
}

inline void encode_record(std::uint8_t* out, const book::bbo_update& u) {
    record r{};
    r.locate = u.locate;
    r.flags = u.flags;
    r.bid_orders = u.bid.orders;
    std::memcpy(r.symbol, u.symbol.data(), sizeof r.symbol);
    r.bid_price = u.bid.price;
    r.ask_price = u.ask.price;
    r.bid_shares = u.bid.shares;
    r.ask_shares = u.ask.shares;
    r.ask_orders = u.ask.orders;
    r.itch_timestamp_ns = u.timestamp_ns;
    r.feed_sequence = u.sequence;
    std::memcpy(out, &r, sizeof r);  // x86 is little-endian: the struct is the wire
}

inline book::bbo_update decode_record(const std::uint8_t* in) {
    record r;
    std::memcpy(&r, in, sizeof r);
    book::bbo_update u;
    u.locate = r.locate;
    u.flags = r.flags;
    std::memcpy(u.symbol.data(), r.symbol, sizeof r.symbol);
    u.bid = {r.bid_price, r.bid_orders, r.bid_shares};
    u.ask = {r.ask_price, r.ask_orders, r.ask_shares};
    u.timestamp_ns = r.itch_timestamp_ns;
    u.sequence = r.feed_sequence;
    return u;
}

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the wire format is the host layout");

}  // namespace hypertick::gw::wire
