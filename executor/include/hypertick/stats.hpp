// Executor statistics: plain counters, written only by the owning thread.
//
// The struct is cache-line aligned so a control thread that copies it (a torn read is acceptable
// for monitoring) never shares a line with the scheduler's other hot fields.
#pragma once

#include <cstdint>

namespace hypertick {

struct alignas(64) executor_stats {
    std::uint64_t loop_iterations = 0;
    // polls, and the wakes of yields the drain re-queues itself, are added when a drain ends.
    std::uint64_t polls = 0;            // coroutine resumptions
    std::uint64_t spurious_polls = 0;   // woken, but the awaited thing was not ready yet
    std::uint64_t wakes = 0;            // wakes that queued a task
    std::uint64_t wakes_redundant = 0;  // the task was already queued
    std::uint64_t wakes_stale = 0;      // the task had finished or its slot was reused
    std::uint64_t spawns = 0;
    std::uint64_t spawn_failed_slab_full = 0;
    std::uint64_t spawn_failed_frame_too_large = 0;
    std::uint64_t spawn_failed_frames_exhausted = 0;
    std::uint64_t completions = 0;
    std::uint64_t cancellations = 0;
    std::uint64_t timers_fired = 0;
    std::uint64_t timers_rejected = 0;  // arming beyond max_armed_timers
    std::uint64_t poller_runs = 0;
    std::uint64_t pollers_refused = 0;  // add_poller with every slot of max_pollers in use
    std::uint64_t clock_jumps = 0;      // virtual clock advanced to the next timer while idle
    std::uint32_t run_queue_peak = 0;   // deepest the run queue has been
    std::uint32_t tasks_peak = 0;       // most tasks alive at once
    std::uint32_t timers_armed_peak = 0;
    std::uint32_t stall_last_task = 0xFFFFFFFFu;  // slab index of the latest stalled poll
    std::uint64_t stalls = 0;                     // polls longer than the stall budget
    std::uint64_t stall_max_ns = 0;               // longest poll seen over budget
    std::uint64_t trace_dropped = 0;              // records past trace_capacity (still hashed)
};

}  // namespace hypertick
