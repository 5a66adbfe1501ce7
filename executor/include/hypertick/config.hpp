// Everything an executor will ever use is sized here, once, before it starts.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace hypertick {

// Coroutine frames are carved from size classes: `count` slots of `slot_bytes` each. A frame
// goes to the smallest class that fits and has a free slot (spilling to a larger class when a
// smaller one is exhausted). A frame larger than every class is refused at spawn.
struct frame_class {
    std::uint32_t slot_bytes = 0;
    std::uint32_t count = 0;
};

inline constexpr std::size_t max_frame_classes = 4;

struct executor_config {
    // Upper bound on tasks alive at once (spawned and not yet joined or dropped).
    std::uint32_t max_tasks = 1024;

    // Frame memory. Unused classes have count 0. The default holds max_tasks small frames and a
    // few large ones.
    std::array<frame_class, max_frame_classes> frame_classes = {
        frame_class{256, 1024}, frame_class{1024, 128}, frame_class{4096, 16}, frame_class{}};

    // Run-queue ring capacity in task ids. Rounded up to a power of two; 0 means "max_tasks".
    // It must be at least max_tasks: each task is queued at most once, so it can never overflow.
    std::uint32_t run_queue_capacity = 0;

    // Timers are intrusive (they live in the awaiting frame), so they need no pool; this caps
    // how many may be armed at once. Arming one more completes the wait at once with
    // timer_status::rejected and counts it.
    std::uint32_t max_armed_timers = 4096;

    // Granularity of the timing wheel. Deadlines round up to the next tick. A power of two turns
    // the per-turn nanoseconds-to-ticks division into a shift, hence 1024 ns rather than 1000.
    std::uint64_t timer_tick_ns = 1024;

    // Bytes reserved for channel ring buffers: each channel<T>(ex, capacity) takes capacity *
    // sizeof(T) of them when it is constructed (a channel is invalid once they run out).
    std::size_t channel_storage_bytes = 64 * 1024;

    // Busy-polled sources (e.g. a DPDK RX queue) run once per loop iteration.
    std::uint32_t max_pollers = 16;

    // Tasks polled per loop iteration at most before timers and pollers get their turn again.
    std::uint32_t poll_budget = 256;

    // Schedule trace records kept (0 disables the trace: nothing is recorded or hashed; when on,
    // the rolling hash covers every record, also those past a full buffer).
    std::uint32_t trace_capacity = 0;

    // A poll longer than this is counted as a stall and its task recorded (0 disables the
    // detector, which then costs nothing; enabled it costs one TSC read per poll).
    std::uint64_t stall_budget_ns = 0;

    // Non-zero: tasks that are ready in the same iteration run in an order shuffled by this
    // seed, to explore interleavings. The same seed replays the same order.
    std::uint64_t shuffle_seed = 0;

    // Optional memory to build in (e.g. hugepage memory from DPDK). When null the executor
    // allocates required_bytes() once, in its constructor.
    void* memory = nullptr;
    std::size_t memory_bytes = 0;
};

enum class init_error : std::uint8_t {
    none,
    zero_tasks,           // max_tasks is 0 or above 2^24 (the waker packs 24 index bits)
    run_queue_too_small,  // run_queue_capacity is below max_tasks
    no_frame_classes,     // every frame class is empty
    frame_class_order,    // classes must grow strictly by slot size, each a multiple of 16
    bad_timer_tick,       // timer_tick_ns is 0
    zero_poll_budget,     // poll_budget is 0
    memory_too_small,     // caller memory is below required_bytes()
    memory_misaligned,    // caller memory is not 64-byte aligned
    out_of_memory,        // the one start-up allocation failed
    too_many_executors,   // more than 255 executors alive in this process
};

const char* to_string(init_error e) noexcept;

}  // namespace hypertick
