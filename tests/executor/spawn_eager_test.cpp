// spawn_eager: the new task runs inside the spawn call until it first suspends or ends.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "test_support.hpp"

namespace ht = hypertick;
using namespace std::chrono_literals;
using ht::test::small_config;

namespace {

ht::task<void> note_then_yield(std::vector<int>& out, int id) {
    out.push_back(id);
    co_await ht::yield_now();
    out.push_back(id + 100);
}

ht::task<int> answer_at_once() {
    co_return 42;
}

ht::task<void> sleep_then_note(std::vector<int>& out, int id) {
    out.push_back(id);
    co_await ht::sleep_for(5us);
    out.push_back(id + 100);
}

// Spawns one eagerly from inside a task: the child's first step runs before the parent goes on.
ht::task<void> parent_of_eager(ht::executor& ex, std::vector<int>& out) {
    out.push_back(1);
    EXPECT_EQ(ex.spawn_eager_detached(note_then_yield, std::ref(out), 2), ht::spawn_error::none);
    out.push_back(3);
    co_return;
}

// The child tries to cancel the parent whose spawn_eager call it is running inside.
ht::task<void> cancel_the_caller(ht::executor& ex, ht::task_ref caller, bool& refused) {
    refused = !ex.cancel(caller);
    co_return;
}
ht::task<void> spawn_a_canceller(ht::executor& ex, bool& refused, bool& finished) {
    const ht::task_ref me = ex.ref_of(ex.current_task());
    EXPECT_EQ(ex.spawn_eager_detached(cancel_the_caller, std::ref(ex), me, std::ref(refused)),
              ht::spawn_error::none);
    finished = true;
    co_return;
}

// Each level spawns the next eagerly and records its depth when it starts.
ht::task<void> eager_chain(ht::executor& ex, std::vector<int>& started, int depth, int last) {
    started.push_back(depth);
    if (depth < last)
        (void)ex.spawn_eager_detached(eager_chain, std::ref(ex), std::ref(started), depth + 1,
                                      last);
    co_return;
}

}  // namespace

TEST(SpawnEager, RunsAheadOfQueuedTasksUntilItFirstSuspends) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(note_then_yield, std::ref(out), 1), ht::spawn_error::none);
    ASSERT_EQ(ex.spawn_eager_detached(note_then_yield, std::ref(out), 2), ht::spawn_error::none);
    EXPECT_EQ(out, std::vector<int>{2});  // before spawn_eager returned; the queued one has not run
    ex.run_until_idle();
    // 2 re-queued itself behind 1, which was queued first.
    EXPECT_EQ(out, (std::vector<int>{2, 1, 102, 101}));
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

TEST(SpawnEager, ATaskThatNeverSuspendsIsFinishedOnReturn) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    auto spawned = ex.spawn_eager(answer_at_once);
    ASSERT_TRUE(spawned.ok());
    EXPECT_TRUE(spawned.handle().finished());
    EXPECT_EQ(ex.run_queue_depth(), 0u);
    EXPECT_EQ(ex.stats().polls, 1u);
    EXPECT_EQ(ex.stats().completions, 1u);
    // Detached, it frees its slot and frame at once.
    EXPECT_EQ(ex.spawn_eager_detached(answer_at_once), ht::spawn_error::none);
    EXPECT_EQ(ex.tasks_alive(), 1u);  // only the one whose handle is still held
    spawned.handle().detach();
    EXPECT_EQ(ex.tasks_alive(), 0u);
    EXPECT_EQ(ex.run_until_idle(), 0u);
}

TEST(SpawnEager, FromInsideATaskTheChildRunsBeforeTheParentContinues) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(parent_of_eager, std::ref(ex), std::ref(out)),
              ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_EQ(out, (std::vector<int>{1, 2, 3, 102}));
    EXPECT_EQ(ex.current_task(), ht::invalid_task_index);
}

TEST(SpawnEager, ARunningCallerCannotBeCancelledByItsEagerChild) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    bool refused = false, finished = false;
    ASSERT_EQ(
        ex.spawn_detached(spawn_a_canceller, std::ref(ex), std::ref(refused), std::ref(finished)),
        ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_TRUE(refused);
    EXPECT_TRUE(finished);
    EXPECT_EQ(ex.stats().cancellations, 0u);
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

TEST(SpawnEager, NestingIsBoundedAndDeeperSpawnsAreQueued) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    std::vector<int> started;
    const int last = static_cast<int>(ht::executor::max_eager_depth) + 3;
    ASSERT_EQ(ex.spawn_eager_detached(eager_chain, std::ref(ex), std::ref(started), 1, last),
              ht::spawn_error::none);
    // Levels 1..max_eager_depth ran inline; the next one waits in the queue.
    EXPECT_EQ(started.size(), ht::executor::max_eager_depth);
    EXPECT_EQ(ex.run_queue_depth(), 1u);
    ex.run_until_idle();
    ASSERT_EQ(started.size(), static_cast<std::size_t>(last));
    for (int i = 0; i < last; ++i) EXPECT_EQ(started[static_cast<std::size_t>(i)], i + 1);
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

TEST(SpawnEager, CancellingAnEagerTaskParkedOnATimerUnhooksIt) {
    ht::virtual_clock clock(0, false);
    ht::executor ex(small_config(), clock);
    std::vector<int> out;
    auto spawned = ex.spawn_eager(sleep_then_note, std::ref(out), 7);
    ASSERT_TRUE(spawned.ok());
    EXPECT_EQ(ex.timers_armed(), 1u);  // it ran to its sleep inside spawn_eager
    const ht::task_ref ref = spawned.handle().ref();
    ht::waker stale = ex.make_waker(ref.index);  // a waker that outlives the task
    EXPECT_TRUE(spawned.handle().cancel());
    EXPECT_EQ(ex.timers_armed(), 0u);
    spawned.handle().detach();
    stale.wake_by_ref();  // names a freed slot: ignored
    clock.advance(1'000'000);
    ex.run_until_idle();
    EXPECT_EQ(out, std::vector<int>{7});
    EXPECT_GE(ex.stats().wakes_stale, 1u);
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

TEST(SpawnEager, TheScheduleUnderAVirtualClockReplaysExactly) {
    auto run_once = [] {
        ht::virtual_clock clock;
        ht::executor ex(small_config(), clock);
        std::vector<int> out;
        for (int i = 0; i < 6; ++i) {
            if (i % 2 == 0)
                (void)ex.spawn_eager_detached(sleep_then_note, std::ref(out), i);
            else
                (void)ex.spawn_detached(sleep_then_note, std::ref(out), i);
        }
        ex.run();
        return std::make_pair(out, ex.trace().hash());
    };
    const auto first = run_once();
    const auto second = run_once();
    EXPECT_EQ(first.first, second.first);
    EXPECT_EQ(first.second, second.second);
    // Eager ones reach their sleep inside spawn: 0, 2, 4 first, then the queued 1, 3, 5.
    EXPECT_EQ(std::vector<int>(first.first.begin(), first.first.begin() + 6),
              (std::vector<int>{0, 2, 4, 1, 3, 5}));
}
