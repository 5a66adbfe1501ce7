// Every live order, keyed by its ITCH order reference number: an open-addressing hash table
// with linear probing whose slots hold the order itself.
//
// Why inline records: the reference lookup is the one unavoidable cache miss per message. With
// the order stored in the slot, that miss also brings in the order's shares, price, side and
// book, so E/X/D/U cost one miss instead of two (hash slot, then pool entry). Deletion shifts
// later members of the probe run backwards (no tombstones), so probe runs never degrade over a
// trading day of adds and deletes.
//
// Capacity: at most `capacity` live orders; the table has at least twice as many slots (a
// power of two), so the load factor stays at or below one half and probe runs stay short.
#pragma once

#include <cstdint>

#include "hypertick/base/assert.hpp"
#include "hypertick/book/fixed_memory.hpp"
#include "hypertick/book/prefetch.hpp"

namespace hypertick::book {

enum class book_side : uint8_t { bid = 0, ask = 1 };

// 24 bytes of fields, padded and aligned to 32 so that two slots fill a cache line exactly and
// no slot straddles two lines. Why: a 24-byte slot would need a second line on one lookup in
// four, and in a table far larger than the cache (the defaults) that second line is a DRAM miss
// the prefetch has not started; the price is one third more table memory (docs/performance.md,
// "32-byte order slots"). A slot
// is free when shares == 0: a live order always has shares (an order reduced to zero is
// removed), which lets reference 0 be a valid key.
struct alignas(32) order_slot {
    uint64_t ref;
    uint32_t shares;
    uint32_t price;
    uint16_t book;
    book_side side;
    // Of the position, not of the order (moves leave it in place): set when a live order was
    // inserted past this slot while it was occupied. See order_table::erase.
    uint8_t passed;
    uint32_t level;  // the pool slot of its price level on its side (price_levels::slot)
};
static_assert(sizeof(order_slot) == 32);
static_assert(64 % sizeof(order_slot) == 0, "a slot must never straddle two cache lines");

class order_table {
  public:
    // Allocates the slots; false when the memory is not available.
    bool init(uint32_t capacity, memory_allocation how) {
        HT_ASSERT(capacity > 0 && capacity <= (1u << 30));
        uint64_t slots = 2;
        bits_ = 1;
        while (slots < uint64_t{capacity} * 2) slots *= 2, ++bits_;
        mask_ = slots - 1;
        capacity_ = capacity;
        live_ = 0;
        peak_live_ = 0;
        if (!slots_.allocate(slots, how)) return false;
        HT_ASSERT(reinterpret_cast<uintptr_t>(slots_.data()) % 64 == 0);  // slots within lines
        return true;
    }

    order_slot* find(uint64_t ref) const {
        for (uint64_t i = home(ref);; i = (i + 1) & mask_) {
            order_slot& slot = slots_[i];
            if (slot.shares == 0) return nullptr;
            if (slot.ref == ref) return &slot;
        }
    }

    enum class insert_result : uint8_t { inserted, already_live, full };

    // Claims a slot for `ref`; on `inserted`, `out` points at it with ref set and the caller
    // fills the rest (shares must become non-zero before the next table operation).
    insert_result insert(uint64_t ref, order_slot*& out) {
        uint64_t i = home(ref);
        for (;; i = (i + 1) & mask_) {
            order_slot& slot = slots_[i];
            if (slot.shares == 0) break;
            if (slot.ref == ref) return insert_result::already_live;
        }
        if (live_ == capacity_) return insert_result::full;
        ++live_;
        peak_live_ = live_ > peak_live_ ? live_ : peak_live_;
        for (uint64_t p = home(ref); p != i; p = (p + 1) & mask_) slots_[p].passed = 1;
        out = &slots_[i];
        out->ref = ref;
        return insert_result::inserted;
    }

    // Frees `slot` and shifts back the members of its probe run that hash at or before it.
    //
    // Why the `passed` marks: an order can move into the hole only if it was inserted past the
    // hole's position, and such an insert marked that position. An unmarked hole ends the
    // shift without reading the next slot, which for a slot second in its cache line is the
    // next line: in a table much larger than the cache (the defaults, load ~1%) that read was a
    // DRAM miss on most removals. A mark may outlive the order that set it (then the scan
    // finds nothing to move, as before); an emptied position is unmarked, because the scan has
    // just moved back every order that passed it.
    void erase(order_slot* slot) {
        HT_DEBUG_ASSERT(slot->shares != 0 && live_ > 0);
        --live_;
        uint64_t hole = static_cast<uint64_t>(slot - slots_.data());
        for (uint64_t i = hole; slots_[hole].passed != 0;) {
            i = (i + 1) & mask_;
            const order_slot& next = slots_[i];
            if (next.shares == 0) break;
            // `next` may fill the hole only if its home is not cyclically in (hole, i].
            const uint64_t from_home = (i - home(next.ref)) & mask_;
            const uint64_t from_hole = (i - hole) & mask_;
            if (from_home >= from_hole) {
                const uint8_t passed = slots_[hole].passed;
                slots_[hole] = next;
                slots_[hole].passed = passed;
                hole = i;
            }
        }
        slots_[hole].shares = 0;
        slots_[hole].passed = 0;
    }

    // Every position between an order's home and its slot is marked `passed` (what erase()
    // relies on). O(live orders x probe length): tests and verify() only.
    bool runs_marked() const {
        for (uint64_t j = 0; j <= mask_; ++j) {
            if (slots_[j].shares == 0) continue;
            for (uint64_t p = home(slots_[j].ref); p != j; p = (p + 1) & mask_) {
                if (slots_[p].passed == 0) return false;
            }
        }
        return true;
    }

    // Starts loading the cache line where a probe for `ref` begins (the whole home slot). The
    // lookup is the dominant cost of a message (a likely cache miss), so callers that know the next
    // references issue this a few messages ahead.
    void prefetch(uint64_t ref) const { prefetch_line(&slots_[home(ref)]); }

    uint32_t live() const { return live_; }
    uint32_t peak_live() const { return peak_live_; }
    uint32_t capacity() const { return capacity_; }
    uint64_t slot_count() const { return mask_ + 1; }
    const order_slot& slot(uint64_t i) const { return slots_[i]; }
    size_t bytes() const { return slots_.bytes(); }

  private:
    // Fibonacci hashing: ITCH references are handed out in increasing order, and the multiply
    // spreads neighbours over the table so a run of adds does not build one long probe run.
    uint64_t home(uint64_t ref) const { return (ref * 0x9E3779B97F4A7C15ull) >> (64 - bits_); }

    fixed_array<order_slot> slots_;
    uint64_t mask_ = 0;
    uint32_t bits_ = 1;
    uint32_t capacity_ = 0;
    uint32_t live_ = 0;
    uint32_t peak_live_ = 0;
};

}  // namespace hypertick::book
