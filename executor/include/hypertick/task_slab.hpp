// The task slab: a fixed array of task slots, pinned for the executor's lifetime.
//
// Task state machine (one slot):
//
//     free --spawn--> live --frame finished--> completed --handle joined/dropped--> free
//                      |                                                     ^
//                      +--cancel--> cancelled --handle dropped---------------+
//                      |                                                     |
//                      +--finished/cancelled, no handle (detached)-----------+
//
// A slot that is released while its index still sits in the run queue becomes a `zombie`; the
// scheduler frees it when it pops that entry, so a queue entry never names a reused slot.
// `queued` is orthogonal to the state: it is set while the index is in the run queue.
#pragma once

#include <coroutine>
#include <cstdint>

#include "hypertick/base/assert.hpp"
#include "hypertick/task_ref.hpp"
#include "hypertick/waker.hpp"

namespace hypertick {

enum class task_state : std::uint8_t { free, live, completed, cancelled, zombie };

// Asks the awaiter a suspended task is parked on whether it can now complete.
using ready_check_fn = bool (*)(void* awaiter) noexcept;

struct task_slot {
    std::coroutine_handle<> frame;           // the coroutine; null when free or cancelled
    ready_check_fn pending_ready = nullptr;  // set while suspended on an awaitable
    void* pending_awaiter = nullptr;
    const bool* pending_flag = nullptr;  // set while parked: the op is complete when this is true
                                         // (never, for a ready check: ask pending_ready)
    waker join_waiter;                   // the task awaiting this one's completion, if any
    std::uint32_t generation = 0;        // bumped on every release
    std::uint32_t next_free = invalid_task_index;
    std::uint32_t waker_refs = 0;  // live wakers of this generation (plain count)
    task_state state = task_state::free;
    bool queued = false;
    bool has_handle = false;  // a join_handle owns the result
    bool running = false;     // between resume and suspension (eager runs nest)
};
// One cache line per task: the wake and poll paths touch one line.
static_assert(sizeof(task_slot) == 64);

class task_slab {
  public:
    void init(task_slot* slots, std::uint32_t capacity) noexcept {
        HT_ASSERT(slots != nullptr && capacity > 0 && capacity <= max_task_index + 1);
        slots_ = slots;
        capacity_ = capacity;
        // Build the free list so index 0 is handed out first: spawn order is deterministic.
        for (std::uint32_t i = 0; i < capacity; ++i) {
            new (&slots_[i]) task_slot{};
            slots_[i].next_free = (i + 1 < capacity) ? i + 1 : invalid_task_index;
        }
        free_head_ = 0;
        live_ = 0;
    }
    void destroy() noexcept {
        for (std::uint32_t i = 0; i < capacity_; ++i) slots_[i].~task_slot();
    }

    // Takes a free slot; false when every slot is in use. (The executor also counts slots
    // promised to tasks running inline without one, and checks those first.)
    [[nodiscard]] bool acquire(std::uint32_t& index) noexcept {
        if (live_ >= capacity_) return false;
        ++live_;
        index = pop_free();
        return true;
    }

    // Returns a slot to the free list and invalidates every outstanding reference to it.
    void release(std::uint32_t index) noexcept {
        task_slot& slot = at(index);
        HT_ASSERT(!slot.queued && !slot.running);
        HT_ASSERT(!slot.frame);
        HT_ASSERT(live_ > 0);
        slot.state = task_state::free;
        ++slot.generation;
        slot.waker_refs = 0;  // any wakers left belong to the old generation and are inert
        slot.pending_ready = nullptr;
        slot.pending_awaiter = nullptr;
        slot.pending_flag = nullptr;
        slot.join_waiter.reset();
        slot.has_handle = false;
        slot.next_free = free_head_;
        free_head_ = index;
        --live_;
    }

    [[nodiscard]] task_slot& at(std::uint32_t index) noexcept {
        HT_ASSERT(index < capacity_);
        return slots_[index];
    }
    // For an index the executor handed out itself and kept (a run-queue entry): in bounds by
    // construction, so checked in debug and sanitizer builds only.
    [[nodiscard]] task_slot& at_own(std::uint32_t index) noexcept {
        HT_DEBUG_ASSERT(index < capacity_);
        return slots_[index];
    }
    [[nodiscard]] const task_slot& at(std::uint32_t index) const noexcept {
        HT_ASSERT(index < capacity_);
        return slots_[index];
    }
    [[nodiscard]] std::uint32_t capacity() const noexcept { return capacity_; }
    [[nodiscard]] std::uint32_t live() const noexcept { return live_; }

  private:
    // live_ < capacity_, so the free list cannot be empty here.
    std::uint32_t pop_free() noexcept {
        HT_ASSERT(free_head_ != invalid_task_index);
        const std::uint32_t index = free_head_;
        task_slot& slot = slots_[index];
        HT_ASSERT(slot.state == task_state::free && !slot.queued);
        free_head_ = slot.next_free;
        slot.next_free = invalid_task_index;
        return index;
    }

    task_slot* slots_ = nullptr;
    std::uint32_t capacity_ = 0;
    std::uint32_t free_head_ = invalid_task_index;
    std::uint32_t live_ = 0;  // slots not on the free list (zombies included)
};

}  // namespace hypertick
