// Tasks: C++20 coroutines whose frames live in the executor's frame pool.
//
//   hypertick::task<int> answer(hypertick::channel<int>& in) { auto v = co_await in.recv(); ... }
//   auto spawned = ex.spawn(answer, std::ref(ch));   // frame from the pool, queued to run
//   if (!spawned.ok()) ... spawned.error() ...
//
// A task may only co_await ops (hypertick/op.hpp): await_transform rejects anything else at
// compile time, because a foreign awaitable would suspend the task with nobody to wake it.
#pragma once

#include <coroutine>
#include <exception>
#include <functional>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "hypertick/executor.hpp"
#include "hypertick/op.hpp"

namespace hypertick {

template <class T>
class task;
template <class T>
class join_handle;

class promise_base {
  public:
    // Frames come only from the pool of the executor that is spawning. Returning nullptr makes
    // the coroutine call return get_return_object_on_allocation_failure() instead of throwing.
    static void* operator new(std::size_t size) noexcept {
        const std::uintptr_t spawning = detail::t_spawning;
        if (spawning == 0) return nullptr;
        return executor::spawning(spawning).allocate_frame(size);
    }
    static void operator delete(void* frame, std::size_t) noexcept { frame_pool::release(frame); }

    // A task starts suspended (queued, or run by the caller through its slot), or, started by
    // executor::launch_inline, runs at once inside the coroutine call.
    struct start_awaiter {
        bool run_now;
        [[nodiscard]] bool await_ready() const noexcept { return run_now; }
        void await_suspend(std::coroutine_handle<>) const noexcept {}
        void await_resume() const noexcept {}
    };
    // A task ends suspended, for the scheduler to complete, unless it ran inline from its
    // spawn to its end without a slot and nobody holds its result: then its frame is freed as
    // the coroutine returns, and nothing else about it remains.
    struct final_awaiter {
        promise_base* promise;
        [[nodiscard]] bool await_ready() const noexcept { return promise->ends_unslotted(); }
        void await_suspend(std::coroutine_handle<>) const noexcept {}
        void await_resume() const noexcept {}
    };
    final_awaiter final_suspend() noexcept { return {this}; }
    // co_await of an op that `requeues_self` (yield_now, hypertick/op.hpp): the op completes by
    // being polled again, so nothing is armed, parked or kept across the suspension. The
    // awaiter holds nothing: the executor and the slot come from the promise, at a fixed place
    // in the frame, so a yield writes only the coroutine's resume point and the re-queue flag.
    struct requeue_awaiter {
        static bool await_ready() noexcept { return false; }
        template <class Promise>
        void await_suspend(std::coroutine_handle<Promise> frame) noexcept {
            promise_base& self = frame.promise();
            // A task spawn_eager started without a slot takes one at its first suspension.
            if (self.task_index_ == invalid_task_index) [[unlikely]]
                self.take_slot();
            self.executor_->requeue_current();
        }
        static void await_resume() noexcept {}
    };
    // Tasks must not throw: an escaping exception is a bug, and the hot path has no unwinding.
    void unhandled_exception() const noexcept { std::terminate(); }

    // `op` is the co_await's own temporary (or a named op the caller keeps alive), so the
    // awaiter may refer to it for the whole wait.
    template <class Op>
    auto await_transform(Op&& op) noexcept {
        static_assert(async_op<std::remove_cvref_t<Op>>,
                      "a hypertick task can only co_await hypertick ops (see hypertick/op.hpp)");
        static_assert(!std::is_const_v<std::remove_reference_t<Op>>,
                      "an op is consumed: not const");
        if constexpr (requires { std::remove_cvref_t<Op>::requeues_self; })
            return requeue_awaiter{};
        else
            return op_awaiter<std::remove_cvref_t<Op>>(op, *executor_, task_index_);
    }

    void bind(executor& ex, std::uint32_t task_index) noexcept {
        executor_ = &ex;
        task_index_ = task_index;
    }
    [[nodiscard]] executor& owner() const noexcept { return *executor_; }
    [[nodiscard]] std::uint32_t task_index() const noexcept { return task_index_; }
    [[nodiscard]] bool detached() const noexcept { return detached_; }

  protected:
    // Called from initial_suspend, inside the coroutine call, with spawn()'s context set.
    start_awaiter start(std::coroutine_handle<> self) noexcept {
        const std::uintptr_t spawning = detail::t_spawning;
        HT_ASSERT(spawning != 0);  // operator new succeeded, so spawn() is calling
        if ((spawning & detail::spawning_inline) == 0) return {false};
        executor_ = &executor::spawning(spawning);
        detached_ = (spawning & detail::spawning_detached) != 0;
        executor_->begin_unslotted(*this, self);
        // The body runs now: a task coroutine called from it (not spawned) must not find the
        // pool, as anywhere else outside spawn().
        detail::t_spawning = 0;
        return {true};
    }

  private:
    // Cold and out of line: the inlined yield keeps only the test and a call.
    [[gnu::cold, gnu::noinline]] void take_slot() noexcept { (void)executor_->slot_running_task(); }
    [[nodiscard]] bool ends_unslotted() const noexcept {
        return task_index_ == invalid_task_index && detached_;
    }

    executor* executor_ = nullptr;
    std::uint32_t task_index_ = invalid_task_index;
    bool detached_ = false;  // no join handle: the slot (if any) frees itself at the end
};

template <class T>
class promise final : public promise_base {
  public:
    task<T> get_return_object() noexcept;
    static task<T> get_return_object_on_allocation_failure() noexcept;
    start_awaiter initial_suspend() noexcept {
        return start(std::coroutine_handle<promise>::from_promise(*this));
    }
    template <class U>
    void return_value(U&& value) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
        result_.emplace(std::forward<U>(value));
    }
    std::optional<T>& result() noexcept { return result_; }

  private:
    std::optional<T> result_;
};

template <>
class promise<void> final : public promise_base {
  public:
    task<void> get_return_object() noexcept;
    static task<void> get_return_object_on_allocation_failure() noexcept;
    start_awaiter initial_suspend() noexcept {
        return start(std::coroutine_handle<promise>::from_promise(*this));
    }
    void return_void() noexcept {}
};

// The return type of a task coroutine. It owns the frame until spawn() hands it to the slab.
template <class T>
class [[nodiscard]] task {
  public:
    using promise_type = promise<T>;
    using value_type = T;

    task() noexcept = default;
    explicit task(std::coroutine_handle<promise_type> frame) noexcept : frame_(frame) {}
    task(task&& other) noexcept : frame_(std::exchange(other.frame_, nullptr)) {}
    task& operator=(task&& other) noexcept {
        if (this != &other) {
            if (frame_) frame_.destroy();
            frame_ = std::exchange(other.frame_, nullptr);
        }
        return *this;
    }
    ~task() {
        if (frame_) frame_.destroy();
    }

    [[nodiscard]] bool valid() const noexcept { return static_cast<bool>(frame_); }
    std::coroutine_handle<promise_type> release() noexcept {
        return std::exchange(frame_, nullptr);
    }

  private:
    std::coroutine_handle<promise_type> frame_;
};

template <class T>
task<T> promise<T>::get_return_object() noexcept {
    return task<T>(std::coroutine_handle<promise<T>>::from_promise(*this));
}
template <class T>
task<T> promise<T>::get_return_object_on_allocation_failure() noexcept {
    return task<T>();
}
inline task<void> promise<void>::get_return_object() noexcept {
    return task<void>(std::coroutine_handle<promise<void>>::from_promise(*this));
}
inline task<void> promise<void>::get_return_object_on_allocation_failure() noexcept {
    return task<void>();
}

template <class T>
struct is_task : std::false_type {};
template <class T>
struct is_task<task<T>> : std::true_type {};

// ---- Joining ----

enum class join_status : std::uint8_t { ok, cancelled };

template <class T>
struct join_result {
    join_status status = join_status::cancelled;
    std::optional<T> value;  // set when status is ok
    [[nodiscard]] bool ok() const noexcept { return status == join_status::ok; }
};
template <>
struct join_result<void> {
    join_status status = join_status::cancelled;
    [[nodiscard]] bool ok() const noexcept { return status == join_status::ok; }
};

// Awaits a task's end through its handle. The handle must outlive the wait.
template <class T>
class join_op {
  public:
    explicit join_op(join_handle<T>& handle) noexcept : handle_(&handle) {}

    bool try_complete(executor& ex) noexcept {
        if (!handle_->ref_.valid()) return true;  // already joined
        const task_state state = ex.slot(handle_->ref_.index).state;
        return state == task_state::completed || state == task_state::cancelled;
    }
    void arm(executor& ex, waker w) noexcept {
        ex.slot(handle_->ref_.index).join_waiter = std::move(w);
    }
    void disarm(executor& ex) noexcept {
        if (handle_->ref_.valid()) ex.slot(handle_->ref_.index).join_waiter.reset();
    }
    join_result<T> take(executor&) noexcept { return handle_->take_result(); }

  private:
    join_handle<T>* handle_;
};

// Owns a spawned task's result. Dropping it without joining detaches the task.
template <class T>
class join_handle {
  public:
    join_handle() noexcept = default;
    join_handle(executor& ex, task_ref ref) noexcept : executor_(&ex), ref_(ref) {}
    join_handle(join_handle&& other) noexcept
        : executor_(other.executor_), ref_(std::exchange(other.ref_, task_ref{})) {}
    join_handle& operator=(join_handle&& other) noexcept {
        if (this != &other) {
            reset();
            executor_ = other.executor_;
            ref_ = std::exchange(other.ref_, task_ref{});
        }
        return *this;
    }
    ~join_handle() { reset(); }

    // co_await handle.join() -> join_result<T>
    [[nodiscard]] join_op<T> join() noexcept { return join_op<T>(*this); }
    // Cancels the task if it is still running; a later join reports `cancelled`.
    bool cancel() noexcept { return ref_.valid() && executor_->cancel(ref_); }
    [[nodiscard]] bool finished() const noexcept {
        if (!ref_.valid()) return true;
        const task_state state = executor_->slot(ref_.index).state;
        return state == task_state::completed || state == task_state::cancelled;
    }
    [[nodiscard]] task_ref ref() const noexcept { return ref_; }
    [[nodiscard]] bool valid() const noexcept { return ref_.valid(); }
    // Lets the task run on unobserved.
    void detach() noexcept { reset(); }

  private:
    friend class join_op<T>;

    // The ref's fields travel one by one, never as one word: they were stored separately
    // (at spawn), and a wider load across both would miss store forwarding.
    void reset() noexcept {
        if (!ref_.valid()) return;
        const std::uint32_t index = ref_.index;
        const std::uint32_t generation = ref_.generation;
        ref_ = task_ref{};
        executor_->drop_handle(index, generation);
    }
    join_result<T> take_result() noexcept {
        join_result<T> out;
        if (!ref_.valid()) return out;  // joined twice: nothing left to give
        task_slot& slot = executor_->slot(ref_.index);
        HT_ASSERT(slot.generation == ref_.generation);
        if (slot.state == task_state::completed) {
            out.status = join_status::ok;
            if constexpr (!std::is_void_v<T>) {
                auto frame = std::coroutine_handle<promise<T>>::from_address(slot.frame.address());
                // Built from the result's flag and value rather than copied whole: the task
                // stored them separately as it ended, just before.
                std::optional<T>& result = frame.promise().result();
                if (result.has_value()) out.value.emplace(std::move(*result));
            }
        }
        reset();
        return out;
    }

    executor* executor_ = nullptr;
    task_ref ref_;
};

template <class T>
class [[nodiscard]] spawn_result {
  public:
    spawn_result(spawn_error error) noexcept : error_(error) {}  // NOLINT: implicit on purpose
    spawn_result(join_handle<T>&& handle) noexcept : handle_(std::move(handle)) {}

    [[nodiscard]] bool ok() const noexcept { return error_ == spawn_error::none; }
    [[nodiscard]] spawn_error error() const noexcept { return error_; }
    [[nodiscard]] join_handle<T>& handle() noexcept { return handle_; }
    [[nodiscard]] join_handle<T> take_handle() noexcept { return std::move(handle_); }
    // Drops the handle (the task runs on) and reports how the spawn went.
    spawn_error detach() noexcept {
        handle_.detach();
        return error_;
    }

  private:
    join_handle<T> handle_;
    spawn_error error_ = spawn_error::none;
};

// ---- executor::spawn, defined here because it needs the task types ----

// Takes a slot and builds the coroutine in a frame from the pool: the frame, or nullptr with
// `error` saying why.
template <class Fn, class... Args>
void* executor::create(std::uint32_t& index, spawn_error& error, Fn&& fn, Args&&... args) noexcept {
    using task_type = std::invoke_result_t<Fn, Args...>;
    static_assert(is_task<task_type>::value,
                  "spawn() takes a function returning hypertick::task<T>");
    if (status_ != init_error::none) {
        error = spawn_error::not_ready;
        return nullptr;
    }
    if (tasks_alive() >= slab_.capacity() || !slab_.acquire(index)) {
        ++stats_.spawn_failed_slab_full;
        error = spawn_error::slab_full;
        return nullptr;
    }
    const std::uintptr_t outer =
        std::exchange(detail::t_spawning, reinterpret_cast<std::uintptr_t>(this));
    task_type created = std::invoke(std::forward<Fn>(fn), std::forward<Args>(args)...);
    detail::t_spawning = outer;
    if (!created.valid()) {
        error = frame_failure(index, frame_status_);
        return nullptr;
    }
    return created.release().address();
}

// Binds a new frame to its slot and starts it: queued, or run at once until it first suspends.
// A detached task has no handle from the start, so it frees its slot itself when it ends.
template <class T>
task_ref executor::admit(std::uint32_t index, void* frame_address, start how,
                         bool detached) noexcept {
    auto frame = std::coroutine_handle<promise<T>>::from_address(frame_address);
    frame.promise().bind(*this, index);
    task_slot& slot = slab_.at(index);
    HT_ASSERT(slot.state == task_state::free && !slot.queued);
    slot.frame = frame;
    slot.state = task_state::live;
    slot.has_handle = !detached;
    ++stats_.spawns;
    if (tasks_alive() > stats_.tasks_peak) stats_.tasks_peak = tasks_alive();
    record(trace_event::spawn, index);
    const task_ref ref{index, slot.generation, id_};
    if (how == start::eager && eager_depth_ < max_eager_depth)
        run_inline(index, slot);
    else
        enqueue(index, slot);
    return ref;
}

template <class Fn, class... Args>
task_ref executor::launch_inline(bool detached, spawn_error& error, Fn&& fn,
                                 Args&&... args) noexcept {
    using task_type = std::invoke_result_t<Fn, Args...>;
    static_assert(is_task<task_type>::value,
                  "spawn() takes a function returning hypertick::task<T>");
    // The task is promised a slot for if it suspends: counted from here by tasks_alive().
    const std::uint32_t alive = tasks_alive() + 1;
    if (alive > slab_.capacity()) {
        ++stats_.spawn_failed_slab_full;
        error = spawn_error::slab_full;
        return task_ref{};
    }
    if (alive > stats_.tasks_peak) stats_.tasks_peak = alive;
    const std::uintptr_t spawning = reinterpret_cast<std::uintptr_t>(this) |
                                    detail::spawning_inline |
                                    (detached ? detail::spawning_detached : 0);
    const std::uintptr_t outer_spawning = std::exchange(detail::t_spawning, spawning);
    const unslotted_entry entry = enter_unslotted();
    task_type created = std::invoke(std::forward<Fn>(fn), std::forward<Args>(args)...);
    detail::t_spawning = outer_spawning;
    const bool unslotted = leave_unslotted(entry);
    if (!created.valid()) {  // no frame: the task never ran
        error = inline_frame_failure(frame_status_);
        return task_ref{};
    }
    // Detached and never suspended, so never slotted: it ended, and its frame is gone.
    if (detached && unslotted) {
        (void)created.release();  // the frame is already back in its pool
        ++unslotted_completions_;
        return task_ref{};
    }
    auto frame = created.release();
    std::uint32_t index = frame.promise().task_index();
    if (index == invalid_task_index) index = adopt_unslotted(frame.promise(), frame, detached);
    const task_ref ref{index, slab_.at(index).generation, id_};
    settle_inline_start(index);
    return ref;
}

template <executor::start how, class Fn, class... Args>
auto executor::launch(Fn&& fn, Args&&... args) noexcept {
    using value_type = typename std::invoke_result_t<Fn, Args...>::value_type;
    std::uint32_t index = 0;
    spawn_error error = spawn_error::none;
    if constexpr (how == start::eager) {
        if (can_start_inline()) {
            const task_ref ref =
                launch_inline(false, error, std::forward<Fn>(fn), std::forward<Args>(args)...);
            if (!ref.valid()) return spawn_result<value_type>(error);
            return spawn_result<value_type>(join_handle<value_type>(*this, ref));
        }
    }
    void* frame = create(index, error, std::forward<Fn>(fn), std::forward<Args>(args)...);
    if (frame == nullptr) return spawn_result<value_type>(error);
    const task_ref ref = admit<value_type>(index, frame, how, false);
    return spawn_result<value_type>(join_handle<value_type>(*this, ref));
}

template <executor::start how, class Fn, class... Args>
spawn_error executor::launch_detached(Fn&& fn, Args&&... args) noexcept {
    using value_type = typename std::invoke_result_t<Fn, Args...>::value_type;
    std::uint32_t index = 0;
    spawn_error error = spawn_error::none;
    if constexpr (how == start::eager) {
        if (can_start_inline()) {
            (void)launch_inline(true, error, std::forward<Fn>(fn), std::forward<Args>(args)...);
            return error;
        }
    }
    void* frame = create(index, error, std::forward<Fn>(fn), std::forward<Args>(args)...);
    if (frame == nullptr) return error;
    (void)admit<value_type>(index, frame, how, true);
    return spawn_error::none;
}

template <class Fn, class... Args>
auto executor::spawn(Fn&& fn, Args&&... args) noexcept {
    return launch<start::queued>(std::forward<Fn>(fn), std::forward<Args>(args)...);
}

template <class Fn, class... Args>
spawn_error executor::spawn_detached(Fn&& fn, Args&&... args) noexcept {
    return launch_detached<start::queued>(std::forward<Fn>(fn), std::forward<Args>(args)...);
}

template <class Fn, class... Args>
auto executor::spawn_eager(Fn&& fn, Args&&... args) noexcept {
    return launch<start::eager>(std::forward<Fn>(fn), std::forward<Args>(args)...);
}

template <class Fn, class... Args>
spawn_error executor::spawn_eager_detached(Fn&& fn, Args&&... args) noexcept {
    return launch_detached<start::eager>(std::forward<Fn>(fn), std::forward<Args>(args)...);
}

}  // namespace hypertick
