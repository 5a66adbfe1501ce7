// Every live order, keyed by its ITCH order reference number: a direct-mapped window over the
// most recent references, and a hashed table (order_table) for the live orders behind it.
//
// Why a window: NASDAQ hands out order references unique for the day and nearly in increasing
// order, and most orders live briefly. An order whose reference lies in the window
// [base, base + window) sits in slot `ref mod window`, so consecutive adds fill neighbouring
// slots (two per cache line) and the executions and deletes that follow find their order
// where the adds just wrote, without hashing or probing. The hashed table only holds the
// survivors the window has moved past, and adds that arrive with a reference already behind it.
//
// Sliding: an add whose reference is at or beyond base + window moves the base to
// ref - window + 1. The slots of the references that leave are exactly the slots the new
// references take (the window is a ring), so each live order among them moves to the hashed
// table first. With references that grow one by one, that is one slot per add, the slot the
// add then writes. A reference far ahead (more than a window's width past it) scans the whole
// window once, stopping as soon as no live order is left in it: bounded by the window size,
// counted in far_slides(). An add behind the window while no order is live anywhere moves the
// window back to start at it (counted in rebases()).
//
// Invariants: every window order's reference is in [base, base + window) and sits at its own
// slot; every order in the hashed table has a reference below base. So a reference is live in
// at most one place, and whether a slot is in the window follows from its reference alone.
//
// Capacity: at most `capacity` live orders in both together. The hashed table is sized for
// all of them, so moving an order behind the window never fails; an add beyond the capacity is
// refused (`full`) and changes nothing, the window included.
#pragma once

#include <cstdint>
#include <string_view>

#include "hypertick/base/assert.hpp"
#include "hypertick/book/fixed_memory.hpp"
#include "hypertick/book/order_table.hpp"
#include "hypertick/book/prefetch.hpp"

namespace hypertick::book {

class order_index {
  public:
    using insert_result = order_table::insert_result;

    // Allocates both tables; `window` (slots) is a power of two. False when the memory is not
    // available.
    bool init(uint32_t capacity, uint32_t window, memory_allocation how) {
        HT_ASSERT(window > 0 && (window & (window - 1)) == 0 && window <= (1u << 30));
        window_mask_ = window - 1;
        base_ = 0;
        window_live_ = 0;
        peak_live_ = 0;
        moved_behind_ = 0;
        added_behind_ = 0;
        far_slides_ = 0;
        rebases_ = 0;
        if (!window_.allocate(window, how)) return false;
        HT_ASSERT(reinterpret_cast<uintptr_t>(window_.data()) % 64 == 0);  // slots within lines
        return behind_.init(capacity, how);
    }

    order_slot* find(uint64_t ref) const {
        if (ref >= base_) {
            if (ref - base_ > window_mask_) return nullptr;  // ahead of every live reference
            order_slot& slot = window_[ref & window_mask_];
            HT_DEBUG_ASSERT(slot.shares == 0 || slot.ref == ref);
            return slot.shares != 0 ? &slot : nullptr;
        }
        return behind_.find(ref);
    }

    // Claims a slot for `ref`; on `inserted`, `out` points at it with ref set and the caller
    // fills the rest (shares must become non-zero before the next table operation).
    insert_result insert(uint64_t ref, order_slot*& out) {
        if (ref < base_) [[unlikely]] {
            if (live() != 0) return insert_behind(ref, out);
            // Nothing is live anywhere, so the window may start anew here: a feed whose
            // references start again (a new day, a capture replayed in a loop) keeps the window.
            base_ = ref;
            ++rebases_;
        }
        if (ref - base_ > window_mask_) {
            if (live() == capacity()) return insert_result::full;
            slide_to(ref);
        }
        order_slot& slot = window_[ref & window_mask_];
        if (slot.shares != 0) {
            HT_DEBUG_ASSERT(slot.ref == ref);
            return insert_result::already_live;
        }
        if (live() == capacity()) return insert_result::full;
        ++window_live_;
        note_live();
        slot.ref = ref;
        out = &slot;
        return insert_result::inserted;
    }

    void erase(order_slot* slot) {
        HT_DEBUG_ASSERT(slot->shares != 0);
        if (slot->ref >= base_) {
            HT_DEBUG_ASSERT(slot == &window_[slot->ref & window_mask_] && window_live_ > 0);
            slot->shares = 0;
            --window_live_;
        } else {
            behind_.erase(slot);
        }
    }

    // Starts loading the line of `ref`'s slot: its window slot when it is not behind the window
    // (an add beyond it will take that slot once the window slides), else its hashed home.
    void prefetch(uint64_t ref) const {
        if (ref >= base_)
            prefetch_line(&window_[ref & window_mask_]);
        else
            behind_.prefetch(ref);
    }

    uint32_t live() const { return window_live_ + behind_.live(); }
    uint32_t peak_live() const { return peak_live_; }
    uint32_t capacity() const { return behind_.capacity(); }
    uint64_t window_base() const { return base_; }
    uint64_t window_slots() const { return window_mask_ + 1; }
    uint32_t window_live() const { return window_live_; }
    // Orders moved from the window to the hashed table as it slid past them.
    uint64_t moved_behind() const { return moved_behind_; }
    // Adds whose reference was already behind the window.
    uint64_t added_behind() const { return added_behind_; }
    // Slides by more than the window's width (a reference far ahead): each scanned the window.
    uint64_t far_slides() const { return far_slides_; }
    // Adds behind the window while nothing was live: the window moved back to start at them.
    uint64_t rebases() const { return rebases_; }
    const order_table& behind() const { return behind_; }
    size_t bytes() const { return window_.bytes() + behind_.bytes(); }

    // Calls f(slot) for every live order, window first. Tests and verify() only.
    template <class F>
    void for_each_live(F&& f) const {
        for (uint64_t i = 0; i <= window_mask_; ++i)
            if (window_[i].shares != 0) f(window_[i]);
        for (uint64_t i = 0; i < behind_.slot_count(); ++i)
            if (behind_.slot(i).shares != 0) f(behind_.slot(i));
    }

    // Checks the invariants above; the first problem found, or an empty view. O(slots): tests
    // and verify() only.
    std::string_view verify() const {
        uint32_t in_window = 0;
        for (uint64_t i = 0; i <= window_mask_; ++i) {
            const order_slot& slot = window_[i];
            if (slot.shares == 0) continue;
            ++in_window;
            if (slot.ref < base_ || slot.ref - base_ > window_mask_)
                return "a window order's reference is outside the window";
            if ((slot.ref & window_mask_) != i) return "a window order is not at its own slot";
        }
        if (in_window != window_live_) return "window live count differs from its orders";
        for (uint64_t i = 0; i < behind_.slot_count(); ++i) {
            const order_slot& slot = behind_.slot(i);
            if (slot.shares != 0 && slot.ref >= base_)
                return "an order behind the window has a reference in or ahead of it";
        }
        if (!behind_.runs_marked()) return "a probe run passes an unmarked slot";
        if (live() > capacity()) return "more live orders than the capacity";
        return {};
    }

  private:
    [[gnu::cold]] insert_result insert_behind(uint64_t ref, order_slot*& out) {
        if (behind_.find(ref) != nullptr) return insert_result::already_live;
        if (live() == capacity()) return insert_result::full;
        const insert_result result = behind_.insert(ref, out);
        HT_ASSERT(result == insert_result::inserted);
        ++added_behind_;
        note_live();
        return result;
    }

    // Moves the window so that it ends at `ref` (ref >= base + window), first moving every live
    // order whose reference leaves it into the hashed table.
    void slide_to(uint64_t ref) {
        const uint64_t new_base = ref - window_mask_;
        const uint64_t moved = new_base - base_;
        const uint64_t leaving = moved > window_mask_ ? window_mask_ + 1 : moved;
        far_slides_ += moved > window_mask_ + 1;
        for (uint64_t n = 0; n < leaving && window_live_ != 0; ++n) {
            order_slot& slot = window_[(base_ + n) & window_mask_];
            if (slot.shares != 0) move_behind(slot);
        }
        base_ = new_base;
    }

    [[gnu::cold]] void move_behind(order_slot& slot) {
        order_slot* moved = nullptr;
        const insert_result result = behind_.insert(slot.ref, moved);
        HT_ASSERT(result == insert_result::inserted);  // sized for every live order
        moved->shares = slot.shares;
        moved->price = slot.price;
        moved->book = slot.book;
        moved->side = slot.side;
        moved->level = slot.level;
        slot.shares = 0;
        --window_live_;
        ++moved_behind_;
    }

    void note_live() {
        const uint32_t now = live();
        peak_live_ = now > peak_live_ ? now : peak_live_;
    }

    fixed_array<order_slot> window_;
    order_table behind_;
    uint64_t base_ = 0;
    uint64_t window_mask_ = 0;
    uint32_t window_live_ = 0;
    uint32_t peak_live_ = 0;
    uint64_t moved_behind_ = 0;
    uint64_t added_behind_ = 0;
    uint64_t far_slides_ = 0;
    uint64_t rebases_ = 0;
};

}  // namespace hypertick::book
