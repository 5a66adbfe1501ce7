// yield_now(): go to the back of the run queue and let every other ready task run first.
#pragma once

#include "hypertick/op.hpp"

namespace hypertick {

class yield_op {
  public:
    // Awaited by a task, it is not asked or armed: the task suspends once and is re-queued
    // (see op.hpp). The members below serve the general path, when yield_op is wrapped in
    // another op (e.g. with_timeout).
    static constexpr bool requeues_self = true;

    bool try_complete(executor&) noexcept { return yielded_; }
    void arm(executor&, waker w) noexcept {
        yielded_ = true;
        std::move(w).wake();  // re-queue at the tail
    }
    void disarm(executor&) noexcept {}
    void take(executor&) noexcept {}

  private:
    bool yielded_ = false;
};

[[nodiscard]] inline yield_op yield_now() noexcept {
    return {};
}

}  // namespace hypertick
