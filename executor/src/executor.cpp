#include "hypertick/executor.hpp"

#include "hypertick/task.hpp"

#include <array>
#include <bit>
#include <mutex>
#include <new>

namespace hypertick {

namespace detail {
constinit thread_local std::uintptr_t t_spawning = 0;
executor* executor_registry[256] = {};
}  // namespace detail

namespace {

// Executors are found from a waker's packed id through detail::executor_registry. Entries are
// written only when an executor is constructed or destroyed (start-up and shut-down, under this
// mutex); wakes read the entry of their own executor, which its thread wrote before it ran.

std::mutex g_registry_mutex;

constexpr std::size_t align_up(std::size_t n, std::size_t a) {
    return (n + a - 1) & ~(a - 1);
}
constexpr std::size_t block_align = 64;

std::uint32_t round_up_pow2(std::uint32_t n) {
    std::uint32_t p = 1;
    while (p < n) p <<= 1;
    return p;
}

std::uint32_t queue_capacity(const executor_config& c) {
    return round_up_pow2(c.run_queue_capacity == 0 ? c.max_tasks : c.run_queue_capacity);
}

struct layout {
    std::size_t slots = 0, queue = 0, frames = 0, channels = 0, trace = 0, pollers = 0, total = 0;
};

layout plan(const executor_config& c) {
    layout l;
    std::size_t at = 0;
    auto take = [&at](std::size_t bytes) {
        const std::size_t offset = at;
        at = align_up(at + bytes, block_align);
        return offset;
    };
    l.slots = take(sizeof(task_slot) * c.max_tasks);
    l.queue = take(sizeof(std::uint32_t) * queue_capacity(c));
    l.frames = take(frame_pool::required_bytes(c.frame_classes));
    l.channels = take(c.channel_storage_bytes);
    l.trace = take(sizeof(trace_record) * c.trace_capacity);
    l.pollers = take(sizeof(void*) * 2 * c.max_pollers);
    l.total = at;
    return l;
}

// ---- The task waker vtable: data is a packed task_ref (see task_ref.hpp). ----

raw_waker task_waker_clone(const void* data) noexcept;
void task_waker_wake(const void* data) noexcept;
void task_waker_wake_by_ref(const void* data) noexcept;
void task_waker_drop(const void* data) noexcept;

raw_waker task_waker_clone(const void* data) noexcept {
    const task_ref ref = unpack_task_ref(data);
    if (executor* ex = executor::from_id(ref.executor_id)) ex->on_waker_clone(ref);
    return raw_waker{data, &detail::task_waker_vtable};
}
void task_waker_wake_by_ref(const void* data) noexcept {
    const task_ref ref = unpack_task_ref(data);
    if (executor* ex = executor::from_id(ref.executor_id)) ex->wake(ref);
}
void task_waker_drop(const void* data) noexcept {
    const task_ref ref = unpack_task_ref(data);
    if (executor* ex = executor::from_id(ref.executor_id)) ex->on_waker_drop(ref);
}
void task_waker_wake(const void* data) noexcept {
    const task_ref ref = unpack_task_ref(data);
    if (executor* ex = executor::from_id(ref.executor_id)) ex->wake_and_release(ref);
}

}  // namespace

namespace detail {
const raw_waker_vtable task_waker_vtable{task_waker_clone, task_waker_wake, task_waker_wake_by_ref,
                                         task_waker_drop};
}  // namespace detail

namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

const char* to_string(init_error e) noexcept {
    switch (e) {
        case init_error::none:
            return "none";
        case init_error::zero_tasks:
            return "max_tasks must be between 1 and 2^24";
        case init_error::run_queue_too_small:
            return "run_queue_capacity is below max_tasks";
        case init_error::no_frame_classes:
            return "every frame class is empty";
        case init_error::frame_class_order:
            return "frame classes must grow by slot size, each a multiple of 16 above 16";
        case init_error::bad_timer_tick:
            return "timer_tick_ns must be at least 1";
        case init_error::zero_poll_budget:
            return "poll_budget must be at least 1";
        case init_error::memory_too_small:
            return "memory_bytes is below required_bytes()";
        case init_error::memory_misaligned:
            return "memory is not 64-byte aligned";
        case init_error::out_of_memory:
            return "the start-up allocation failed";
        case init_error::too_many_executors:
            return "256 executors are alive in this process";
    }
    return "unknown";
}

const char* to_string(spawn_error e) noexcept {
    switch (e) {
        case spawn_error::none:
            return "none";
        case spawn_error::slab_full:
            return "task slab full";
        case spawn_error::frame_too_large:
            return "coroutine frame larger than every frame class";
        case spawn_error::frames_exhausted:
            return "no free frame slot large enough";
        case spawn_error::not_ready:
            return "executor not initialised";
    }
    return "unknown";
}

const char* to_string(trace_event e) noexcept {
    switch (e) {
        case trace_event::spawn:
            return "spawn";
        case trace_event::poll:
            return "poll";
        case trace_event::complete:
            return "complete";
        case trace_event::cancel:
            return "cancel";
        case trace_event::wake:
            return "wake";
        case trace_event::timer_fire:
            return "timer_fire";
    }
    return "unknown";
}

init_error executor::validate(const executor_config& c) noexcept {
    if (c.max_tasks == 0 || c.max_tasks > max_task_index + 1) return init_error::zero_tasks;
    if (c.run_queue_capacity != 0 && c.run_queue_capacity < c.max_tasks)
        return init_error::run_queue_too_small;
    std::uint32_t previous = 0;
    bool any = false;
    for (const frame_class& fc : c.frame_classes) {
        if (fc.count == 0) continue;
        if (fc.slot_bytes <= frame_pool::header_bytes || fc.slot_bytes % 16 != 0 ||
            fc.slot_bytes <= previous)
            return init_error::frame_class_order;
        previous = fc.slot_bytes;
        any = true;
    }
    if (!any) return init_error::no_frame_classes;
    if (c.timer_tick_ns == 0) return init_error::bad_timer_tick;
    if (c.poll_budget == 0) return init_error::zero_poll_budget;
    if (c.memory != nullptr) {
        if (c.memory_bytes < required_bytes(c)) return init_error::memory_too_small;
        if (reinterpret_cast<std::uintptr_t>(c.memory) % block_align != 0)
            return init_error::memory_misaligned;
    }
    return init_error::none;
}

std::size_t executor::required_bytes(const executor_config& config) noexcept {
    return plan(config).total;
}

executor::executor(const executor_config& config, clock_source& clock) noexcept
    : clock_(clock), config_(config) {
    status_ = validate(config);
    if (status_ != init_error::none) return;

    const layout l = plan(config);
    if (config.memory != nullptr) {
        memory_ = static_cast<std::byte*>(config.memory);
    } else {
        memory_ = static_cast<std::byte*>(
            ::operator new (l.total, std::align_val_t{block_align}, std::nothrow));
        if (memory_ == nullptr) {
            status_ = init_error::out_of_memory;
            return;
        }
        owns_memory_ = true;
    }
    {
        std::lock_guard<std::mutex> lock(g_registry_mutex);
        for (std::size_t i = 0; i < std::size(detail::executor_registry); ++i) {
            if (detail::executor_registry[i] == nullptr) {
                detail::executor_registry[i] = this;
                id_ = static_cast<std::uint8_t>(i);
                registered_ = true;
                break;
            }
        }
    }
    if (!registered_) {
        status_ = init_error::too_many_executors;
        return;
    }

    slab_.init(reinterpret_cast<task_slot*>(memory_ + l.slots), config.max_tasks);
    queue_.init(reinterpret_cast<std::uint32_t*>(memory_ + l.queue), queue_capacity(config));
    HT_ASSERT(queue_.capacity() >= slab_.capacity());  // the run queue can never overflow
    frames_.init(config.frame_classes, memory_ + l.frames);
    channel_memory_ = memory_ + l.channels;
    channel_bytes_ = config.channel_storage_bytes;
    trace_.init(reinterpret_cast<trace_record*>(memory_ + l.trace), config.trace_capacity);
    pollers_ = reinterpret_cast<poller*>(memory_ + l.pollers);
    shuffle_state_ = config.shuffle_seed;
    if ((config.timer_tick_ns & (config.timer_tick_ns - 1)) == 0)
        tick_shift_ = std::countr_zero(config.timer_tick_ns);
    now_ns_ = clock_.now_ns();
    timers_.advance(tick_of(now_ns_));
    // Ready, and no trace to name a slot in every record: spawn_eager may run tasks unslotted.
    if (!trace_.enabled()) inline_depth_limit_ = max_eager_depth;
}

executor::~executor() {
    if (registered_) {
        // Destroy every frame still held: their destructors unhook timers and waiters.
        for (std::uint32_t i = 0; i < slab_.capacity(); ++i) {
            task_slot& slot = slab_.at(i);
            if (slot.frame) {
                slot.frame.destroy();
                slot.frame = nullptr;
            }
            slot.join_waiter.reset();
        }
        slab_.destroy();
        std::lock_guard<std::mutex> lock(g_registry_mutex);
        detail::executor_registry[id_] = nullptr;
    }
    if (owns_memory_) ::operator delete (memory_, std::align_val_t{block_align});
}

void* executor::allocate_channel_storage(std::size_t bytes, std::size_t align) noexcept {
    const std::size_t offset = align_up(channel_used_, align);
    if (offset + bytes > channel_bytes_) return nullptr;
    channel_used_ = offset + bytes;
    return channel_memory_ + offset;
}

int executor::add_poller(poller_fn fn, void* context) noexcept {
    HT_ASSERT(fn != nullptr);
    for (std::uint32_t i = 0; i < config_.max_pollers; ++i) {
        if (i < poller_count_ && pollers_[i].fn != nullptr) continue;
        pollers_[i] = poller{fn, context};
        if (i >= poller_count_) poller_count_ = i + 1;
        ++pollers_active_;
        return static_cast<int>(i);
    }
    ++stats_.pollers_refused;
    return -1;
}

void executor::remove_poller(int id) noexcept {
    HT_ASSERT(id >= 0 && static_cast<std::uint32_t>(id) < poller_count_);
    HT_ASSERT(pollers_[id].fn != nullptr);
    pollers_[id].fn = nullptr;  // a slot, not a compaction: safe while pollers are running
    --pollers_active_;
}

void executor::set_stall_budget(std::uint64_t budget_ns, double tsc_ticks_per_ns) noexcept {
    HT_ASSERT(tsc_ticks_per_ns > 0);
    stall_ticks_per_ns_ = tsc_ticks_per_ns;
    stall_budget_ticks_ =
        static_cast<std::uint64_t>(static_cast<double>(budget_ns) * tsc_ticks_per_ns);
}

void executor::record_slow(trace_event event, std::uint32_t index) noexcept {
    const trace_record r{now_ns_, index, static_cast<std::uint16_t>(slab_.at(index).generation),
                         event, 0};
    if (!trace_.append(r)) ++stats_.trace_dropped;
}

bool executor::cancel(task_ref task) noexcept {
    if (status_ != init_error::none || task.executor_id != id_) return false;
    task_slot& slot = slab_.at(task.index);
    if (slot.generation != task.generation || slot.state != task_state::live) return false;
    // A running frame cannot be destroyed: the polled task itself, or a task whose eager spawn
    // of the caller has not returned yet.
    if (slot.running) return false;
    // Destroying the frame runs its locals' destructors: pending ops disarm themselves.
    slot.frame.destroy();
    slot.frame = nullptr;
    slot.pending_ready = nullptr;
    slot.pending_awaiter = nullptr;
    slot.pending_flag = &detail::never_set;  // left queued, it is told apart by this (take_entry)
    slot.state = task_state::cancelled;
    ++stats_.cancellations;
    record(trace_event::cancel, task.index);
    std::move(slot.join_waiter).wake();
    if (!slot.has_handle) release(task.index, slot);
    return true;
}

void executor::drop_handle(std::uint32_t index, std::uint32_t generation) noexcept {
    task_slot& slot = slab_.at(index);
    HT_ASSERT(slot.generation == generation && slot.has_handle);
    slot.has_handle = false;
    slot.join_waiter.reset();
    if (slot.state == task_state::completed || slot.state == task_state::cancelled)
        release(index, slot);
}

inline void executor::release(std::uint32_t index, task_slot& slot) noexcept {
    if (slot.frame) {
        slot.frame.destroy();
        slot.frame = nullptr;
    }
    if (slot.queued) {
        // Freed when the scheduler pops its queue entry; meanwhile wake() sees a non-live state
        // and ignores every waker.
        slot.state = task_state::zombie;
        return;
    }
    slab_.release(index);
}

// Inline into both resume sites (the drain's poll and the eager run): a task that ends in the
// poll that resumed it is the spawn-and-complete path.
inline void executor::complete(std::uint32_t index, task_slot& slot) noexcept {
    slot.state = task_state::completed;
    slot.pending_flag = &detail::never_set;  // left queued, it is told apart by this (take_entry)
    ++stats_.completions;
    record(trace_event::complete, index);
    std::move(slot.join_waiter).wake();
    if (!slot.has_handle) release(index, slot);
}

void executor::run_inline(std::uint32_t index, task_slot& slot) noexcept {
    const std::uint32_t outer = std::exchange(current_, index);
    ++eager_depth_;
    ++slotted_depths_;  // the task came with its slot
    record(trace_event::poll, index);
    resume(index, slot);
    --slotted_depths_;
    --eager_depth_;
    current_ = outer;
    ++stats_.polls;
    if (slot.frame.done()) complete(index, slot);
}

// Chained timestamps: one TSC read per poll measures this poll (plus a few ns of scheduling)
// instead of two. Out of line: the stall detector is off on the common path.
[[gnu::noinline, gnu::cold]] void executor::account_poll_time(std::uint32_t index) noexcept {
    const std::uint64_t now_tsc = read_tsc();
    const std::uint64_t took = now_tsc - last_tsc_;
    last_tsc_ = now_tsc;
    if (poll_observer_ != nullptr) poll_observer_(poll_observer_context_, index, took);
    if (took > stall_budget_ticks_) {
        ++stats_.stalls;
        stats_.stall_last_task = index;
        const auto took_ns =
            static_cast<std::uint64_t>(static_cast<double>(took) / stall_ticks_per_ns_);
        if (took_ns > stats_.stall_max_ns) stats_.stall_max_ns = took_ns;
    }
}

// One poll, taken from `counts.polls_left`. Observed (trace or stall detector on), one resume.
// Unobserved, a task that yields while nothing else is queued is resumed again at once, while
// polls are left: its re-queue would have made it the next entry popped, so the order, the
// counts and the budget are those of the trip through the ring, which it skips. A task that
// yields while others are queued, with polls left, is re-queued and the next entry popped in
// one step (run_queue::push_pop): then the next entry's index is in `index` and this returns
// true, and the drain goes on with it without testing the queue again.
template <bool observed>
inline bool executor::poll(std::uint32_t& index, task_slot& slot, drain_counts& counts) noexcept {
    current_ = index;
    --counts.polls_left;
    if constexpr (observed) {
        record(trace_event::poll, index);
        resume<true>(index, slot);
    } else {
        for (;;) {
            slot.running = true;
            slot.frame.resume();
            slot.running = false;
            if (!requeue_current_) break;
            requeue_current_ = false;
            // It yielded, so it suspended: alive, and not done (no completion check).
            HT_DEBUG_ASSERT(slot.state == task_state::live && !slot.frame.done());
            if (!slot.queued) {  // else woken during its poll: queued already
                if (counts.polls_left != 0) {
                    ++counts.requeues;
                    if (queue_.empty()) {  // queued and popped at once
                        --counts.polls_left;
                        continue;
                    }
                    slot.queued = true;
                    std::uint32_t depth = 0;
                    index = queue_.push_pop(index, depth);
                    if (depth > stats_.run_queue_peak) stats_.run_queue_peak = depth;
                    return true;  // current_ names the task just polled until the next poll
                }
                enqueue<false>(index, slot);
            }
            current_ = invalid_task_index;
            return false;
        }
    }
    current_ = invalid_task_index;
    if constexpr (observed) {
        if (stall_budget_ticks_ != 0) account_poll_time(index);
    }
    if (slot.frame.done()) complete(index, slot);
    return false;
}

// Clears a popped entry's queued flag. Returns its slot when its task is due a poll, null when
// not: a zombie (freed here), a task that ended or was cancelled while queued, or one parked
// on an op that is not ready yet (it stays parked, still armed).
inline task_slot* executor::take_entry(std::uint32_t index) noexcept {
    // Only enqueue() pushes, with a slot it holds, and marks the slot; the pop clears it.
    task_slot& slot = slab_.at_own(index);
    HT_DEBUG_ASSERT(slot.queued);
    slot.queued = false;
    // One test tells a task due a poll (queued by a yield, a spawn or a wake of its own) from
    // the rest: a task parked on an op, and a task no longer live (completed and cancelled
    // tasks, and so zombies, point the flag at never_set too).
    if (slot.pending_flag == nullptr) {
        HT_DEBUG_ASSERT(slot.state == task_state::live);
        return &slot;
    }
    if (slot.state != task_state::live) {
        if (slot.state == task_state::zombie) slab_.release(index);
        return nullptr;
    }
    // Parked on an op.
    if (!*slot.pending_flag) {
        // Not set: woken early, or parked on a ready check (its flag is never set).
        current_ = invalid_task_index;  // the check runs outside any poll
        if (slot.pending_ready == nullptr || !slot.pending_ready(slot.pending_awaiter)) {
            ++stats_.spurious_polls;
            return nullptr;
        }
        slot.pending_ready = nullptr;
        slot.pending_awaiter = nullptr;
    }
    slot.pending_flag = nullptr;
    return &slot;
}

void executor::shuffle_ready() noexcept {
    const std::uint32_t n = queue_.size();
    for (std::uint32_t i = n; i > 1; --i) {
        const auto j = static_cast<std::uint32_t>(splitmix64(shuffle_state_) % i);
        std::swap(queue_.at(i - 1), queue_.at(j));
    }
}

std::uint32_t executor::drain(std::uint32_t budget) noexcept {
    if (config_.shuffle_seed != 0) shuffle_ready();
    if (trace_.enabled() || stall_budget_ticks_ != 0) [[unlikely]]
        return drain_queue<true>(budget);
    return drain_queue<false>(budget);
}

// The poll count, and the count of yields re-queued by the unobserved poll, are added once at
// the end: they are counted per drain, not per poll.
template <bool observed>
std::uint32_t executor::drain_queue(std::uint32_t budget) noexcept {
    if constexpr (observed) {
        if (stall_budget_ticks_ != 0) last_tsc_ = read_tsc();
    }
    drain_counts counts{budget, 0};
    while (counts.polls_left != 0 && !queue_.empty()) {
        std::uint32_t index = queue_.pop();
        // A poll that popped the next entry itself (a yield through the ring) hands it back.
        for (;;) {
            task_slot* const slot = take_entry(index);
            if (slot == nullptr || !poll<observed>(index, *slot, counts)) break;
        }
    }
    current_ = invalid_task_index;
    const std::uint32_t polled = budget - counts.polls_left;
    stats_.polls += polled;
    stats_.wakes += counts.requeues;
    return polled;
}

bool executor::turn() noexcept {
    ++stats_.loop_iterations;
    now_ns_ = clock_.now_ns();
    bool progressed = false;
    if (timers_.armed() != 0) {
        const std::uint32_t fired = timers_.advance(tick_of(now_ns_));
        stats_.timers_fired += fired;
        progressed = fired != 0;
    }
    for (std::uint32_t i = 0; i < poller_count_; ++i) {
        const poller p = pollers_[i];
        if (p.fn == nullptr) continue;
        ++stats_.poller_runs;
        progressed |= p.fn(p.context);
    }
    return drain(config_.poll_budget) != 0 || progressed;
}

void executor::run() noexcept {
    HT_ASSERT(status_ == init_error::none);
    stop_requested_ = false;
    while (!stop_requested_) {
        if (turn() || !queue_.empty() || pollers_active_ != 0) continue;
        if (timers_.armed() == 0) break;  // nothing can ever happen again
        if (clock_.can_jump()) {
            // Simulated time: skip straight to the next thing that can happen.
            const std::uint64_t tick = timers_.next_event_tick();
            clock_.jump_to(tick * config_.timer_tick_ns);
            ++stats_.clock_jumps;
        }
    }
}

std::uint64_t executor::run_until_idle() noexcept {
    HT_ASSERT(status_ == init_error::none);
    const std::uint64_t polls_before = stats_.polls + unslotted_completions_;
    stop_requested_ = false;
    while (!stop_requested_ && (turn() || !queue_.empty())) {
    }
    return stats_.polls + unslotted_completions_ - polls_before;
}

std::uint32_t executor::adopt_unslotted(promise_base& promise, std::coroutine_handle<> frame,
                                        bool detached) noexcept {
    std::uint32_t index = invalid_task_index;
    [[maybe_unused]] const bool took = slab_.acquire(index);
    HT_ASSERT(took);  // tasks_alive() counted this slot since the inline start began
    task_slot& slot = slab_.at(index);
    slot.frame = frame;
    slot.state = task_state::live;
    slot.has_handle = !detached;
    slot.running = true;  // its inline start has not returned yet
    promise.bind(*this, index);
    return index;
}

std::uint32_t executor::slot_running_task() noexcept {
    HT_ASSERT(current_ == running_unslotted && eager_depth_ > 0);
    unslotted_run& run = unslotted_[eager_depth_ - 1];
    HT_ASSERT(run.promise != nullptr);
    promise_base& promise = *std::exchange(run.promise, nullptr);
    current_ = adopt_unslotted(promise, run.frame, promise.detached());
    ++slotted_depths_;  // leave_unslotted takes it back off
    return current_;
}

void executor::settle_inline_start(std::uint32_t index) noexcept {
    task_slot& slot = slab_.at(index);
    HT_ASSERT(slot.running && slot.state == task_state::live);
    slot.running = false;
    ++stats_.spawns;
    ++stats_.polls;
    if (requeue_current_) {
        requeue_current_ = false;
        if (!slot.queued) enqueue(index, slot);
    }
    if (slot.frame.done()) complete(index, slot);
}

spawn_error executor::inline_frame_failure(frame_alloc_status status) noexcept {
    return count_frame_failure(status);
}

spawn_error executor::count_frame_failure(frame_alloc_status status) noexcept {
    if (status == frame_alloc_status::too_large) {
        ++stats_.spawn_failed_frame_too_large;
        return spawn_error::frame_too_large;
    }
    ++stats_.spawn_failed_frames_exhausted;
    return spawn_error::frames_exhausted;
}

spawn_error executor::frame_failure(std::uint32_t index, frame_alloc_status status) noexcept {
    slab_.release(index);
    return count_frame_failure(status);
}

}  // namespace hypertick
