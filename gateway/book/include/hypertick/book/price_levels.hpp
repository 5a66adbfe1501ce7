// The price levels of one side of one book, sorted with the best level at the END.
//
// Why this shape: nearly all activity is within a few ticks of the touch. Keeping the best
// level last makes best-price access O(1), lets a search for an order's level scan backwards
// from the top (usually one or two cache lines), and makes inserting or removing near the top
// a short memmove. Both sides share the code by sorting on a key that grows toward the best
// price: the price itself for bids, its complement for asks.
//
// Why a second, dense array of keys: a search that walks back level by level stops at a
// data-dependent place (orders rest up to ~30 levels from the touch, so the loop exit would
// mispredict on most messages). The keys live in their own array, 16 to a
// cache line, and the search counts the keys above the wanted one 16 at a time with no
// data-dependent branch inside a window (four vector compares and a byte mask). The top window
// holds the answer for ~95% of searches; the loop moves down a window only while all 16 keys are
// higher. 16 zero keys sit in front of each side's keys so a window may start before the first
// level: zero is never greater than a key, so padding is never counted.
#pragma once

#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "hypertick/base/assert.hpp"
#include "hypertick/book/order_table.hpp"

namespace hypertick::book {

struct price_level {
    uint32_t key;     // price for bids, ~price for asks: larger is better
    uint32_t orders;  // orders resting at this price
    uint64_t shares;  // their total shares
};
static_assert(sizeof(price_level) == 16);

inline uint32_t level_key(book_side side, uint32_t price) {
    return side == book_side::bid ? price : ~price;
}
inline uint32_t level_price(book_side side, uint32_t key) {
    return side == book_side::bid ? key : ~key;
}

inline constexpr uint32_t no_level = ~uint32_t{0};

// What every path that touches a side reads first, 8 bytes a side so that the sides of all
// books stay cached (128 KiB at 16,384 books).
//
// Why the best level's slot is kept here: a delete, an execution or a cancel must know whether
// its order rests on the best level. Read through the ranks (ranks[count - 1]) it would be a
// load from another table that waits on this one; kept here it comes with the count.
struct side_state {
    uint32_t count = 0;            // levels in use
    uint32_t top_slot = no_level;  // pool slot of the best level; no_level while count == 0
};
static_assert(sizeof(side_state) == 8);

// A view over one side's storage (owned by the book manager's level arenas).
//
// Why levels stay in place: an order records which level it rests on (its pool slot), so an
// execution, a cancel or a delete that leaves the level non-empty updates it directly, with no
// search at all; only a new price (add) and an emptied level (erase) search the keys. The sorted
// order is kept in `ranks`: ranks[i] is the pool slot of the i-th level by key (best last), and
// ranks[count..capacity) are the free slots. `keys` points just after `window` zero keys of
// padding; keys[i] == pool[ranks[i]].key for every i < count.
class price_levels {
  public:
    static constexpr uint32_t window = 16;  // keys compared per step of the search

    price_levels(price_level* pool, uint32_t* keys, uint32_t* ranks, side_state& state,
                 uint32_t capacity)
        : pool_(pool),
          keys_(keys),
          ranks_(ranks),
          count_(state.count),
          top_slot_(state.top_slot),
          capacity_(capacity) {
        HT_DEBUG_ASSERT(count_ <= capacity);
        HT_DEBUG_ASSERT(top_slot_ == (count_ == 0 ? no_level : ranks_[count_ - 1]));
    }

    // A fresh side: every pool slot free. Called once per side, when its book is created.
    static void init_ranks(uint32_t* ranks, uint32_t capacity) {
        for (uint32_t slot = 0; slot < capacity; ++slot) ranks[slot] = slot;
    }

    // Rank (position by key, best last) of the level with `key`, or no_level.
    uint32_t find(uint32_t key) const {
        const uint32_t i = insert_position(key);
        return i > 0 && keys_[i - 1] == key ? i - 1 : no_level;
    }

    // Rank of the level with `key`, inserted empty if absent; no_level when the side is full.
    uint32_t find_or_insert(uint32_t key) {
        const uint32_t i = insert_position(key);
        if (i > 0 && keys_[i - 1] == key) return i - 1;
        if (count_ == capacity_) return no_level;
        const uint32_t slot = ranks_[count_];  // the first free pool slot
        std::memmove(ranks_ + i + 1, ranks_ + i, (count_ - i) * sizeof(uint32_t));
        std::memmove(keys_ + i + 1, keys_ + i, (count_ - i) * sizeof(uint32_t));
        ranks_[i] = slot;
        keys_[i] = key;
        pool_[slot] = price_level{key, 0, 0};
        top_slot_ = i == count_ ? slot : top_slot_;  // a new best level goes last
        ++count_;
        return i;
    }

    // Removes the level of rank `i`; its pool slot becomes free.
    void erase(uint32_t i) {
        HT_DEBUG_ASSERT(i < count_);
        const uint32_t slot = ranks_[i];
        std::memmove(ranks_ + i, ranks_ + i + 1, (count_ - i - 1) * sizeof(uint32_t));
        std::memmove(keys_ + i, keys_ + i + 1, (count_ - i - 1) * sizeof(uint32_t));
        --count_;
        ranks_[count_] = slot;
        if (i == count_) top_slot_ = count_ == 0 ? no_level : ranks_[count_ - 1];  // was the best
    }

    // The level of rank `i` (0: the worst price, count() - 1: the best).
    price_level& operator[](uint32_t i) const { return pool_[ranks_[i]]; }
    // Where the level of rank `i` lives; stable until the level is erased.
    uint32_t slot(uint32_t i) const { return ranks_[i]; }
    price_level& at_slot(uint32_t slot) const {
        HT_DEBUG_ASSERT(slot < capacity_);
        return pool_[slot];
    }
    bool is_top_slot(uint32_t slot) const { return top_slot_ == slot; }
    uint32_t count() const { return count_; }
    bool full() const { return count_ == capacity_; }

  private:
    // The number of levels whose key is at most `key`: where `key` is, or would be inserted.
    // Keys ascend, so the keys above `key` are a suffix; count it from the top, one window at
    // a time. Bounded: each step moves down `window` levels, and a window reaching into the
    // padding always finds a key that is not greater.
    uint32_t insert_position(uint32_t key) const {
        uint32_t end = count_;
        uint32_t greater = count_greater(keys_ + end, key);
        while (greater == window) [[unlikely]] {
                end -= window;
                greater = count_greater(keys_ + end, key);
            }
        HT_DEBUG_ASSERT(greater <= end);
        return end - greater;
    }

    // How many of the `window` keys just before `end` are greater than `key`. No early exit:
    // four vector compares, one byte mask; the keys ascend (the padding is zero), so the
    // greater ones are the window's last and their count is where the mask's first set bit is.
    static uint32_t count_greater(const uint32_t* end, uint32_t key) {
#if defined(__SSE2__)
        static_assert(window == 16);
        // SSE2 compares signed: flipping the top bit of both sides keeps the unsigned order.
        const __m128i bias = _mm_set1_epi32(INT32_MIN);
        const __m128i wanted = _mm_xor_si128(_mm_set1_epi32(static_cast<int32_t>(key)), bias);
        const auto greater = [&](const uint32_t* keys) {
            const __m128i loaded = _mm_loadu_si128(reinterpret_cast<const __m128i*>(keys));
            return _mm_cmpgt_epi32(_mm_xor_si128(loaded, bias), wanted);
        };
        const uint32_t* first = end - window;
        const __m128i low = _mm_packs_epi32(greater(first), greater(first + 4));
        const __m128i high = _mm_packs_epi32(greater(first + 8), greater(first + 12));
        const uint32_t mask = static_cast<uint32_t>(_mm_movemask_epi8(_mm_packs_epi16(low, high)));
        const uint32_t first_greater = static_cast<uint32_t>(__builtin_ctz(mask | (1u << window)));
        HT_DEBUG_ASSERT((mask >> first_greater) == (0xFFFFu >> first_greater));  // a suffix
        return window - first_greater;
#else
        uint32_t greater = 0;
        for (uint32_t k = 1; k <= window; ++k) greater += end[-static_cast<int32_t>(k)] > key;
        return greater;
#endif
    }

    price_level* pool_;
    uint32_t* keys_;
    uint32_t* ranks_;
    uint32_t& count_;
    uint32_t& top_slot_;
    uint32_t capacity_;
};

}  // namespace hypertick::book
