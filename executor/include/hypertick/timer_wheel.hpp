// A hierarchical timing wheel with intrusive entries: O(1) arm and cancel, no allocation.
//
// Six levels of 64 slots. Level L slot s holds entries whose deadline tick agrees with the wheel's
// current tick in every bit above level L's six bits, and has digit s at level L. As time
// advances, an entry cascades down one or more levels until it reaches level 0 and fires.
// Each level keeps a 64-bit occupancy mask so finding the next deadline is a few bit scans.
// The wheel covers one aligned window of 2^36 ticks (19 hours at the default 1 us tick); a
// deadline in a later window waits on an overflow list that is re-filed each time the wheel
// crosses into a new window, so any deadline works.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

#include "hypertick/intrusive_list.hpp"
#include "hypertick/waker.hpp"

namespace hypertick {

struct timer_entry : list_node {
    std::uint64_t deadline_tick = 0;
    waker on_fire;
    std::uint8_t level = 0;
    std::uint8_t slot = 0;
    bool fired = false;
};

class timer_wheel {
  public:
    static constexpr std::uint32_t level_bits = 6;
    static constexpr std::uint32_t slots_per_level = 1u << level_bits;
    static constexpr std::uint32_t levels = 6;
    static constexpr std::uint64_t span_ticks = std::uint64_t{1} << (level_bits * levels);

    timer_wheel() noexcept = default;
    timer_wheel(const timer_wheel&) = delete;
    timer_wheel& operator=(const timer_wheel&) = delete;
    ~timer_wheel() { HT_ASSERT(armed_ == 0); }

    // Files `entry` to fire at `deadline_tick` (already due: it fires at the next advance).
    void arm(timer_entry& entry, std::uint64_t deadline_tick, waker on_fire) noexcept;
    // Unfiles `entry` if it is armed; harmless otherwise.
    void cancel(timer_entry& entry) noexcept;
    // Fires every entry whose deadline is at or before `now_tick`, in deadline order (the order
    // within one tick is deterministic). Returns how many fired.
    std::uint32_t advance(std::uint64_t now_tick) noexcept;

    // The earliest tick at which something may fire, or UINT64_MAX when nothing is armed. It can
    // be earlier than the true earliest deadline (a cascade point); never later.
    [[nodiscard]] std::uint64_t next_event_tick() const noexcept;

    [[nodiscard]] std::uint32_t armed() const noexcept { return armed_; }
    [[nodiscard]] std::uint64_t current_tick() const noexcept { return elapsed_; }

  private:
    struct slot_ref {
        std::uint32_t level;
        std::uint32_t slot;
        std::uint64_t tick;  // when this slot's window starts
    };

    static constexpr std::uint8_t level_due = levels;           // entry sits in due_
    static constexpr std::uint8_t level_overflow = levels + 1;  // entry sits in overflow_

    void file(timer_entry& entry) noexcept;
    void refile_overflow() noexcept;
    [[nodiscard]] std::uint64_t next_window_tick() const noexcept {
        return (elapsed_ | (span_ticks - 1)) + 1;
    }
    [[nodiscard]] bool next_slot(slot_ref& out) const noexcept;
    std::uint32_t process_slot(const slot_ref& ref) noexcept;
    void fire(timer_entry& entry) noexcept;

    std::array<std::array<intrusive_list, slots_per_level>, levels> slots_{};
    std::array<std::uint64_t, levels> occupied_{};
    intrusive_list due_;         // armed at or before the current tick
    intrusive_list overflow_;    // deadlines beyond the current 2^36-tick window
    std::uint64_t elapsed_ = 0;  // every deadline <= elapsed_ has fired
    std::uint32_t armed_ = 0;
};

// ---- inline definitions: arm and cancel sit on every timed wait ----

inline void timer_wheel::arm(timer_entry& entry, std::uint64_t deadline_tick,
                             waker on_fire) noexcept {
    HT_ASSERT(!entry.linked());
    entry.deadline_tick = deadline_tick;
    entry.on_fire = std::move(on_fire);
    entry.fired = false;
    ++armed_;
    if (deadline_tick <= elapsed_) {
        entry.level = level_due;
        due_.push_back(entry);
        return;
    }
    file(entry);
}

inline void timer_wheel::file(timer_entry& entry) noexcept {
    HT_ASSERT(entry.deadline_tick > elapsed_);
    // The level is set by the highest bit in which the deadline differs from now. Every bit above
    // that level's digit is equal, and the deadline's digit there is larger than now's, so the
    // slot lies ahead of now at its level and a level's slots never wrap.
    const std::uint64_t differing = (elapsed_ ^ entry.deadline_tick) | (slots_per_level - 1);
    const auto significant = static_cast<std::uint32_t>(63 - std::countl_zero(differing));
    const std::uint32_t level = significant / level_bits;
    if (level >= levels) {
        entry.level = level_overflow;
        overflow_.push_back(entry);
        return;
    }
    const auto slot = static_cast<std::uint32_t>((entry.deadline_tick >> (level * level_bits)) &
                                                 (slots_per_level - 1));
    entry.level = static_cast<std::uint8_t>(level);
    entry.slot = static_cast<std::uint8_t>(slot);
    slots_[level][slot].push_back(entry);
    occupied_[level] |= std::uint64_t{1} << slot;
}

inline void timer_wheel::cancel(timer_entry& entry) noexcept {
    if (!entry.linked()) return;
    // In a circular list with a sentinel, a node's two neighbours are the same node (the
    // sentinel) exactly when it is the only entry: its slot empties. Read before unlinking, this
    // needs no load from the list head after the unlink has written it.
    const bool last_in_slot = entry.prev == entry.next;
    entry.unlink();
    if (last_in_slot && entry.level < levels) {
        HT_DEBUG_ASSERT(slots_[entry.level][entry.slot].empty());
        occupied_[entry.level] &= ~(std::uint64_t{1} << entry.slot);
    }
    entry.on_fire.reset();
    HT_ASSERT(armed_ > 0);
    --armed_;
}

}  // namespace hypertick
