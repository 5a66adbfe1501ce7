// A parked waiter: whom a wait wakes, and (waiter_node) the node an op links into a wait list.
//
// Whom: a waker of any kind (set_waker), or the awaiting task itself, by its executor and slot
// (set_task). The second is what op_awaiter arms when a task awaits an op directly: the waiter
// then lives in that task's frame and is cleared (the op disarmed) before the frame goes, so it
// can only ever name the task that is waiting, and the wake needs neither the generation check
// nor the reference count a waker carries, nor the executor found from a waker's packed id.
#pragma once

#include <cstdint>
#include <utility>

#include "hypertick/executor.hpp"
#include "hypertick/intrusive_list.hpp"
#include "hypertick/waker.hpp"

namespace hypertick {

// One parked wait that is not in a list (notify holds at most one).
class waiter {
  public:
    waiter() noexcept = default;
    // Only an unarmed waiter may move (ops move before they are armed).
    waiter(waiter&& other) noexcept : done(other.done) { HT_ASSERT(!other.armed()); }
    waiter& operator=(waiter&&) = delete;
    ~waiter() {
        if (target_.vtable != nullptr) target_.vtable->drop(target_.data);
    }

    // Wakes `w` when the wait completes. The waiter must not be armed yet.
    void set_waker(waker w) noexcept {
        HT_DEBUG_ASSERT(!armed());
        target_ = std::move(w).release();
    }
    // Wakes the task in slot `index` of `ex` when the wait completes: only for a waiter inside
    // that task's own frame (see the header comment). The waiter must not be armed yet.
    void set_task(executor& ex, std::uint32_t index) noexcept {
        HT_DEBUG_ASSERT(!armed());
        target_ = raw_waker{&ex, nullptr};
        task_index_ = index;
    }
    // Forgets whoever would be woken (the wait was disarmed), dropping a waker.
    void clear() noexcept {
        if (target_.vtable != nullptr) target_.vtable->drop(target_.data);
        target_ = raw_waker{};
    }
    [[nodiscard]] bool armed() const noexcept {
        return target_.vtable != nullptr || target_.data != nullptr;
    }

    // Marks the wait done and wakes whoever is set, forgetting them. Always inline: it is the
    // wake of every primitive that completes waits (notify, event, channel).
    [[gnu::always_inline]] void complete() noexcept {
        HT_DEBUG_ASSERT(armed());
        done = true;
        if (target_.vtable == nullptr) {
            // set_task stored the executor, which it was given as non-const.
            auto* owner = static_cast<executor*>(const_cast<void*>(target_.data));
            target_.data = nullptr;
            owner->wake_waiting_task(task_index_);
        } else {
            wake_inline(waker(std::exchange(target_, raw_waker{})));
        }
    }

  private:
    // A waker's {data, vtable}, owned; or {executor, null} for a task parked by its slot.
    raw_waker target_;
    std::uint32_t task_index_;  // read only while a task is parked by its slot

  public:
    // Last, in the padding after the index (the waiter is 24 bytes).
    bool done = false;  // set by complete(), before it wakes
};
static_assert(sizeof(waiter) == 24);

// A waiter that links into a primitive's wait list (event, channel).
struct waiter_node : list_node, waiter {
    waiter_node() noexcept = default;
    // Only an unlinked, unarmed node may move (ops move before they are armed).
    waiter_node(waiter_node&& other) noexcept : list_node(), waiter(std::move(other)) {
        HT_ASSERT(!other.linked());
    }
    waiter_node& operator=(waiter_node&&) = delete;

    // Completes the wait: unhooks the node, marks it done and wakes its task.
    void complete() noexcept {
        unlink();
        waiter::complete();
    }
};
static_assert(sizeof(waiter_node) == 40);

}  // namespace hypertick
