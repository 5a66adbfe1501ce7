// The contract between a task and anything it can wait for.
//
// An op is a small movable object that a task awaits (`co_await op`). The executor drives it:
//   try_complete(ex)  finish now if possible (true = done). Called before suspending, and again
//                     each time the task is woken, so a wake that arrives too early (or twice)
//                     only costs a re-check: the coroutine is resumed only once this says true.
//   arm(ex, waker)    register to be woken when completion may be possible.
//   disarm(ex)        unregister (the task was cancelled, or a timeout won).
//   take(ex)          the result, once try_complete has said true.
// An op that declares `requeues_self` completes simply by being polled again (yield_now):
// awaited directly by a task, it is neither asked nor armed (promise_base::requeue_awaiter):
// the task suspends once and asks the executor to re-queue it (requeue_current).
// An op may also offer arm_task(ex, index): as arm(), but what it wakes is the task in slot
// `index`, the one awaiting it (waiter_node::set_task). op_awaiter prefers it to arm(): the
// awaiting task's wait then needs no waker. Ops nested in other ops are armed with wakers.
// An op whose armed wait ends exactly when a flag of its own is set (by the side that completes
// it, before waking) may expose `const bool* completion_flag() const`: the scheduler then checks
// the flag instead of calling try_complete through a function pointer.
// Ops never allocate: whatever they link into (timer wheel, waiter lists) lives inside them,
// and they live inside the awaiting coroutine frame, which never moves.
#pragma once

#include <concepts>
#include <coroutine>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "hypertick/executor.hpp"

namespace hypertick {

template <class Op>
concept async_op = std::move_constructible<Op> && requires(Op& op, executor& ex, waker w) {
    { op.try_complete(ex) }
    noexcept->std::same_as<bool>;
    { op.arm(ex, std::move(w)) }
    noexcept;
    { op.disarm(ex) }
    noexcept;
    op.take(ex);
};

// What `co_await op` becomes inside a task (built by promise_base::await_transform). It refers
// to the op rather than holding a copy: the op, a temporary of the co_await expression, already
// lives in the coroutine frame until the await ends, and not moving it avoids copying its
// waiter and payload (and a store-forwarding stall on the wide copy).
template <async_op Op>
class op_awaiter {
  public:
    op_awaiter(Op& op, executor& ex, std::uint32_t task_index) noexcept
        : op_(&op), ex_(&ex), task_index_(task_index) {}
    op_awaiter(const op_awaiter&) = delete;
    op_awaiter& operator=(const op_awaiter&) = delete;
    ~op_awaiter() {
        // Only reached while armed when the task is cancelled mid-wait.
        if (armed_) op_->disarm(*ex_);
    }

    bool await_ready() noexcept { return op_->try_complete(*ex_); }
    // Always inline, with everything it calls on the way (make_waker, park, park_on_flag):
    // left to g++'s heuristics, a translation unit that inlines much else runs out of its
    // inlining budget and calls this out of line, and inlining this alone leaves make_waker
    // behind as a call of its own; either costs the wait path a call and reloads
    // (docs/performance.md, "Against Seastar", has the measurements).
    [[gnu::always_inline]] void await_suspend(std::coroutine_handle<>) noexcept {
        // A task spawn_eager started without a slot takes one at its first suspension.
        if (task_index_ == invalid_task_index) [[unlikely]]
            take_slot();
        // An op that can name the awaiting task directly skips building a waker.
        if constexpr (requires(Op & o, executor & ex) { o.arm_task(ex, std::uint32_t{}); })
            op_->arm_task(*ex_, task_index_);
        else
            op_->arm(*ex_, ex_->make_waker(task_index_));
        armed_ = true;
        if constexpr (requires(const Op& o) {
                          { o.completion_flag() } -> std::same_as<const bool*>;
                      })
            ex_->park_on_flag(task_index_, op_->completion_flag());
        else
            ex_->park(task_index_, &ready_check, this);
    }
    decltype(auto) await_resume() noexcept {
        armed_ = false;
        return op_->take(*ex_);
    }

  private:
    // Cold and out of line: the inlined await_suspend keeps only the test and a call.
    [[gnu::cold, gnu::noinline]] void take_slot() noexcept {
        task_index_ = ex_->slot_running_task();
    }
    static bool ready_check(void* self) noexcept {
        auto* awaiter = static_cast<op_awaiter*>(self);
        return awaiter->op_->try_complete(*awaiter->ex_);
    }

    Op* op_;
    executor* ex_;
    std::uint32_t task_index_;
    bool armed_ = false;
};

}  // namespace hypertick
