// A parked waiter: the node an op links into a primitive's wait list.
#pragma once

#include "hypertick/executor.hpp"
#include "hypertick/intrusive_list.hpp"
#include "hypertick/waker.hpp"

namespace hypertick {

struct waiter_node : list_node {
    waker on_ready;
    bool done = false;  // set by the side that completes the wait, before it wakes

    waiter_node() noexcept = default;
    // Only an unlinked waiter may move (ops move before they are armed).
    waiter_node(waiter_node&& other) noexcept : list_node(), done(other.done) {
        HT_ASSERT(!other.linked());
    }
    waiter_node& operator=(waiter_node&&) = delete;

    // Completes the wait: unhooks the node and wakes its task.
    void complete() noexcept {
        unlink();
        done = true;
        wake_inline(std::move(on_ready));
    }
};

}  // namespace hypertick
