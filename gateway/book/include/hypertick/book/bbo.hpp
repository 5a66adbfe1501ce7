// Top-of-book changes: the record produced after a message changed the best bid or ask (price,
// shares or order count), and two sinks for it.
//
// A sink is any object with `void on_bbo(const bbo_update&)`; the book manager takes it as a
// template parameter, so the call is direct and inlinable (no virtual, no std::function).
#pragma once

#include <array>
#include <cstdint>

#include "hypertick/base/assert.hpp"

namespace hypertick::book {

// One side's best level; all zero when the side is empty.
struct top_level {
    uint32_t price = 0;
    uint32_t orders = 0;
    uint64_t shares = 0;
    bool operator==(const top_level&) const = default;
};

// bbo_update::flags: why a published top of book may not match the exchange's.
enum bbo_flag : uint8_t {
    bbo_book_degraded = 1,  // this symbol's book refused an add (a capacity was full)
    bbo_feed_invalid = 2,   // the feed's books are not valid (a skipped range, a session change,
                            // unsequenced data, an order the books did not know)
};

struct bbo_update {
    uint64_t timestamp_ns = 0;  // ITCH timestamp of the message: ns since midnight
    uint64_t sequence = 0;      // MoldUDP64 sequence number of the message (0: none)
    top_level bid;
    top_level ask;
    uint16_t locate = 0;
    std::array<char, 8> symbol{};  // ITCH stock symbol, space padded; spaces if not in directory
    uint8_t flags = 0;             // bbo_flag bits
};

// Discards updates (benchmarks of the book alone, tests that only look at books).
struct null_bbo_sink {
    void on_bbo(const bbo_update&) {}
};

// A fixed buffer the caller drains once per burst (the publisher encodes a batch per datagram).
// When full, further updates of the burst are counted in `overflowed` and dropped: size it for
// the largest burst (one MoldUDP64 datagram carries at most ~70 order messages).
template <uint32_t Capacity>
class bbo_buffer {
  public:
    static constexpr uint32_t capacity = Capacity;

    void on_bbo(const bbo_update& update) {
        if (size_ == Capacity) [[unlikely]] {
            ++overflowed_;
            return;
        }
        // Field by field, not as one block: the caller builds `update` field by field, and a
        // block copy reads it back in 16-byte pieces that span several of those narrower
        // stores, which the CPU cannot forward (a stall on every update). Copied per field, the
        // compiler keeps the fields in registers and writes each once.
        bbo_update& slot = updates_[size_++];
        slot.timestamp_ns = update.timestamp_ns;
        slot.sequence = update.sequence;
        slot.bid = update.bid;
        slot.ask = update.ask;
        slot.locate = update.locate;
        slot.symbol = update.symbol;
        slot.flags = update.flags;
    }
    uint32_t size() const { return size_; }
    const bbo_update& operator[](uint32_t i) const {
        HT_DEBUG_ASSERT(i < size_);
        return updates_[i];
    }
    void clear() { size_ = 0; }
    uint64_t overflowed() const { return overflowed_; }

  private:
    std::array<bbo_update, Capacity> updates_{};
    uint32_t size_ = 0;
    uint64_t overflowed_ = 0;
};

}  // namespace hypertick::book
