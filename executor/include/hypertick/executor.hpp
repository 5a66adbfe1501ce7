// The executor: one per thread, never shared, never locked.
//
// One loop iteration ("turn"):
//   1. read the clock once; fire every timer that is due;
//   2. run every poller once (busy-polled sources such as a DPDK RX queue wake their tasks here);
//   3. resume up to `poll_budget` queued tasks, in queue order (or a seeded shuffle of it).
// The budget bounds a turn, so a task that keeps waking itself cannot starve timers or pollers.
//
// Memory: the constructor sizes everything from executor_config and takes it in one block (its
// own allocation or the caller's memory). From then on nothing in the executor allocates.
#pragma once

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "hypertick/clock.hpp"
#include "hypertick/config.hpp"
#include "hypertick/frame_pool.hpp"
#include "hypertick/run_queue.hpp"
#include "hypertick/stats.hpp"
#include "hypertick/task_ref.hpp"
#include "hypertick/task_slab.hpp"
#include "hypertick/timer_wheel.hpp"
#include "hypertick/trace.hpp"
#include "hypertick/waker.hpp"

namespace hypertick {

enum class spawn_error : std::uint8_t {
    none,
    slab_full,         // max_tasks tasks are alive
    frame_too_large,   // the coroutine frame is larger than the largest frame class
    frames_exhausted,  // every frame class that would fit is fully used
    not_ready,         // the executor failed to initialise
};
const char* to_string(spawn_error e) noexcept;

template <class T>
class spawn_result;

class executor;
class promise_base;

namespace detail {
// The vtable of every task waker (defined in executor.cpp).
extern const raw_waker_vtable task_waker_vtable;
// The completion flag of a task parked on a ready check (executor::park): never set, so the
// scheduler, finding it clear, asks the check.
inline constexpr bool never_set = false;
// Executors by the id packed in their wakers. Written at construction and destruction only.
extern executor* executor_registry[256];

// The spawn in progress on this thread, set by spawn() for the duration of one coroutine call
// so the promise's operator new knows which executor's pool to take the frame from: that
// executor's address with the tag bits below, or 0. Outside spawn() a task coroutine cannot
// allocate. One word rather than a context struct, so a spawn stores nothing but it.
// constinit: no dynamic initialisation, so no TLS wrapper call on access (with one, GCC 12's
// UBSan in an optimised program reports the access as through a null pointer).
extern constinit thread_local std::uintptr_t t_spawning;
// The new task starts at once, inside the coroutine call, without a slot
// (executor::launch_inline) ...
inline constexpr std::uintptr_t spawning_inline = 1;
// ... and with no join handle.
inline constexpr std::uintptr_t spawning_detached = 2;
inline constexpr std::uintptr_t spawning_tags = spawning_inline | spawning_detached;
}  // namespace detail

// A busy-polled source. Returns true when it did work (used only to tell "idle" from "busy").
using poller_fn = bool (*)(void* context) noexcept;

class executor {
  public:
    executor(const executor_config& config, clock_source& clock) noexcept;
    ~executor();
    executor(const executor&) = delete;
    executor& operator=(const executor&) = delete;

    // Checks a configuration without building anything.
    [[nodiscard]] static init_error validate(const executor_config& config) noexcept;
    // Bytes of the single block the executor needs for `config` (pass that much as `memory`).
    [[nodiscard]] static std::size_t required_bytes(const executor_config& config) noexcept;
    [[nodiscard]] init_error status() const noexcept { return status_; }

    // Creates a task from a coroutine function returning task<T>. The frame comes from the
    // frame pool; the task is queued to run. Failure is a value, never an exception.
    // Task functions must take their state by value or by reference to objects that outlive
    // the task: a lambda's captures are NOT part of the coroutine frame.
    template <class Fn, class... Args>
    [[nodiscard]] auto spawn(Fn&& fn, Args&&... args) noexcept;
    // As spawn(), dropping the join handle: the task runs on and cleans up after itself.
    template <class Fn, class... Args>
    spawn_error spawn_detached(Fn&& fn, Args&&... args) noexcept;
    // As spawn(), but the new task runs at once, inside this call, until it first suspends or
    // ends (Seastar starts its coroutines this way). That saves the run-queue round trip; the
    // price is order: its first step runs ahead of every task already queued (and outside
    // shuffle_seed's shuffle), and the caller goes on only once the new task suspends. From
    // inside a task the runs nest, at most max_eager_depth deep; deeper, the new task is queued
    // as spawn() does, so a chain of eager spawns cannot exhaust the stack. With the trace off
    // the task runs without a slot (one is reserved for it) until it first suspends; a detached
    // one that ends before that never touches the slab.
    template <class Fn, class... Args>
    [[nodiscard]] auto spawn_eager(Fn&& fn, Args&&... args) noexcept;
    template <class Fn, class... Args>
    spawn_error spawn_eager_detached(Fn&& fn, Args&&... args) noexcept;
    static constexpr std::uint32_t max_eager_depth = 8;

    // Runs until stop() or until nothing can ever happen again (no queued task, no poller, no
    // armed timer). With only timers left, a virtual clock jumps to the next deadline; a real
    // clock is busy-waited on, as a thread-per-core loop does.
    void run() noexcept;
    // Runs turns while there is work at the current time; never moves a virtual clock.
    // Returns the number of polls.
    std::uint64_t run_until_idle() noexcept;
    // Makes run() return at the end of the current turn. Callable from a task or a poller.
    void stop() noexcept { stop_requested_ = true; }

    // Destroys a live task's frame (running the destructors of its locals, which unhook every
    // pending wait), frees its frame, and makes its wakers inert. A task cannot cancel itself.
    bool cancel(task_ref task) noexcept;

    // Registers a poller; returns its id, or -1 when max_pollers are registered.
    int add_poller(poller_fn fn, void* context) noexcept;
    void remove_poller(int id) noexcept;

    // Enables the stall detector: polls longer than budget_ns are counted and their task noted.
    // The rate converts TSC ticks (read once per poll) to nanoseconds.
    void set_stall_budget(std::uint64_t budget_ns, double tsc_ticks_per_ns) noexcept;
    // Called after every poll with its duration in TSC ticks while the stall detector is on
    // (e.g. to record a poll-duration histogram). Must not allocate; null to remove.
    using poll_observer_fn = void (*)(void* context, std::uint32_t task_index,
                                      std::uint64_t ticks) noexcept;
    void set_poll_observer(poll_observer_fn fn, void* context) noexcept {
        poll_observer_ = fn;
        poll_observer_context_ = context;
    }

    // The clock as read at the start of the current turn (stable within a turn).
    [[nodiscard]] std::uint64_t now_ns() const noexcept { return now_ns_; }
    [[nodiscard]] clock_source& clock() noexcept { return clock_; }

    // A copy: the counters of spawns that ran inline to their end without a slot are kept as
    // one count and added here (each was a spawn, a poll and a completion).
    [[nodiscard]] executor_stats stats() const noexcept {
        executor_stats out = stats_;
        out.spawns += unslotted_completions_;
        out.polls += unslotted_completions_;
        out.completions += unslotted_completions_;
        return out;
    }
    [[nodiscard]] const trace_log& trace() const noexcept { return trace_; }
    // Tasks holding a slot, and tasks running inline without one yet (each has one promised).
    [[nodiscard]] std::uint32_t tasks_alive() const noexcept {
        return slab_.live() + eager_depth_ - slotted_depths_;
    }
    [[nodiscard]] std::uint32_t run_queue_depth() const noexcept { return queue_.size(); }
    [[nodiscard]] std::uint32_t timers_armed() const noexcept { return timers_.armed(); }
    [[nodiscard]] std::uint8_t id() const noexcept { return id_; }
    [[nodiscard]] const frame_pool& frames() const noexcept { return frames_; }
    // Slab index of the task being polled, or invalid_task_index outside a poll. A task that
    // spawn_eager is running without a slot takes its slot here.
    [[nodiscard]] std::uint32_t current_task() noexcept {
        if (current_ == running_unslotted) [[unlikely]]
            return slot_running_task();
        return current_;
    }
    [[nodiscard]] task_ref ref_of(std::uint32_t index) const noexcept {
        return task_ref{index, slab_.at(index).generation, id_};
    }

    // Reserves channel ring memory from channel_storage_bytes; nullptr when exhausted.
    [[nodiscard]] void* allocate_channel_storage(std::size_t bytes, std::size_t align) noexcept;
    [[nodiscard]] std::size_t channel_storage_left() const noexcept {
        return channel_bytes_ - channel_used_;
    }

    // ---- Used by awaitables and handles (hypertick/task.hpp, ops); not for applications. ----
    // These sit on the hot path, so they are inline: a waker built in place avoids a 16-byte
    // store-to-load round trip through the stack. make_waker, park and park_on_flag are always
    // inline, as op_awaiter::await_suspend is (hypertick/op.hpp): a call left here costs a
    // ping-pong round trip about half again. `index` is a slot this executor handed out (the
    // awaiting task's own): bounds checked in debug and sanitizer builds only, here and in
    // park and park_on_flag.
    [[nodiscard, gnu::always_inline]] waker make_waker(std::uint32_t index) noexcept {
        task_slot& slot = slab_.at_own(index);
        ++slot.waker_refs;
        return waker(raw_waker{pack_task_ref(task_ref{index, slot.generation, id_}),
                               &detail::task_waker_vtable});
    }
    // Queues a live task that is not queued yet; anything else is counted and ignored.
    void wake(task_ref task) noexcept {
        // The waker vtable found this executor by the id itself, so this holds by construction:
        // checked in debug builds only, it sits on the wake path's critical chain of loads.
        HT_DEBUG_ASSERT(task.executor_id == id_);
        task_slot& slot = slab_.at(task.index);
        if (slot.generation != task.generation) [[unlikely]] {
            ++stats_.wakes_stale;
            return;
        }
        wake_slot(task.index, slot);
    }
    // wake() then drop the waker's reference: the consuming wake, with one slot lookup.
    // Always inline, down to enqueue: wake_inline() (below) puts the whole wake into the
    // primitive that completes a wait (notify_one, a waiter list, the timer wheel).
    [[gnu::always_inline]] void wake_and_release(task_ref task) noexcept {
        HT_DEBUG_ASSERT(task.executor_id == id_);
        task_slot& slot = slab_.at(task.index);
        if (slot.generation != task.generation) [[unlikely]] {
            ++stats_.wakes_stale;  // its reference count was reset when the slot was freed
            return;
        }
        HT_ASSERT(slot.waker_refs > 0);
        --slot.waker_refs;
        wake_slot(task.index, slot);
    }
    // Queues the task in slot `index`, which is waiting on a node inside its own frame
    // (waiter_node::set_task): while the node is armed the task is alive in that slot, so no
    // generation is checked and no waker reference is dropped. Always inline, down to enqueue.
    [[gnu::always_inline]] void wake_waiting_task(std::uint32_t index) noexcept {
        wake_slot(index, slab_.at_own(index));
    }
    // The running task asks to go back to the tail of the queue once it has suspended
    // (yield_now needs no waker). The scheduler re-queues it as soon as the resume returns,
    // before anything else can run, with the slot it already holds: the yielding coroutine
    // itself touches neither the slab nor the ring.
    void requeue_current() noexcept { requeue_current_ = true; }
    [[gnu::always_inline]] void park(std::uint32_t index, ready_check_fn ready,
                                     void* awaiter) noexcept {
        task_slot& slot = slab_.at_own(index);
        slot.pending_ready = ready;
        slot.pending_awaiter = awaiter;
        slot.pending_flag = &detail::never_set;  // the drain tests this pointer alone first
    }
    // Parks on an op whose completion, once armed, is exactly `*done` becoming true: the
    // scheduler then reads the flag instead of calling back into the op.
    [[gnu::always_inline]] void park_on_flag(std::uint32_t index, const bool* done) noexcept {
        slab_.at_own(index).pending_flag = done;
    }
    // False (and `on_fire` woken at once) when max_armed_timers are armed.
    bool arm_timer(timer_entry& entry, std::uint64_t deadline_ns, waker on_fire) noexcept {
        if (timers_.armed() >= config_.max_armed_timers) {
            ++stats_.timers_rejected;
            std::move(on_fire).wake();
            return false;
        }
        // Round up: a timer never fires before its deadline.
        const std::uint64_t tick = tick_of(deadline_ns + config_.timer_tick_ns - 1);
        timers_.arm(entry, tick, std::move(on_fire));
        if (timers_.armed() > stats_.timers_armed_peak) stats_.timers_armed_peak = timers_.armed();
        return true;
    }
    void cancel_timer(timer_entry& entry) noexcept { timers_.cancel(entry); }
    [[nodiscard]] task_slot& slot(std::uint32_t index) noexcept { return slab_.at(index); }
    // A join_handle lets go of its task (the slot and generation of its ref): frees it if
    // finished, detaches it otherwise.
    void drop_handle(std::uint32_t index, std::uint32_t generation) noexcept;
    void on_waker_clone(task_ref task) noexcept {
        task_slot& slot = slab_.at(task.index);
        if (slot.generation == task.generation) ++slot.waker_refs;
    }
    void on_waker_drop(task_ref task) noexcept {
        task_slot& slot = slab_.at(task.index);
        if (slot.generation != task.generation) return;  // stale: reset when the slot was freed
        HT_ASSERT(slot.waker_refs > 0);
        --slot.waker_refs;
    }
    static executor* from_id(std::uint8_t id) noexcept { return detail::executor_registry[id]; }
    // The executor a t_spawning word names.
    static executor& spawning(std::uintptr_t word) noexcept {
        return *reinterpret_cast<executor*>(word & ~detail::spawning_tags);
    }
    // A new coroutine's frame, for the promise's operator new: nullptr when none fits.
    [[nodiscard]] void* allocate_frame(std::size_t size) noexcept {
        return frames_.allocate(size, frame_status_);
    }
    // A task started by launch_inline begins its run: it is the running task, still unslotted.
    void begin_unslotted(promise_base& promise, std::coroutine_handle<> frame) noexcept {
        HT_DEBUG_ASSERT(current_ == running_unslotted && eager_depth_ > 0);
        unslotted_[eager_depth_ - 1] = unslotted_run{&promise, frame};
    }
    // The running unslotted task is about to suspend, or asks for its index: it takes the slot
    // its spawn reserved. Returns the index.
    std::uint32_t slot_running_task() noexcept;

  private:
    struct poller {
        poller_fn fn;
        void* context;
    };

    [[gnu::always_inline]] void wake_slot(std::uint32_t index, task_slot& slot) noexcept {
        if (slot.state != task_state::live) [[unlikely]] {
            ++stats_.wakes_stale;  // finished or cancelled: nothing to run
            return;
        }
        if (slot.queued) {
            ++stats_.wakes_redundant;
            return;
        }
        enqueue(index, slot);
    }
    // Resumes a task's coroutine until it next suspends or ends, then honours a yield.
    // `traced` false: the caller knows the trace is off, so the re-queue records nothing.
    template <bool traced = true>
    void resume(std::uint32_t index, task_slot& slot) noexcept {
        slot.running = true;
        slot.frame.resume();
        slot.running = false;
        if (requeue_current_) {
            requeue_current_ = false;
            HT_DEBUG_ASSERT(slot.state == task_state::live);  // it suspended, so it is alive
            if (!slot.queued) enqueue<traced>(index, slot);
        }
    }
    template <bool traced = true>
    [[gnu::always_inline]] void enqueue(std::uint32_t index, task_slot& slot) noexcept {
        slot.queued = true;
        const std::uint32_t depth = queue_.push(index);
        ++stats_.wakes;
        if (depth > stats_.run_queue_peak) stats_.run_queue_peak = depth;
        if constexpr (traced) record(trace_event::wake, index);
    }
    [[nodiscard]] std::uint64_t tick_of(std::uint64_t ns) const noexcept {
        return tick_shift_ >= 0 ? ns >> tick_shift_ : ns / config_.timer_tick_ns;
    }
    enum class start : std::uint8_t { queued, eager };
    // current_ while the running task is one spawn_eager started without a slot.
    static constexpr std::uint32_t running_unslotted = invalid_task_index - 1;
    // An inline start in progress, one per eager depth: its promise until it takes a slot.
    struct unslotted_run {
        promise_base* promise;
        std::coroutine_handle<> frame;
    };
    template <start how, class Fn, class... Args>
    auto launch(Fn&& fn, Args&&... args) noexcept;
    template <start how, class Fn, class... Args>
    spawn_error launch_detached(Fn&& fn, Args&&... args) noexcept;
    template <class Fn, class... Args>
    void* create(std::uint32_t& index, spawn_error& error, Fn&& fn, Args&&... args) noexcept;
    // spawn_eager without a trace: the task runs inside the coroutine call and takes a slot
    // only if it suspends (or needs one to hold its result). Returns its ref, or an invalid ref
    // when it ended without a slot (or failed to spawn: `error` says why).
    template <class Fn, class... Args>
    task_ref launch_inline(bool detached, spawn_error& error, Fn&& fn, Args&&... args) noexcept;
    // One compare: inline_depth_limit_ is 0 unless the executor initialised without a trace.
    [[nodiscard]] bool can_start_inline() const noexcept {
        return eager_depth_ < inline_depth_limit_;
    }
    // What an inline start changed, for leave_unslotted to put back. Kept by the caller, in
    // registers across the coroutine call, rather than read back from the executor.
    struct unslotted_entry {
        std::uint32_t outer_current;  // the caller's running task
        std::uint32_t outer_depth;    // eager depth outside this start
    };
    unslotted_entry enter_unslotted() noexcept {
        const std::uint32_t depth = eager_depth_;
        eager_depth_ = depth + 1;
        return {std::exchange(current_, running_unslotted), depth};
    }
    // True when the inline start that is ending never took a slot (taking one made the task
    // the running one by its index).
    [[nodiscard]] bool leave_unslotted(unslotted_entry entry) noexcept {
        HT_DEBUG_ASSERT(eager_depth_ == entry.outer_depth + 1);
        const bool unslotted = current_ == running_unslotted;
        if (!unslotted) --slotted_depths_;
        eager_depth_ = entry.outer_depth;
        current_ = entry.outer_current;
        return unslotted;
    }
    // Gives an unslotted task the slot its spawn promised.
    std::uint32_t adopt_unslotted(promise_base& promise, std::coroutine_handle<> frame,
                                  bool detached) noexcept;
    // After an inline start that took a slot: the poll's bookkeeping, a yield, a completion.
    void settle_inline_start(std::uint32_t index) noexcept;
    // An inline start whose frame could not be allocated: counts the failure.
    spawn_error inline_frame_failure(frame_alloc_status status) noexcept;
    // Runs a just-spawned task until it first suspends or ends (spawn_eager).
    void run_inline(std::uint32_t index, task_slot& slot) noexcept;
    bool turn() noexcept;
    std::uint32_t drain(std::uint32_t budget) noexcept;
    // The drain's loop, `observed` when the trace or the stall detector is on: without either,
    // a poll checks neither.
    template <bool observed>
    std::uint32_t drain_queue(std::uint32_t budget) noexcept;
    [[nodiscard]] task_slot* take_entry(std::uint32_t index) noexcept;
    // A drain's own counters, added to the statistics once, when it ends.
    struct drain_counts {
        std::uint32_t polls_left;
        std::uint32_t requeues;  // yields the unobserved poll re-queued (wakes)
    };
    template <bool observed>
    bool poll(std::uint32_t& index, task_slot& slot, drain_counts& counts) noexcept;
    void account_poll_time(std::uint32_t index) noexcept;
    void complete(std::uint32_t index, task_slot& slot) noexcept;
    void release(std::uint32_t index, task_slot& slot) noexcept;
    void shuffle_ready() noexcept;
    void record(trace_event event, std::uint32_t index) noexcept {
        if (trace_.enabled()) record_slow(event, index);
    }
    void record_slow(trace_event event, std::uint32_t index) noexcept;
    template <class T>
    task_ref admit(std::uint32_t index, void* frame_address, start how, bool detached) noexcept;
    spawn_error frame_failure(std::uint32_t index, frame_alloc_status status) noexcept;
    spawn_error count_frame_failure(frame_alloc_status status) noexcept;

    init_error status_ = init_error::none;
    clock_source& clock_;
    executor_config config_;
    std::byte* memory_ = nullptr;
    bool owns_memory_ = false;
    std::uint8_t id_ = 0;
    bool registered_ = false;

    task_slab slab_;
    run_queue queue_;
    frame_pool frames_;
    timer_wheel timers_;
    trace_log trace_;
    poller* pollers_ = nullptr;
    std::uint32_t poller_count_ = 0;  // high-water mark of used poller slots
    std::uint32_t pollers_active_ = 0;
    std::byte* channel_memory_ = nullptr;
    std::size_t channel_bytes_ = 0;
    std::size_t channel_used_ = 0;

    int tick_shift_ = -1;  // log2(timer_tick_ns) when it is a power of two
    std::uint64_t now_ns_ = 0;
    std::uint32_t current_ = invalid_task_index;
    std::uint32_t eager_depth_ = 0;  // eager runs in progress, nested inside one another
    // Of those runs, the ones whose task holds a slot. Each of the others has a slot promised,
    // counted by tasks_alive() rather than taken from the slab, so an inline start that ends
    // without suspending stores nothing for its promise.
    std::uint32_t slotted_depths_ = 0;
    // The eager depth up to which a task may start inline without a slot: max_eager_depth once
    // the executor is ready with the trace off, else 0 (set last in the constructor).
    std::uint32_t inline_depth_limit_ = 0;
    unslotted_run unslotted_[max_eager_depth] = {};  // by eager depth: inline starts running
    // Spawns that ran inline from their start to their end without a slot (see stats()).
    std::uint64_t unslotted_completions_ = 0;
    // Why the last frame allocation failed; written only by a failure, read only right after
    // one (no task body ran in between, so no nested spawn can have overwritten it).
    frame_alloc_status frame_status_ = frame_alloc_status::no_pool;
    bool stop_requested_ = false;
    bool requeue_current_ = false;  // the task being resumed yielded (requeue_current)
    std::uint64_t shuffle_state_ = 0;
    std::uint64_t stall_budget_ticks_ = 0;
    double stall_ticks_per_ns_ = 1.0;
    std::uint64_t last_tsc_ = 0;
    poll_observer_fn poll_observer_ = nullptr;
    void* poll_observer_context_ = nullptr;

    executor_stats stats_;
};

// t_spawning keeps its tags in the low bits of an executor's address.
static_assert(alignof(executor) > detail::spawning_tags);

// Wakes the task behind `w` and consumes `w`, as std::move(w).wake() does. A waker of an
// executor task is woken here, inline, with no call through its vtable: the primitives that
// complete waits (notify, waiter lists, the timer wheel) wake through this. Any other waker
// goes through its vtable.
[[gnu::always_inline]] inline void wake_inline(waker&& w) noexcept {
    const raw_waker raw = std::move(w).release();
    if (raw.vtable == &detail::task_waker_vtable) [[likely]] {
        const task_ref ref = unpack_task_ref(raw.data);
        if (executor* ex = executor::from_id(ref.executor_id)) ex->wake_and_release(ref);
    } else if (raw.vtable != nullptr) {
        raw.vtable->wake(raw.data);
    }
}

}  // namespace hypertick
