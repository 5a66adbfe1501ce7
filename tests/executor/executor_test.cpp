// Scheduling: join, cancellation, events, pollers, budgets, stop, stall detection.
#include <gtest/gtest.h>

#include <chrono>

#include "test_support.hpp"

namespace ht = hypertick;
using namespace std::chrono_literals;
using ht::test::small_config;

namespace {

ht::task<int> square_later(int v) {
    co_await ht::yield_now();
    co_return v* v;
}

ht::task<void> join_child(ht::executor& ex, std::vector<int>& out) {
    auto child = ex.spawn(square_later, 7);  // spawning from inside a task
    if (!child.ok()) co_return;
    auto result = co_await child.handle().join();
    out.push_back(result.ok() ? *result.value : -1);
}

ht::task<void> park_on_timer_and_channel(ht::channel<int>& ch, bool& reached_end) {
    co_await ht::sleep_for(10ms);
    co_await ch.recv();
    reached_end = true;
}

ht::task<void> park_on_send(ht::channel<int>& ch, int value) {
    co_await ch.send(value);
}

ht::task<void> join_and_report(ht::join_handle<void>& h, std::vector<int>& out) {
    auto r = co_await h.join();
    out.push_back(r.ok() ? 1 : 0);
}

ht::task<void> wait_event(ht::event& ev, std::vector<int>& out, int id) {
    co_await ev.wait();
    out.push_back(id);
}

}  // namespace

TEST(Executor, JoinDeliversTheResult) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(join_child, std::ref(ex), std::ref(out)), ht::spawn_error::none);
    ex.run();
    EXPECT_EQ(out, std::vector<int>{49});
    EXPECT_EQ(ex.tasks_alive(), 0u);
    EXPECT_EQ(ex.stats().spawns, 2u);
    EXPECT_EQ(ex.stats().completions, 2u);
}

TEST(Executor, CancellationUnhooksPendingTimerAndChannelWaits) {
    ht::virtual_clock clock(0, false);
    ht::executor ex(small_config(), clock);
    ht::channel<int> ch(ex, 1);
    bool reached_timer_task_end = false;
    auto on_timer =
        ex.spawn(park_on_timer_and_channel, std::ref(ch), std::ref(reached_timer_task_end));
    ASSERT_TRUE(ch.try_send(1));  // fill the channel so the next sender parks
    auto on_send = ex.spawn(park_on_send, std::ref(ch), 2);
    ex.run_until_idle();
    EXPECT_EQ(ex.timers_armed(), 1u);
    EXPECT_EQ(ex.tasks_alive(), 2u);

    auto frames_in_use = [&ex] {
        std::uint32_t n = 0;
        for (std::size_t c = 0; c < ht::max_frame_classes; ++c) n += ex.frames().in_use(c);
        return n;
    };
    const auto frames_before = frames_in_use();
    EXPECT_TRUE(on_timer.handle().cancel());
    EXPECT_TRUE(on_send.handle().cancel());
    EXPECT_FALSE(on_send.handle().cancel());  // already cancelled
    EXPECT_EQ(ex.timers_armed(), 0u);         // the timer entry left the wheel
    EXPECT_EQ(frames_in_use(), frames_before - 2);
    // The parked sender left the channel's wait list: receiving does not pull its value.
    EXPECT_EQ(ch.try_recv(), std::optional<int>(1));
    EXPECT_EQ(ch.try_recv(), std::nullopt);

    std::vector<int> out;
    auto handle = on_timer.take_handle();
    ASSERT_EQ(ex.spawn_detached(join_and_report, std::ref(handle), std::ref(out)),
              ht::spawn_error::none);
    clock.advance(20'000'000);
    ex.run_until_idle();
    EXPECT_EQ(out, std::vector<int>{0});  // joined a cancelled task
    EXPECT_FALSE(reached_timer_task_end);
    EXPECT_EQ(ex.stats().cancellations, 2u);
}

TEST(Executor, CancellingAQueuedTaskNeverRunsIt) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(2), clock);
    auto r = ex.spawn(square_later, 3);  // queued, never polled
    ASSERT_TRUE(r.handle().cancel());
    r.handle().detach();
    // Its slot waits for the queue entry to drain before reuse; the slab has one free slot.
    EXPECT_EQ(ex.tasks_alive(), 1u);
    ex.run_until_idle();
    EXPECT_EQ(ex.tasks_alive(), 0u);
    EXPECT_EQ(ex.stats().polls, 0u);
}

TEST(Executor, EventReleasesAllWaitersInOrder) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    ht::event ev;
    std::vector<int> out;
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(ex.spawn_detached(wait_event, std::ref(ev), std::ref(out), i),
                  ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_TRUE(out.empty());
    ev.set();
    ex.run_until_idle();
    EXPECT_EQ(out, (std::vector<int>{0, 1, 2, 3, 4}));
    ASSERT_EQ(ex.spawn_detached(wait_event, std::ref(ev), std::ref(out), 9), ht::spawn_error::none);
    ex.run_until_idle();  // already set: completes without parking
    EXPECT_EQ(out.back(), 9);
}

namespace {

struct rx_source {
    int pending = 0;  // "packets" waiting in the device
    int delivered = 0;
    ht::notify ready;
    static bool poll(void* self) noexcept {
        auto* s = static_cast<rx_source*>(self);
        if (s->pending == 0) return false;
        s->ready.notify_one();
        return true;
    }
};

ht::task<void> rx_task(rx_source& src, int want) {
    while (src.delivered < want) {
        co_await src.ready.wait();
        src.delivered += src.pending;
        src.pending = 0;
    }
}

ht::task<void> ticker(ht::executor& ex, int& ticks) {
    for (int i = 0; i < 5; ++i) {
        co_await ht::sleep_for(1ms);
        ++ticks;
    }
    ex.stop();
}

bool always_busy(void* counter) noexcept {
    ++*static_cast<std::uint64_t*>(counter);
    return true;
}

}  // namespace

TEST(Executor, PollerWakesItsTask) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    rx_source src;
    const int id = ex.add_poller(&rx_source::poll, &src);
    ASSERT_GE(id, 0);
    ASSERT_EQ(ex.spawn_detached(rx_task, std::ref(src), 10), ht::spawn_error::none);
    ex.run_until_idle();
    src.pending = 4;
    ex.run_until_idle();
    EXPECT_EQ(src.delivered, 4);
    src.pending = 6;
    ex.run_until_idle();
    EXPECT_EQ(src.delivered, 10);
    ex.remove_poller(id);
}

TEST(Executor, BusyPollerNeverStarvesTimers) {
    ht::tsc_clock clock(2'000'000);  // real time: the poller spins while the timer waits
    ht::executor ex(small_config(), clock);
    std::uint64_t spins = 0;
    int ticks = 0;
    ASSERT_GE(ex.add_poller(always_busy, &spins), 0);
    ASSERT_EQ(ex.spawn_detached(ticker, std::ref(ex), std::ref(ticks)), ht::spawn_error::none);
    ex.run();  // returns when the ticker calls stop()
    EXPECT_EQ(ticks, 5);
    EXPECT_GT(spins, 5u);
    EXPECT_GE(ex.stats().timers_fired, 5u);
}

TEST(Executor, PollerTableHasALimit) {
    ht::virtual_clock clock;
    auto config = small_config();
    config.max_pollers = 2;
    ht::executor ex(config, clock);
    std::uint64_t n = 0;
    EXPECT_EQ(ex.add_poller(always_busy, &n), 0);
    EXPECT_EQ(ex.add_poller(always_busy, &n), 1);
    EXPECT_EQ(ex.add_poller(always_busy, &n), -1);
    EXPECT_EQ(ex.stats().pollers_refused, 1u);  // counted, so an owner can tell later
    ex.remove_poller(0);
    EXPECT_EQ(ex.add_poller(always_busy, &n), 0);  // a freed slot is reused
}

namespace {
ht::task<void> spinner(int rounds, std::uint64_t& count) {
    for (int i = 0; i < rounds; ++i) {
        ++count;
        co_await ht::yield_now();
    }
}
}  // namespace

TEST(Executor, PollBudgetBoundsATurn) {
    ht::virtual_clock clock;
    auto config = small_config();
    config.poll_budget = 4;
    ht::executor ex(config, clock);
    std::uint64_t count = 0;
    ASSERT_EQ(ex.spawn_detached(spinner, 100, std::ref(count)), ht::spawn_error::none);
    ex.run();
    EXPECT_EQ(count, 100u);
    // 101 polls at most 4 per turn: at least 26 turns, so pollers and timers got 26 chances.
    EXPECT_GE(ex.stats().loop_iterations, 26u);
}

namespace {
ht::task<void> hog(std::uint64_t spin_ns) {
    const std::uint64_t until =
        hypertick::read_tsc() + spin_ns * 3;  // >= spin_ns on any TSC >= 1 GHz
    while (hypertick::read_tsc() < until) {
    }
    co_return;
}
}  // namespace

TEST(Executor, StallDetectorRecordsLongPolls) {
    ht::tsc_clock clock(2'000'000);
    ht::executor ex(small_config(), clock);
    ex.set_stall_budget(200'000, clock.ticks_per_ns());  // 200 us
    // Only the hog runs: a quick task could be preempted by the OS on a loaded machine and
    // count as a stall too, which would make this test depend on timing.
    auto slow = ex.spawn(hog, 2'000'000);  // ~2 ms or more
    ex.run_until_idle();
    EXPECT_GE(ex.stats().stalls, 1u);
    EXPECT_EQ(ex.stats().stall_last_task, slow.handle().ref().index);
    EXPECT_GE(ex.stats().stall_max_ns, 2'000'000u);
}
