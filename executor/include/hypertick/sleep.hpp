// Timers: sleep_for, sleep_until, and a timeout around any op.
//
// Deadlines are on the executor's clock (ns). A sleep's deadline is fixed the first time it is
// checked, from the time of the current turn, so every task of a turn sees the same "now".
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <type_traits>

#include "hypertick/op.hpp"
#include "hypertick/timer_wheel.hpp"

namespace hypertick {

enum class timer_status : std::uint8_t {
    fired,     // the deadline passed
    rejected,  // max_armed_timers were armed: completed at once, counted in stats
};

class sleep_op {
  public:
    static sleep_op after(std::uint64_t duration_ns) noexcept {
        return sleep_op(duration_ns, false);
    }
    static sleep_op at(std::uint64_t deadline_ns) noexcept { return sleep_op(deadline_ns, true); }

    sleep_op(sleep_op&& other) noexcept
        : value_ns_(other.value_ns_), absolute_(other.absolute_), status_(other.status_) {
        HT_ASSERT(!other.entry_.linked());  // an armed timer never moves
    }
    sleep_op& operator=(sleep_op&&) = delete;

    bool try_complete(executor& ex) noexcept {
        if (entry_.fired) return true;  // fired, or rejected (see arm)
        if (entry_.linked()) return false;
        if (!absolute_) {
            value_ns_ += ex.now_ns();  // fix the deadline on first check
            absolute_ = true;
        }
        return value_ns_ <= ex.now_ns();
    }
    void arm(executor& ex, waker w) noexcept {
        if (!ex.arm_timer(entry_, value_ns_, std::move(w))) {
            // Completed at once (the task was woken): the same flag says so to the scheduler.
            status_ = timer_status::rejected;
            entry_.fired = true;
        }
    }
    void disarm(executor& ex) noexcept { ex.cancel_timer(entry_); }
    timer_status take(executor&) noexcept { return status_; }
    // Once armed, the wait ends exactly when the wheel fires the entry (or arming was refused).
    [[nodiscard]] const bool* completion_flag() const noexcept { return &entry_.fired; }

    [[nodiscard]] std::uint64_t deadline_ns() const noexcept { return value_ns_; }

  private:
    sleep_op(std::uint64_t value_ns, bool absolute) noexcept
        : value_ns_(value_ns), absolute_(absolute) {}

    std::uint64_t value_ns_;  // a duration until first checked, then the deadline
    bool absolute_;
    timer_status status_ = timer_status::fired;
    timer_entry entry_;
};

template <class Rep, class Period>
[[nodiscard]] sleep_op sleep_for(std::chrono::duration<Rep, Period> d) noexcept {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
    return sleep_op::after(ns > 0 ? static_cast<std::uint64_t>(ns) : 0);
}
[[nodiscard]] inline sleep_op sleep_until(std::uint64_t deadline_ns) noexcept {
    return sleep_op::at(deadline_ns);
}

// The result of a timed wait: the inner op's result, or nothing when the time ran out.
template <class R>
struct timed {
    std::optional<R> value;
    [[nodiscard]] bool timed_out() const noexcept { return !value.has_value(); }
};
template <>
struct timed<void> {
    bool completed = false;
    [[nodiscard]] bool timed_out() const noexcept { return !completed; }
};

template <async_op Op>
class timeout_op {
  public:
    using inner_result = decltype(std::declval<Op&>().take(std::declval<executor&>()));

    timeout_op(Op&& inner, sleep_op&& timer) noexcept
        : inner_(std::move(inner)), timer_(std::move(timer)) {}
    timeout_op(timeout_op&&) noexcept = default;

    // The inner op is checked first: if both are ready, its result is not thrown away.
    bool try_complete(executor& ex) noexcept {
        if (state_ != state::pending) return true;
        if (inner_.try_complete(ex)) {
            timer_.disarm(ex);
            state_ = state::inner_done;
            return true;
        }
        if (timer_.try_complete(ex)) {
            inner_.disarm(ex);
            state_ = state::timed_out;
            return true;
        }
        return false;
    }
    void arm(executor& ex, waker w) noexcept {
        inner_.arm(ex, w);  // a clone: both may wake the task, the first one wins
        timer_.arm(ex, std::move(w));
    }
    void disarm(executor& ex) noexcept {
        inner_.disarm(ex);
        timer_.disarm(ex);
    }
    timed<inner_result> take(executor& ex) noexcept {
        if constexpr (std::is_void_v<inner_result>) {
            if (state_ == state::inner_done) inner_.take(ex);
            return timed<void>{state_ == state::inner_done};
        } else {
            if (state_ == state::inner_done) return timed<inner_result>{inner_.take(ex)};
            return timed<inner_result>{};
        }
    }

  private:
    enum class state : std::uint8_t { pending, inner_done, timed_out };
    Op inner_;
    sleep_op timer_;
    state state_ = state::pending;
};

template <class Rep, class Period, class Op>
[[nodiscard]] auto with_timeout(std::chrono::duration<Rep, Period> d, Op&& op) noexcept {
    static_assert(async_op<std::remove_cvref_t<Op>>, "with_timeout wraps a hypertick op");
    return timeout_op<std::remove_cvref_t<Op>>(std::move(op), sleep_for(d));
}

}  // namespace hypertick
