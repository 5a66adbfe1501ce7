// The price levels of one side of one book: a sorted array with the best level at the END.
//
// Why this shape: nearly all activity is within a few ticks of the touch. Keeping the best
// level last makes best-price access O(1), lets a search for an order's level scan backwards
// from the top (usually one or two cache lines), and makes inserting or removing near the top
// a short memmove. Both sides share the code by sorting on a key that grows toward the best
// price: the price itself for bids, its complement for asks.
#pragma once

#include <cstdint>
#include <cstring>

#include "hypertick/assert.hpp"
#include "hypertick/book/order_table.hpp"

namespace hypertick::book {

struct Level {
    uint32_t key;     // price for bids, ~price for asks: larger is better
    uint32_t orders;  // orders resting at this price
    uint64_t shares;  // their total shares
};
static_assert(sizeof(Level) == 16);

inline uint32_t level_key(Side side, uint32_t price) {
    return side == Side::bid ? price : ~price;
}
inline uint32_t level_price(Side side, uint32_t key) { return side == Side::bid ? key : ~key; }

inline constexpr uint32_t no_level = ~uint32_t{0};

// A view over one side's storage (owned by the book manager's level arena).
class PriceLevels {
public:
    PriceLevels(Level* levels, uint32_t& count, uint32_t capacity)
        : levels_(levels), count_(count), capacity_(capacity) {}

    // Index of the level with `key`, or no_level.
    uint32_t find(uint32_t key) const {
        uint32_t i = count_;
        while (i > 0 && levels_[i - 1].key > key) --i;
        return i > 0 && levels_[i - 1].key == key ? i - 1 : no_level;
    }

    // Index of the level with `key`, inserted empty if absent; no_level when the side is full.
    uint32_t find_or_insert(uint32_t key) {
        uint32_t i = count_;
        while (i > 0 && levels_[i - 1].key > key) --i;
        if (i > 0 && levels_[i - 1].key == key) return i - 1;
        if (count_ == capacity_) return no_level;
        std::memmove(levels_ + i + 1, levels_ + i, (count_ - i) * sizeof(Level));
        levels_[i] = Level{key, 0, 0};
        ++count_;
        return i;
    }

    void erase(uint32_t i) {
        HT_DEBUG_ASSERT(i < count_);
        std::memmove(levels_ + i, levels_ + i + 1, (count_ - i - 1) * sizeof(Level));
        --count_;
    }

    Level& operator[](uint32_t i) const { return levels_[i]; }
    uint32_t count() const { return count_; }
    bool full() const { return count_ == capacity_; }

private:
    Level* levels_;
    uint32_t& count_;
    uint32_t capacity_;
};

}  // namespace hypertick::book
