// yield_now: the task asks to be re-queued, and the scheduler queues it as soon as the resume
// that ran it returns (the coroutine itself touches neither the slab nor the run queue). With
// the trace off, a task that yields while nothing else is queued runs again at once, skipping
// the ring: each test runs with the trace on and off.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <tuple>
#include <vector>

#include "test_support.hpp"

namespace ht = hypertick;
using namespace std::chrono_literals;
using ht::test::small_config;

namespace {

ht::task<void> note_around_yields(std::vector<int>& out, int id, int yields) {
    for (int i = 0; i < yields; ++i) {
        out.push_back(id * 10 + i);
        co_await ht::yield_now();
    }
    out.push_back(id * 10 + yields);
}

struct event_at {
    ht::trace_event event;
    std::uint32_t task_index;
    std::uint64_t time_ns;
};

std::vector<event_at> polls_and_wakes(const ht::executor& ex) {
    std::vector<event_at> out;
    for (const ht::trace_record& r : ex.trace())
        if (r.event == ht::trace_event::poll || r.event == ht::trace_event::wake)
            out.push_back({r.event, r.task_index, r.time_ns});
    return out;
}

class Yield : public ::testing::TestWithParam<bool> {
  protected:
    static ht::executor_config config() {
        ht::executor_config c = small_config();
        c.trace_capacity =
            GetParam() ? 4096 : 0;  // the parameter decides, whatever the run's default
        return c;
    }
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Trace, Yield, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                             return param.param ? "On" : "Off";
                         });

// Two yielding tasks alternate, and each one's re-queue (a wake record) follows its own poll
// at once: nothing runs between a task's suspension and its re-queue.
TEST_P(Yield, RequeuedAtTheTailRightAfterItsPoll) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(note_around_yields, std::ref(out), 1, 2), ht::spawn_error::none);
    ASSERT_EQ(ex.spawn_detached(note_around_yields, std::ref(out), 2, 2), ht::spawn_error::none);
    ex.run();
    EXPECT_EQ(out, (std::vector<int>{10, 20, 11, 21, 12, 22}));

    EXPECT_EQ(ex.stats().polls, 6u);
    EXPECT_EQ(ex.stats().wakes, 6u);  // two spawns, four re-queues
    if (!GetParam()) return;
    using enum ht::trace_event;
    const std::vector<event_at> trace = polls_and_wakes(ex);
    // Spawns queue 0 then 1; then poll 0, re-queue 0, poll 1, re-queue 1, twice; last polls.
    const std::vector<std::pair<ht::trace_event, std::uint32_t>> expected{
        {wake, 0}, {wake, 1}, {poll, 0}, {wake, 0}, {poll, 1}, {wake, 1},
        {poll, 0}, {wake, 0}, {poll, 1}, {wake, 1}, {poll, 0}, {poll, 1}};
    ASSERT_EQ(trace.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(trace[i].event, expected[i].first) << "record " << i;
        EXPECT_EQ(trace[i].task_index, expected[i].second) << "record " << i;
        EXPECT_EQ(trace[i].time_ns, 0u) << "a yield never moves the virtual clock";
    }
    EXPECT_EQ(ex.stats().spurious_polls, 0u);
}

namespace {
ht::task<void> sleep_then_note(std::vector<int>& out, int id) {
    co_await ht::sleep_for(1us);
    out.push_back(id);
}
}  // namespace

// Under the virtual clock the clock jumps only when nothing is ready: a task that keeps
// yielding finishes every step at time 0 before a 1 us sleeper wakes.
TEST_P(Yield, YieldersRunOutBeforeTheVirtualClockMoves) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(sleep_then_note, std::ref(out), 99), ht::spawn_error::none);
    ASSERT_EQ(ex.spawn_detached(note_around_yields, std::ref(out), 1, 3), ht::spawn_error::none);
    ex.run();
    EXPECT_EQ(out, (std::vector<int>{10, 11, 12, 13, 99}));
    for (const event_at& e : polls_and_wakes(ex))
        if (e.task_index == 1) {
            EXPECT_EQ(e.time_ns, 0u) << "the yielder ran at time 0";
        }
    EXPECT_GE(clock.now_ns(), 1000u);  // the deadline, rounded up to the timer tick
}

namespace {
// Wakes itself through a waker during its poll, then yields: it is queued already, so the yield
// must not queue it a second time (debug builds assert that each entry is queued once).
ht::task<void> wake_self_then_yield(ht::executor& ex, std::vector<int>& out) {
    ht::waker self = ex.make_waker(ex.current_task());
    self.wake_by_ref();
    out.push_back(1);
    co_await ht::yield_now();
    out.push_back(2);
}
}  // namespace

TEST_P(Yield, AWakeDuringThePollAndTheYieldQueueItOnce) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(wake_self_then_yield, std::ref(ex), std::ref(out)),
              ht::spawn_error::none);
    ex.run();
    EXPECT_EQ(out, (std::vector<int>{1, 2}));
    EXPECT_EQ(ex.stats().polls, 2u);
    EXPECT_EQ(ex.stats().wakes, 2u);  // the spawn and the self-wake; the yield adds none
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

namespace {
// Spawns a yielding child eagerly (its first step runs inside this poll), then sleeps: the
// child's yield belongs to the child's inline run and must not re-queue the parent.
ht::task<void> parent_of_yielding_child(ht::executor& ex, std::vector<int>& out) {
    EXPECT_EQ(ex.spawn_eager_detached(note_around_yields, std::ref(out), 2, 1),
              ht::spawn_error::none);
    out.push_back(1);
    co_await ht::sleep_for(5us);
    out.push_back(3);
}
}  // namespace

TEST_P(Yield, AnEagerChildsYieldRequeuesTheChildNotItsParent) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(parent_of_yielding_child, std::ref(ex), std::ref(out)),
              ht::spawn_error::none);
    ex.run();
    EXPECT_EQ(out, (std::vector<int>{20, 1, 21, 3}));
    EXPECT_EQ(ex.stats().spurious_polls, 0u);
    EXPECT_EQ(ex.stats().polls, 4u);   // parent twice, child twice
    EXPECT_GE(clock.now_ns(), 5000u);  // the parent's sleep, rounded up to the timer tick
}

namespace {
ht::task<void> cancel_other(ht::executor& ex, ht::task_ref other, bool& cancelled) {
    cancelled = ex.cancel(other);
    co_return;
}
}  // namespace

// A task cancelled while its yield has it queued is never resumed; its queue entry drains.
TEST(Yield, CancellingAYieldedTaskNeverResumesIt) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    std::vector<int> out;
    auto yielder = ex.spawn(note_around_yields, std::ref(out), 1, 5);
    ASSERT_TRUE(yielder.ok());
    bool cancelled = false;
    ASSERT_EQ(
        ex.spawn_detached(cancel_other, std::ref(ex), yielder.handle().ref(), std::ref(cancelled)),
        ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_TRUE(cancelled);
    EXPECT_EQ(out, (std::vector<int>{10}));  // its first step, then nothing
    EXPECT_TRUE(yielder.handle().finished());
    yielder.handle().detach();
    EXPECT_EQ(ex.tasks_alive(), 0u);
    EXPECT_EQ(ex.run_queue_depth(), 0u);
}

namespace {
ht::task<void> count_yields(int yields, int& polls) {
    for (int i = 0; i < yields; ++i) {
        ++polls;
        co_await ht::yield_now();
    }
    ++polls;
}
// Runs at the start of every turn: notes how many polls the yielder has had so far, and stops
// the executor once the yielder has ended.
struct turn_watch {
    ht::executor* ex;
    const int* polls;
    int last;
    std::vector<int> seen;
};
bool note_turn(void* context) noexcept {
    auto* watch = static_cast<turn_watch*>(context);
    watch->seen.push_back(*watch->polls);
    if (*watch->polls == watch->last) watch->ex->stop();
    return false;
}

// What a run of `tasks` tasks, each yielding `yields` times, under a poll budget leaves: the
// polls counted at the start of every turn until the last poll, and the executor's counters.
struct budget_run {
    std::vector<int> seen;
    std::tuple<std::uint64_t, std::uint64_t, std::uint32_t> polls_wakes_peak;
    std::uint32_t current_task;
    std::uint32_t tasks_alive;
};
budget_run run_yielders(ht::executor_config c, std::uint32_t poll_budget, int tasks, int yields) {
    ht::virtual_clock clock;
    c.poll_budget = poll_budget;
    ht::executor ex(c, clock);
    int polls = 0;
    turn_watch watch{&ex, &polls, tasks * (yields + 1), {}};
    watch.seen.reserve(16);
    EXPECT_GE(ex.add_poller(note_turn, &watch), 0);
    for (int i = 0; i < tasks; ++i)
        EXPECT_EQ(ex.spawn_detached(count_yields, yields, std::ref(polls)), ht::spawn_error::none);
    ex.run();
    const ht::executor_stats& s = ex.stats();
    return {watch.seen, {s.polls, s.wakes, s.run_queue_peak}, ex.current_task(), ex.tasks_alive()};
}
}  // namespace

// A task yielding alone still ends the turn when the poll budget is spent (with the trace off
// it runs again without the ring, but every poll counts against the budget), so the poller
// runs after every poll_budget polls, and the counters are those of the trip through the ring.
TEST_P(Yield, ALoneYielderSpendsThePollBudgetOnePollAtATime) {
    const budget_run r = run_yielders(config(), 4, 1, 9);
    EXPECT_EQ(r.seen, (std::vector<int>{0, 4, 8, 10}));
    // Ten polls, ten wakes (the spawn and nine re-queues), the queue never deeper than one.
    EXPECT_EQ(r.polls_wakes_peak, std::make_tuple(10u, 10u, 1u));
    EXPECT_EQ(r.tasks_alive, 0u);
}

namespace {
ht::task<void> wait_then_note(ht::notify& wake, std::vector<int>& out, int id) {
    co_await wake.wait();
    out.push_back(id);
}
ht::task<void> wake_three_then_yield(std::array<ht::notify, 3>& waiters, std::vector<int>& out) {
    for (ht::notify& n : waiters) n.notify_one();
    out.push_back(1);
    co_await ht::yield_now();
    out.push_back(2);
}
}  // namespace

// A yield that re-queues its task behind tasks it woke in the same poll: the queue's depth
// after the re-queue counts them all (with the trace off the re-queue and the next pop are one
// step of the ring, and the depth is the one before that pop, as with the trace on).
TEST_P(Yield, ARequeueBehindTasksWokenInThePollCountsTheirDepth) {
    ht::virtual_clock clock;
    ht::executor ex(config(), clock);
    std::vector<int> out;
    std::array<ht::notify, 3> waiters;
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(ex.spawn_detached(wait_then_note, std::ref(waiters[i]), std::ref(out), 10 + i),
                  ht::spawn_error::none);
    ex.run_until_idle();  // all three parked; the queue was 3 deep
    ASSERT_EQ(ex.stats().run_queue_peak, 3u);
    ASSERT_EQ(ex.spawn_detached(wake_three_then_yield, std::ref(waiters), std::ref(out)),
              ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_EQ(out, (std::vector<int>{1, 10, 11, 12, 2}));
    EXPECT_EQ(ex.stats().run_queue_peak, 4u);  // three woken, then the yielder behind them
    EXPECT_EQ(ex.stats().wakes, 8u);           // four spawns, three notifies, one re-queue
    EXPECT_EQ(ex.stats().polls, 8u);
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

// Two yielders with a poll budget that runs out mid-way: a yield with no poll left goes to
// the tail and waits for the next turn, wherever the budget ends; the order and the counters
// are the same with the trace on and off.
TEST_P(Yield, TwoYieldersSpendThePollBudgetThroughTheRing) {
    const budget_run r = run_yielders(config(), 3, 2, 3);
    EXPECT_EQ(r.seen, (std::vector<int>{0, 3, 6, 8}));
    // Eight polls, eight wakes (two spawns and six re-queues), the queue two deep at most.
    EXPECT_EQ(r.polls_wakes_peak, std::make_tuple(8u, 8u, 2u));
    EXPECT_EQ(r.current_task, ht::invalid_task_index);
    EXPECT_EQ(r.tasks_alive, 0u);
}
