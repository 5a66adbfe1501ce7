// yield_now(): go to the back of the run queue and let every other ready task run first.
#pragma once

#include "hypertick/op.hpp"

namespace hypertick {

class yield_op {
  public:
    static constexpr bool requeues_self = true;  // see op.hpp: no waker needed inside a task

    bool try_complete(executor&) noexcept { return yielded_; }
    void arm_requeued() noexcept { yielded_ = true; }
    // The general path, used when yield_op is wrapped in another op (e.g. with_timeout).
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
