// Every live order, keyed by its ITCH order reference number: a direct-mapped window over the
// most recent references, and a hashed table (order_table) for the older live orders.
//
// Why a window: NASDAQ hands out order references unique for the day and nearly in increasing
// order, and most orders live briefly. An order whose reference lies in the window
// [base, base + window) sits in slot `ref mod window`, so consecutive adds fill neighbouring
// slots (two per cache line) and the executions and deletes that follow find their order
// where the adds just wrote, without hashing or probing. The hashed table only holds the
// survivors whose slots newer references took, and adds that arrive with a reference already
// behind the window.
//
// Sliding: an add whose reference is at or beyond base + window moves the base to
// ref - window + 1 and touches nothing else. An order whose reference the window has left
// stays in its slot until a newer reference needs that slot: the add that takes it first moves
// the older order to the hashed table (counted, moved_behind()). With references that grow one
// by one, that is the slot the add writes anyway, so the normal path reads no extra line.
// Why not move the leaving orders when the window slides: a reference far ahead would then
// scan the whole window for them (up to every slot, at every such add), which a hostile or
// broken feed can repeat at will; this way every slide is O(1) whatever the jump
// (far_slides() counts the jumps by more than the window's width). An add behind the window
// while no order is live anywhere moves the window back to start at it (counted in rebases()).
//
// Invariants: every order in the window's slots sits at slot `ref mod window` and has a
// reference below base + window (at or above base: in the window; below it: an older order
// waiting for its slot to be taken); every order in the hashed table has a reference below
// base. Window insertions take references at or above base, so a reference is live in at most
// one place: one slot of the window, or the hashed table. A free window slot holds a reference
// of another slot, so a lookup compares the reference alone.
//
// Capacity: at most `capacity` live orders in both together. The hashed table is sized for
// all of them, so moving an order behind the window never fails; an add beyond the capacity is
// refused (`full`) and changes nothing, the window included.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include "hypertick/base/assert.hpp"
#include "hypertick/book/fixed_memory.hpp"
#include "hypertick/book/order_table.hpp"
#include "hypertick/book/prefetch.hpp"

namespace hypertick::book {

// What the window did, for the books' statistics (book_replay, snapshots, gateway telemetry).
struct order_window_counters {
    // Orders moved from the window's slots to the hashed table when a newer reference took
    // their slot (a survivor the window has left).
    uint64_t moved_behind = 0;
    // Adds whose reference was already behind the window (straight to the hashed table).
    uint64_t added_behind = 0;
    // Slides by more than the window's width: a reference far ahead. Each costs O(1).
    uint64_t far_slides = 0;
    // Adds behind the window while nothing was live: the window moved back to start at them
    // (a feed whose references start again).
    uint64_t rebases = 0;
};

// Every window counter with its name: the one list the outputs that report them read.
inline constexpr std::pair<const char*, uint64_t order_window_counters::*>
    order_window_counter_fields[] = {
        {"moved_behind", &order_window_counters::moved_behind},
        {"added_behind", &order_window_counters::added_behind},
        {"far_slides", &order_window_counters::far_slides},
        {"rebases", &order_window_counters::rebases},
};

class order_index {
  public:
    using insert_result = order_table::insert_result;

    // Allocates both tables; `window` (slots) is a power of two. False when the memory is not
    // available.
    bool init(uint32_t capacity, uint32_t window, memory_allocation how) {
        HT_ASSERT(window >= 2 && (window & (window - 1)) == 0 && window <= (1u << 30));
        window_mask_ = window - 1;
        base_ = 0;
        window_live_ = 0;
        peak_live_ = 0;
        counters_ = order_window_counters{};
        if (!window_.allocate(window, how)) return false;
        HT_ASSERT(reinterpret_cast<uintptr_t>(window_.data()) % 64 == 0);  // slots within lines
        window_[0].ref = 1;  // every slot starts free (zeroed): no reference of its own
        return behind_.init(capacity, how);
    }

    order_slot* find(uint64_t ref) const {
        if (ref >= base_) {
            if (ref - base_ > window_mask_) return nullptr;  // ahead of every live reference
            // One compare: a free slot never holds a reference of its own slot, and an older
            // order still in the slot has another reference.
            order_slot& slot = window_[ref & window_mask_];
            return slot.ref == ref ? &slot : nullptr;
        }
        return find_behind(ref);
    }

    // Claims a slot for `ref`; on `inserted`, `out` points at it with ref set and the caller
    // fills the rest (shares must become non-zero before the next table operation).
    insert_result insert(uint64_t ref, order_slot*& out) {
        if (ref < base_) [[unlikely]] {
            if (live() != 0) {
                // Through a local: the caller's `out` stays in a register on the common path.
                order_slot* behind = nullptr;
                const insert_result result = insert_behind(ref, behind);
                out = behind;
                return result;
            }
            // Nothing is live anywhere, so the window may start anew here: a feed whose
            // references start again (a new day, a capture replayed in a loop) keeps the window.
            base_ = ref;
            ++counters_.rebases;
        }
        if (ref - base_ > window_mask_) {
            if (live() == capacity()) return insert_result::full;
            slide_to(ref);
        }
        order_slot& slot = window_[ref & window_mask_];
        if (slot.ref == ref) return insert_result::already_live;
        if (live() == capacity()) return insert_result::full;
        if (slot.shares != 0) {
            // An older order the window has left (its reference is below base): the add
            // takes its slot, so it moves behind now.
            HT_DEBUG_ASSERT(slot.ref < base_);
            move_behind(slot);
        }
        ++window_live_;
        note_live();
        slot.ref = ref;
        out = &slot;
        return insert_result::inserted;
    }

    void erase(order_slot* slot) {
        HT_DEBUG_ASSERT(slot->shares != 0);
        if (in_window_slots(slot)) {
            HT_DEBUG_ASSERT(slot == &window_[slot->ref & window_mask_] && window_live_ > 0);
            free_window_slot(*slot);
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

    // The window slot `ref` maps to, whatever it holds (a free slot keeps the fields of the
    // order it last held). For prefetches that read a slot the first prefetch brought in.
    const order_slot& window_slot(uint64_t ref) const { return window_[ref & window_mask_]; }

    uint32_t live() const { return window_live_ + behind_.live(); }
    uint32_t peak_live() const { return peak_live_; }
    uint32_t capacity() const { return behind_.capacity(); }
    uint64_t window_base() const { return base_; }
    uint64_t window_slots() const { return window_mask_ + 1; }
    // Orders in the window's slots: in the window, or older ones whose slot no add took yet.
    uint32_t window_live() const { return window_live_; }
    uint64_t moved_behind() const { return counters_.moved_behind; }
    uint64_t added_behind() const { return counters_.added_behind; }
    uint64_t far_slides() const { return counters_.far_slides; }
    uint64_t rebases() const { return counters_.rebases; }
    const order_window_counters& window_counters() const { return counters_; }
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
            if (slot.shares == 0) {
                if ((slot.ref & window_mask_) == i)
                    return "a free window slot holds its own reference";
                continue;
            }
            ++in_window;
            if (slot.ref >= base_ && slot.ref - base_ > window_mask_)
                return "a window order's reference is ahead of the window";
            if ((slot.ref & window_mask_) != i) return "a window order is not at its own slot";
            if (slot.ref < base_ && behind_.find(slot.ref) != nullptr)
                return "a reference is live in the window's slots and behind the window";
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
    // A reference below base: in the hashed table, or still in its window slot.
    order_slot* find_behind(uint64_t ref) const {
        if (order_slot* order = behind_.find(ref)) return order;
        order_slot& slot = window_[ref & window_mask_];
        return slot.ref == ref ? &slot : nullptr;
    }

    // A free window slot holds a reference that is not of its own slot (ref ^ 1 lies in the
    // neighbouring one), so a lookup compares the reference alone.
    void free_window_slot(order_slot& slot) {
        slot.shares = 0;
        slot.ref ^= 1;
        --window_live_;
    }

    bool in_window_slots(const order_slot* slot) const {
        const uintptr_t offset =
            reinterpret_cast<uintptr_t>(slot) - reinterpret_cast<uintptr_t>(window_.data());
        return offset < (window_mask_ + 1) * sizeof(order_slot);
    }

    [[gnu::cold]] insert_result insert_behind(uint64_t ref, order_slot*& out) {
        if (find_behind(ref) != nullptr) return insert_result::already_live;
        if (live() == capacity()) return insert_result::full;
        const insert_result result = behind_.insert(ref, out);
        HT_ASSERT(result == insert_result::inserted);
        ++counters_.added_behind;
        note_live();
        return result;
    }

    // Moves the window so that it ends at `ref` (ref >= base + window). The orders it leaves
    // stay in their slots until an add takes one (insert), so this is O(1) however far it moves.
    void slide_to(uint64_t ref) {
        const uint64_t new_base = ref - window_mask_;
        counters_.far_slides += new_base - base_ > window_mask_ + 1;
        base_ = new_base;
    }

    [[gnu::cold]] void move_behind(order_slot& slot) {
        HT_DEBUG_ASSERT(slot.shares != 0 && slot.ref < base_);
        order_slot* moved = nullptr;
        const insert_result result = behind_.insert(slot.ref, moved);
        HT_ASSERT(result == insert_result::inserted);  // sized for every live order
        moved->shares = slot.shares;
        moved->price = slot.price;
        moved->book = slot.book;
        moved->side = slot.side;
        moved->level = slot.level;
        free_window_slot(slot);
        ++counters_.moved_behind;
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
    order_window_counters counters_;
};

}  // namespace hypertick::book
