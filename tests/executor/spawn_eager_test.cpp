// spawn_eager: the new task runs inside the spawn call until it first suspends or ends.
//
// Each case runs twice: with the schedule trace on (the task takes its slot before it runs)
// and off (it runs without a slot and takes one only at its first suspension, or when asked
// its index): the two must behave the same.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <tuple>
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

ht::task<int> yield_then_answer() {
    co_await ht::yield_now();
    co_return 7;
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

class SpawnEager : public ::testing::TestWithParam<bool> {
  protected:
    static ht::executor_config config(std::uint32_t max_tasks = 64) {
        ht::executor_config c = small_config(max_tasks);
        c.trace_capacity =
            GetParam() ? 4096 : 0;  // the parameter decides, whatever the run's default
        return c;
    }
    // Room for one frame in all.
    static ht::executor_config one_frame_config() {
        ht::executor_config c = config();
        c.frame_classes = {ht::frame_class{256, 1}, {}, {}, {}};
        return c;
    }
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Trace, SpawnEager, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                             return param.param ? "On" : "Off";
                         });

TEST_P(SpawnEager, RunsAheadOfQueuedTasksUntilItFirstSuspends) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(note_then_yield, std::ref(out), 1), ht::spawn_error::none);
    ASSERT_EQ(ex.spawn_eager_detached(note_then_yield, std::ref(out), 2), ht::spawn_error::none);
    EXPECT_EQ(out, std::vector<int>{2});  // before spawn_eager returned; the queued one has not run
    ex.run_until_idle();
    // 2 re-queued itself behind 1, which was queued first.
    EXPECT_EQ(out, (std::vector<int>{2, 1, 102, 101}));
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

TEST_P(SpawnEager, ATaskThatNeverSuspendsIsFinishedOnReturn) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
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

TEST_P(SpawnEager, FromInsideATaskTheChildRunsBeforeTheParentContinues) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(parent_of_eager, std::ref(ex), std::ref(out)),
              ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_EQ(out, (std::vector<int>{1, 2, 3, 102}));
    EXPECT_EQ(ex.current_task(), ht::invalid_task_index);
}

TEST_P(SpawnEager, ARunningCallerCannotBeCancelledByItsEagerChild) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
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

TEST_P(SpawnEager, NestingIsBoundedAndDeeperSpawnsAreQueued) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
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

TEST_P(SpawnEager, CancellingAnEagerTaskParkedOnATimerUnhooksIt) {
    ht::virtual_clock clock(0, false);
    ht::executor ex(config(), clock);
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

TEST_P(SpawnEager, TheScheduleUnderAVirtualClockReplaysExactly) {
    auto run_once = [] {
        ht::virtual_clock clock;
        ht::executor ex(config(), clock);
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

namespace {

// Reports what the executor says about the task while it runs inside its spawn.
ht::task<void> report_running(ht::executor& ex, std::uint32_t& alive, ht::task_ref& me) {
    alive = ex.tasks_alive();
    me = ex.ref_of(ex.current_task());
    co_return;
}

// Takes a waker to itself, hands it out, then sleeps until cancelled or woken.
ht::task<void> hand_out_waker_then_sleep(ht::executor& ex, ht::waker& out, ht::task_ref& me) {
    me = ex.ref_of(ex.current_task());
    out = ex.make_waker(me.index);
    co_await ht::sleep_for(1ms);
}

// Spawns hand_out_waker_then_sleep eagerly: when this returns, the task is parked on its sleep.
void spawn_parked(ht::executor& ex, ht::waker& w, ht::task_ref& me) {
    ASSERT_EQ(
        ex.spawn_eager_detached(hand_out_waker_then_sleep, std::ref(ex), std::ref(w), std::ref(me)),
        ht::spawn_error::none);
    ASSERT_TRUE(me.valid());
}

// Spawns a child, eager or queued, then yields.
ht::task<void> spawn_child_then_yield(ht::executor& ex, bool eager, ht::spawn_error& child,
                                      bool& resumed) {
    child = eager ? ex.spawn_eager_detached(answer_at_once) : ex.spawn_detached(answer_at_once);
    co_await ht::yield_now();
    resumed = true;
}

// Counts, from inside its own inline start, the tasks the executor holds alive.
ht::task<void> count_alive(ht::executor& ex, std::uint32_t& alive) {
    alive = ex.tasks_alive();
    co_return;
}

ht::task<void> spawn_count_alive(ht::executor& ex, std::uint32_t& alive) {
    (void)ex.spawn_eager_detached(count_alive, std::ref(ex), std::ref(alive));
    co_return;
}

// Calls a task coroutine directly instead of spawning it.
ht::task<void> call_not_spawn(bool& got_frame) {
    ht::task<int> called = answer_at_once();
    got_frame = called.valid();
    co_return;
}

// A mixed program of eager and queued spawns, nested eager spawns, yields and sleeps.
ht::task<void> eager_family(ht::executor& ex, std::vector<int>& out, int id) {
    out.push_back(id);
    (void)ex.spawn_eager_detached(note_then_yield, std::ref(out), id * 10);
    co_await ht::yield_now();
    (void)ex.spawn_detached(sleep_then_note, std::ref(out), id * 10 + 1);
    auto child = ex.spawn_eager(sleep_then_note, std::ref(out), id * 10 + 2);
    if (child.ok()) (void)co_await child.handle().join();
    out.push_back(-id);
}

// Joins eager children: one that ended inside its spawn, one that ended after a yield.
ht::task<void> join_eager_children(ht::executor& ex, std::vector<int>& got) {
    auto ended = ex.spawn_eager(answer_at_once);
    auto later = ex.spawn_eager(yield_then_answer);
    if (!ended.ok() || !later.ok()) co_return;
    const ht::join_result<int> first = co_await ended.handle().join();
    got.push_back(first.ok() ? *first.value : -1);
    const ht::join_result<int> second = co_await later.handle().join();
    got.push_back(second.ok() ? *second.value : -1);
    const ht::join_result<int> again = co_await later.handle().join();  // joined already
    got.push_back(again.ok() ? *again.value : -1);
}

}  // namespace

TEST_P(SpawnEager, JoiningAnEagerChildDeliversItsValueOnce) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::vector<int> got;
    ASSERT_EQ(ex.spawn_detached(join_eager_children, std::ref(ex), std::ref(got)),
              ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_EQ(got, (std::vector<int>{42, 7, -1}));
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

TEST_P(SpawnEager, TheRunningTaskIsAliveAndHasAnIndexWhenAsked) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::uint32_t alive = 0;
    ht::task_ref me;
    ASSERT_EQ(ex.spawn_eager_detached(report_running, std::ref(ex), std::ref(alive), std::ref(me)),
              ht::spawn_error::none);
    EXPECT_EQ(alive, 1u);
    ASSERT_TRUE(me.valid());
    EXPECT_LT(me.index, 64u);
    EXPECT_EQ(ex.tasks_alive(), 0u);  // ended inside the call and freed its slot
    EXPECT_EQ(ex.current_task(), ht::invalid_task_index);
    EXPECT_FALSE(ex.cancel(me));  // names a finished task
    EXPECT_EQ(ex.stats().spawns, 1u);
    EXPECT_EQ(ex.stats().polls, 1u);
    EXPECT_EQ(ex.stats().completions, 1u);
    EXPECT_EQ(ex.stats().tasks_peak, 1u);
}

TEST_P(SpawnEager, AStaleOrDuplicateWakeOfAnEagerTaskIsHarmless) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    ht::waker w;
    ht::task_ref me;
    spawn_parked(ex, w, me);
    EXPECT_EQ(ex.tasks_alive(), 1u);
    w.wake_by_ref();
    w.wake_by_ref();  // queued already: counted, not queued twice
    EXPECT_EQ(ex.stats().wakes_redundant, 1u);
    EXPECT_EQ(ex.run_queue_depth(), 1u);
    ex.run();  // the early wake is a spurious poll; the timer ends it
    EXPECT_EQ(ex.tasks_alive(), 0u);
    const std::uint64_t stale_before = ex.stats().wakes_stale;
    w.wake_by_ref();  // its slot was freed: inert
    EXPECT_EQ(ex.stats().wakes_stale, stale_before + 1);
    EXPECT_EQ(ex.run_queue_depth(), 0u);
}

TEST_P(SpawnEager, ADetachedEagerTaskParkedAfterItsStartCanBeCancelled) {
    ht::virtual_clock clock(0, false);
    ht::executor ex(config(), clock);
    ht::waker w;
    ht::task_ref me;
    spawn_parked(ex, w, me);
    EXPECT_EQ(ex.timers_armed(), 1u);
    EXPECT_TRUE(ex.cancel(me));
    EXPECT_EQ(ex.timers_armed(), 0u);
    EXPECT_EQ(ex.tasks_alive(), 0u);  // detached: the cancel freed its slot
    EXPECT_EQ(ex.stats().cancellations, 1u);
    w.wake_by_ref();
    EXPECT_EQ(ex.run_queue_depth(), 0u);
    EXPECT_EQ(ex.run_until_idle(), 0u);
}

// The last slot belongs to the running parent (promised before it ran, when the trace is off):
// its child, eager or queued, is refused, and the parent still has a slot to suspend in.
TEST_P(SpawnEager, TheRunningTaskKeepsTheSlotItsSpawnTook) {
    for (const bool eager_child : {true, false}) {
        SCOPED_TRACE(eager_child ? "eager child" : "queued child");
        ht::virtual_clock clock;
        ht::executor ex(config(2), clock);
        ASSERT_EQ(ex.spawn_detached(answer_at_once), ht::spawn_error::none);  // one of two
        ht::spawn_error child = ht::spawn_error::none;
        bool resumed = false;
        ASSERT_EQ(ex.spawn_eager_detached(spawn_child_then_yield, std::ref(ex), eager_child,
                                          std::ref(child), std::ref(resumed)),
                  ht::spawn_error::none);
        EXPECT_EQ(child, ht::spawn_error::slab_full);
        EXPECT_EQ(ex.stats().spawn_failed_slab_full, 1u);
        EXPECT_EQ(ex.tasks_alive(), 2u);
        ex.run_until_idle();
        EXPECT_TRUE(resumed);
        EXPECT_EQ(ex.tasks_alive(), 0u);
    }
}

TEST_P(SpawnEager, NestedInlineStartsAreEachCountedAlive) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::uint32_t inner = 0;
    ASSERT_EQ(ex.spawn_eager_detached(spawn_count_alive, std::ref(ex), std::ref(inner)),
              ht::spawn_error::none);
    EXPECT_EQ(inner, 2u);  // the outer task and the inner one, both running
    EXPECT_EQ(ex.tasks_alive(), 0u);
    EXPECT_EQ(ex.stats().tasks_peak, 2u);
    EXPECT_EQ(ex.stats().spawns, 2u);
    EXPECT_EQ(ex.stats().completions, 2u);
}

// A spawn whose frame cannot be allocated never ran, whatever the inline start before it at the
// same depth did: a task that took a slot there must not make the failed one look slotted.
TEST_P(SpawnEager, AFrameFailureAfterASuspendedEagerTaskCountsOnlyThatTask) {
    ht::virtual_clock clock;
    ht::executor ex(one_frame_config(), clock);
    ht::waker w;
    ht::task_ref me;
    spawn_parked(ex, w, me);  // took the only frame, and a slot at its first suspension
    EXPECT_EQ(ex.spawn_eager_detached(answer_at_once), ht::spawn_error::frames_exhausted);
    EXPECT_EQ(ex.tasks_alive(), 1u);
    EXPECT_EQ(ex.spawn_eager_detached(answer_at_once), ht::spawn_error::frames_exhausted);
    EXPECT_EQ(ex.tasks_alive(), 1u);
    w = ht::waker{};
    ex.run();
    EXPECT_EQ(ex.tasks_alive(), 0u);
    EXPECT_EQ(ex.spawn_eager_detached(answer_at_once), ht::spawn_error::none);
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

TEST_P(SpawnEager, RunUntilIdleCountsThePollsOfTasksThatEndedInline) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::vector<int> started;
    ASSERT_EQ(ex.spawn_detached(eager_chain, std::ref(ex), std::ref(started), 1, 3),
              ht::spawn_error::none);
    // The queued first level, and the two levels it started inline, each polled once.
    EXPECT_EQ(ex.run_until_idle(), 3u);
    EXPECT_EQ(started, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(ex.stats().polls, 3u);
}

TEST_P(SpawnEager, AFrameFailureGivesTheSlotBack) {
    ht::virtual_clock clock;
    ht::executor ex(one_frame_config(), clock);
    ASSERT_EQ(ex.spawn_detached(answer_at_once), ht::spawn_error::none);  // the only frame
    EXPECT_EQ(ex.spawn_eager_detached(answer_at_once), ht::spawn_error::frames_exhausted);
    EXPECT_FALSE(ex.spawn_eager(answer_at_once).ok());
    EXPECT_EQ(ex.tasks_alive(), 1u);
    EXPECT_EQ(ex.stats().spawn_failed_frames_exhausted, 2u);
    ex.run_until_idle();
    EXPECT_EQ(ex.tasks_alive(), 0u);
    EXPECT_EQ(ex.spawn_eager_detached(answer_at_once), ht::spawn_error::none);
}

TEST_P(SpawnEager, ATaskCoroutineCalledInsideAnEagerRunGetsNoFrame) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    bool got_frame = true;
    ASSERT_EQ(ex.spawn_eager_detached(call_not_spawn, std::ref(got_frame)), ht::spawn_error::none);
    EXPECT_FALSE(got_frame);
}

// Whether an eager task takes its slot before it runs (trace on) or at its first suspension
// (trace off), the schedule, the output and the counters are the same.
TEST(SpawnEagerTrace, OnAndOffGiveTheSameSchedule) {
    auto run_once = [](std::uint32_t trace_capacity) {
        ht::virtual_clock clock;
        ht::executor_config c = small_config();
        c.trace_capacity = trace_capacity;
        ht::executor ex(c, clock);
        std::vector<int> out;
        for (int id = 1; id <= 4; ++id) {
            if (id % 2 == 0)
                (void)ex.spawn_eager_detached(eager_family, std::ref(ex), std::ref(out), id);
            else
                (void)ex.spawn_detached(eager_family, std::ref(ex), std::ref(out), id);
        }
        ex.run();
        const ht::executor_stats& s = ex.stats();
        return std::make_tuple(out, s.spawns, s.polls, s.completions, s.wakes, s.tasks_peak,
                               ex.tasks_alive(), clock.now_ns());
    };
    const auto traced = run_once(4096);
    const auto untraced = run_once(0);
    EXPECT_EQ(traced, untraced);
    EXPECT_EQ(std::get<0>(traced).size(), 4u * 8u);
}
