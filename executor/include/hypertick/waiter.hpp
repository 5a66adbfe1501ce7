// A parked waiter: the node an op links into a primitive's wait list, and whom it wakes.
//
// Whom: a waker of any kind (set_waker), or the awaiting task itself, by its executor and slot
// (set_task). The second is what op_awaiter arms when a task awaits an op directly: the node
// then lives in that task's frame and is unhooked (the op disarmed) before the frame goes, so it
// can only ever name the task that is waiting, and the wake needs neither the generation check
// nor the reference count a waker carries, nor the executor found from a waker's packed id.
#pragma once

#include <cstdint>

#include "hypertick/executor.hpp"
#include "hypertick/intrusive_list.hpp"
#include "hypertick/waker.hpp"

namespace hypertick {

struct waiter_node : list_node {
    waiter_node() noexcept = default;
    // Only an unlinked, unarmed waiter may move (ops move before they are armed).
    waiter_node(waiter_node&& other) noexcept : list_node(), done(other.done) {
        HT_ASSERT(!other.linked() && !other.armed());
    }
    waiter_node& operator=(waiter_node&&) = delete;

    // Wakes `w` when the wait completes. The node must not be armed yet.
    void set_waker(waker w) noexcept {
        HT_DEBUG_ASSERT(!armed());
        on_ready_ = std::move(w);
    }
    // Wakes the task in slot `index` of `ex` when the wait completes: only for a node inside
    // that task's own frame (see the header comment). The node must not be armed yet.
    void set_task(executor& ex, std::uint32_t index) noexcept {
        HT_DEBUG_ASSERT(!armed());
        task_owner_ = &ex;
        task_index_ = index;
    }
    // Forgets whoever would be woken (the wait was disarmed).
    void clear() noexcept {
        task_owner_ = nullptr;
        on_ready_.reset();
    }
    [[nodiscard]] bool armed() const noexcept { return task_owner_ != nullptr || on_ready_; }

    // Wakes whoever is set, and forgets them. Always inline: it is the wake of every primitive
    // that completes waits (notify, event, channel).
    [[gnu::always_inline]] void wake() noexcept {
        if (task_owner_ != nullptr) {
            executor* owner = task_owner_;
            task_owner_ = nullptr;
            owner->wake_waiting_task(task_index_);
        } else {
            wake_inline(std::move(on_ready_));
        }
    }
    // Completes the wait: unhooks the node and wakes its task.
    void complete() noexcept {
        unlink();
        done = true;
        wake();
    }

  private:
    waker on_ready_;
    executor* task_owner_ = nullptr;
    std::uint32_t task_index_;  // read only while task_owner_ is set

  public:
    // Last, in the padding after the index (the node is 48 bytes).
    bool done = false;  // set by the side that completes the wait, before it wakes
};
static_assert(sizeof(waiter_node) == 48);

}  // namespace hypertick
