// What the feed stream remembers of the messages it delivered, so a later copy of the same
// number (the other line's, a resend, a re-request answer) can be compared with the one the
// books applied.
//
// A forged datagram that arrives first with the right session and number is applied and the
// real one is a duplicate: on one line nothing tells them apart. With two lines the real copy
// arrives on the other line, and a copy that differs from the applied one shows that one of
// the two is false. Only a hash of each message is kept, per number, in a ring of a power-of-
// two capacity: the newest `capacity` numbers delivered are remembered, older ones forgotten.
#pragma once

#include <cstdint>
#include <cstring>
#include <new>

#include "hypertick/base/assert.hpp"
#include "hypertick/feed/copy_key.hpp"

namespace hypertick::feed {

// One remembered message: its number (0: empty, MoldUDP64 numbers start at 1) and its hash.
struct copy_record {
    uint64_t sequence;
    uint64_t hash;
};
static_assert(sizeof(copy_record) == 16);

// A 64-bit keyed hash of a message's length and bytes, for equality only (never a table
// index). The message is covered by 16-byte chunks: for 16..48 bytes (nearly every ITCH
// message) always three, at offsets 0, (length - 16) / 2 and length - 16, so no branch depends
// on the message type (a length-dependent loop mispredicts on a realistic mix, see
// docs/performance.md); longer messages add a chunk per 16 bytes; shorter ones are read as
// two overlapping words. Each chunk's two words, mixed with key words that differ by
// position, are multiplied into a 128-bit product folded to 64 bits, and the folds are added:
// the multiplies are independent and overlap in the pipeline.
//
// Why a keyed folded multiply is enough: its weak inputs are the ones that make a factor
// small, above all a message word equal to its key word, whose product is zero whatever the
// chunk's other word holds. With public constants that is a collision anyone computes offline
// (tests/feed/copy_check_test.cpp shows one). With words drawn at start-up (copy_key.hpp), a
// forger must guess a 64-bit secret to hit such an input (2^-64 a try), and nothing reveals
// the key or any hash: the only thing a wrong guess shows is the mismatch itself, which
// already declares the books invalid. A construction with no weak input at all (a polynomial
// hash modulo a prime) would add multiplies and reductions per message for no protection the
// key does not already give.
namespace copy_hash {

[[gnu::always_inline]] inline uint64_t load8(const uint8_t* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}
[[gnu::always_inline]] inline uint64_t load4(const uint8_t* p) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
}
[[gnu::always_inline]] inline uint64_t fold_multiply(uint64_t a, uint64_t b) {
    const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
// The 16 bytes at `p`, with the key words of chunk position `c`.
[[gnu::always_inline]] inline uint64_t chunk(const uint64_t* k, const uint8_t* p, uint64_t c) {
    return fold_multiply(load8(p) ^ (k[0] + c), load8(p + 8) ^ (k[1] + c));
}
}  // namespace copy_hash

[[gnu::always_inline]] inline uint64_t message_hash(const copy_key& key, const uint8_t* m,
                                                    uint16_t length) {
    using namespace copy_hash;
    const uint64_t* k = key.words;
    const uint64_t h = (uint64_t{length} + 1) * k[2];
    if (length >= 16 && length <= 48) [[likely]] {
        const uint32_t middle = (length - 16u) / 2;  // [16, length - 16) lies inside its chunk
        return h + fold_multiply(load8(m) ^ k[3], load8(m + 8) ^ k[4]) +
               fold_multiply(load8(m + middle) ^ k[5], load8(m + middle + 8) ^ k[0]) +
               fold_multiply(load8(m + length - 16) ^ k[1], load8(m + length - 8) ^ k[2]);
    }
    if (length > 48) {
        uint64_t sum = h;
        uint32_t i = 0;
        for (; length - i > 16; i += 16) sum += chunk(k, m + i, i);
        return sum + chunk(k, m + length - 16, ~uint64_t{0});
    }
    uint64_t a = 0;
    uint64_t b = 0;
    if (length >= 8) {
        a = load8(m);
        b = load8(m + length - 8);
    } else if (length >= 4) {
        a = load4(m);
        b = load4(m + length - 4);
    } else if (length > 0) {
        a = (uint64_t{m[0]} << 16) | (uint64_t{m[length >> 1]} << 8) | m[length - 1];
    }
    return h + fold_multiply(a ^ k[3], b ^ k[4]);
}

class copy_ring {
  public:
    enum class verdict : uint8_t { same, different, forgotten };

    // `memory` holds `capacity` * 16 bytes, 16-byte aligned (capacity a power of two), or is
    // null with capacity 0: nothing is remembered and copies are not compared. A ring that
    // compares needs a drawn key (draw_copy_key, or a fixed one a test chose).
    copy_ring(uint8_t* memory, uint32_t capacity, const copy_key& key)
        : records_(reinterpret_cast<copy_record*>(memory)),
          mask_(capacity == 0 ? 0 : capacity - 1),
          key_(key) {
        HT_ASSERT((capacity & mask_) == 0);
        HT_ASSERT(capacity == 0 || key.drawn());
        HT_ASSERT((capacity == 0) == (memory == nullptr));
        HT_ASSERT(reinterpret_cast<uintptr_t>(memory) % alignof(copy_record) == 0);
        for (uint64_t i = 0; i < capacity; ++i) ::new (records_ + i) copy_record{0, 0};
    }

    [[nodiscard]] bool enabled() const { return records_ != nullptr; }

    // Message `sequence` (>= 1) was delivered to the books with these bytes.
    [[gnu::always_inline]] void remember(uint64_t sequence, const uint8_t* m, uint16_t length) {
        copy_record& r = records_[sequence & mask_];
        r.sequence = sequence;
        r.hash = message_hash(key_, m, length);
    }

    // Whether another copy of message `sequence` carries the bytes that were delivered.
    [[nodiscard]] verdict compare(uint64_t sequence, const uint8_t* m, uint16_t length) const {
        if (!enabled()) return verdict::forgotten;
        const copy_record& r = records_[sequence & mask_];
        if (r.sequence != sequence) return verdict::forgotten;
        return r.hash == message_hash(key_, m, length) ? verdict::same : verdict::different;
    }

    // A new session or pass: its numbers start again, nothing remembered belongs to them.
    void clear() {
        if (enabled()) std::memset(records_, 0, (mask_ + 1) * sizeof(copy_record));
    }

  private:
    copy_record* records_;
    uint64_t mask_;
    copy_key key_;
};

}  // namespace hypertick::feed
