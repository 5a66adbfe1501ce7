#include "hypertick/timer_wheel.hpp"

#include <bit>
#include <limits>

namespace hypertick {

void timer_wheel::refile_overflow() noexcept {
    intrusive_list batch;
    batch.splice_back(overflow_);
    while (list_node* node = batch.pop_front()) {
        auto& entry = static_cast<timer_entry&>(*node);
        if (entry.deadline_tick <= elapsed_) {
            fire(entry);
        } else {
            file(entry);  // back onto overflow_ if still in a later window
        }
    }
}

bool timer_wheel::next_slot(slot_ref& out) const noexcept {
    // A lower level's nearest slot always starts before any higher level's.
    for (std::uint32_t level = 0; level < levels; ++level) {
        if (occupied_[level] == 0) continue;
        const std::uint32_t shift = level * level_bits;
        const auto now_slot =
            static_cast<std::uint32_t>((elapsed_ >> shift) & (slots_per_level - 1));
        // Only slots after now_slot can be occupied at this level (see file()).
        const std::uint64_t ahead = occupied_[level] & ~((std::uint64_t{2} << now_slot) - 1);
        HT_ASSERT(ahead == occupied_[level]);
        const auto slot = static_cast<std::uint32_t>(std::countr_zero(ahead));
        const std::uint64_t level_span = std::uint64_t{1} << (shift + level_bits);
        const std::uint64_t tick = (elapsed_ & ~(level_span - 1)) + (std::uint64_t{slot} << shift);
        HT_ASSERT(tick > elapsed_);
        out = slot_ref{level, slot, tick};
        return true;
    }
    return false;
}

std::uint64_t timer_wheel::next_event_tick() const noexcept {
    if (!due_.empty()) return elapsed_;
    slot_ref ref{};
    if (next_slot(ref)) return ref.tick;
    if (!overflow_.empty()) return next_window_tick();
    return std::numeric_limits<std::uint64_t>::max();
}

void timer_wheel::fire(timer_entry& entry) noexcept {
    HT_ASSERT(armed_ > 0);
    --armed_;
    entry.fired = true;
    std::move(entry.on_fire).wake();
}

std::uint32_t timer_wheel::process_slot(const slot_ref& ref) noexcept {
    occupied_[ref.level] &= ~(std::uint64_t{1} << ref.slot);
    // Detach the whole slot first, then fire or re-file (lower) each entry.
    intrusive_list batch;
    batch.splice_back(slots_[ref.level][ref.slot]);
    std::uint32_t fired = 0;
    while (list_node* node = batch.pop_front()) {
        auto& entry = static_cast<timer_entry&>(*node);
        if (entry.deadline_tick <= elapsed_) {
            fire(entry);
            ++fired;
        } else {
            file(entry);
        }
    }
    return fired;
}

std::uint32_t timer_wheel::advance(std::uint64_t now_tick) noexcept {
    std::uint32_t fired = 0;
    while (list_node* node = due_.pop_front()) {
        fire(static_cast<timer_entry&>(*node));
        ++fired;
    }
    const std::uint32_t armed_before = armed_;
    for (;;) {
        slot_ref ref{};
        if (next_slot(ref)) {
            if (ref.tick > now_tick) break;
            elapsed_ = ref.tick;
            process_slot(ref);
        } else if (!overflow_.empty() && next_window_tick() <= now_tick) {
            elapsed_ = next_window_tick();
            refile_overflow();
        } else {
            break;
        }
    }
    if (now_tick > elapsed_) elapsed_ = now_tick;
    return fired + (armed_before - armed_);
}

}  // namespace hypertick
