// The timing wheel on its own (with a recording waker) and timers through the executor.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>

#include "test_support.hpp"

namespace ht = hypertick;
using namespace std::chrono_literals;
using ht::test::small_config;

namespace {

// A waker whose data is a pointer to the entry's expected deadline; waking records it.
std::vector<std::uint64_t>* g_fired = nullptr;
ht::raw_waker rec_clone(const void* d) noexcept;
void rec_wake(const void* d) noexcept {
    g_fired->push_back(*static_cast<const std::uint64_t*>(d));
}
void rec_drop(const void*) noexcept {}
constexpr ht::raw_waker_vtable recording_vtable{rec_clone, rec_wake, rec_wake, rec_drop};
ht::raw_waker rec_clone(const void* d) noexcept {
    return {d, &recording_vtable};
}
ht::waker recording_waker(const std::uint64_t* deadline) {
    return ht::waker(ht::raw_waker{deadline, &recording_vtable});
}

struct wheel_fixture : ::testing::Test {
    std::vector<std::uint64_t> fired;
    void SetUp() override { g_fired = &fired; }
    void TearDown() override { g_fired = nullptr; }
};

}  // namespace

using TimerWheel = wheel_fixture;

TEST_F(TimerWheel, FiresInDeadlineOrderAcrossEveryLevel) {
    ht::timer_wheel wheel;
    std::mt19937_64 rng(7);
    constexpr int n = 5000;
    auto entries = std::make_unique<ht::timer_entry[]>(n);
    std::vector<std::uint64_t> deadlines(n);
    for (int i = 0; i < n; ++i) {
        // Spread over 1 tick .. 2^40 ticks: every level and the overflow window get entries.
        const int magnitude = static_cast<int>(rng() % 40);
        deadlines[i] = 1 + (rng() % (std::uint64_t{1} << (magnitude + 1)));
        wheel.arm(entries[i], deadlines[i], recording_waker(&deadlines[i]));
    }
    EXPECT_EQ(wheel.armed(), static_cast<std::uint32_t>(n));
    // Advance in uneven steps, checking that nothing fires early and nothing fires late.
    std::uint64_t now = 0;
    while (wheel.armed() > 0) {
        const std::uint64_t next = wheel.next_event_tick();
        ASSERT_NE(next, UINT64_MAX);
        now = std::max(now + 1, next + (rng() % 3 == 0 ? rng() % 1000 : 0));
        const std::size_t before = fired.size();
        wheel.advance(now);
        for (std::size_t k = before; k < fired.size(); ++k) ASSERT_LE(fired[k], now);
    }
    std::vector<std::uint64_t> sorted = deadlines;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(fired.size(), sorted.size());
    EXPECT_TRUE(std::is_sorted(fired.begin(), fired.end()));
    EXPECT_EQ(fired, sorted);
}

TEST_F(TimerWheel, NeverFiresLateWhenAdvancedTickByTick) {
    ht::timer_wheel wheel;
    std::uint64_t deadlines[] = {1, 63, 64, 65, 4095, 4096, 4097, 262143, 262144, 300000};
    ht::timer_entry entries[std::size(deadlines)];
    for (std::size_t i = 0; i < std::size(deadlines); ++i)
        wheel.arm(entries[i], deadlines[i], recording_waker(&deadlines[i]));
    for (std::uint64_t t = 1; t <= 300000; ++t) {
        const std::size_t before = fired.size();
        wheel.advance(t);
        for (std::size_t k = before; k < fired.size(); ++k) ASSERT_EQ(fired[k], t);
    }
    EXPECT_EQ(fired.size(), std::size(deadlines));
}

TEST_F(TimerWheel, CancelUnhooksFromAnyLevel) {
    ht::timer_wheel wheel;
    std::uint64_t deadlines[] = {10, 1000, 100000, 10000000, std::uint64_t{1} << 40};
    ht::timer_entry entries[std::size(deadlines)];
    for (std::size_t i = 0; i < std::size(deadlines); ++i)
        wheel.arm(entries[i], deadlines[i], recording_waker(&deadlines[i]));
    for (std::size_t i = 0; i < std::size(deadlines); i += 2) wheel.cancel(entries[i]);
    wheel.cancel(entries[0]);  // twice: harmless
    EXPECT_EQ(wheel.armed(), 2u);
    wheel.advance(std::uint64_t{1} << 41);
    EXPECT_EQ(fired, (std::vector<std::uint64_t>{1000, 10000000}));
}

// A slot's occupancy bit clears exactly when its last entry is cancelled, whichever end of the
// slot's list the cancelled entry sits at: next_event_tick reads the bits.
TEST_F(TimerWheel, CancelClearsASlotOnlyWithItsLastEntry) {
    ht::timer_wheel wheel;
    std::uint64_t shared[] = {100, 100, 100};  // one level-1 slot, three entries
    std::uint64_t later = 5000;                // a level-2 slot
    ht::timer_entry entries[std::size(shared)];
    ht::timer_entry later_entry;
    for (std::size_t i = 0; i < std::size(shared); ++i)
        wheel.arm(entries[i], shared[i], recording_waker(&shared[i]));
    wheel.arm(later_entry, later, recording_waker(&later));
    const std::uint64_t shared_slot_tick = wheel.next_event_tick();
    ASSERT_LE(shared_slot_tick, 100u);

    wheel.cancel(entries[1]);  // the middle one
    EXPECT_EQ(wheel.next_event_tick(), shared_slot_tick);
    wheel.cancel(entries[2]);  // the tail
    EXPECT_EQ(wheel.next_event_tick(), shared_slot_tick);
    wheel.cancel(entries[0]);  // the last one: the slot is empty now
    EXPECT_GT(wheel.next_event_tick(), 100u);
    EXPECT_EQ(wheel.armed(), 1u);

    // The slot is reusable: a new entry in it fires, and so does the later one.
    ht::timer_entry again;
    wheel.arm(again, shared[0], recording_waker(&shared[0]));
    wheel.advance(later);
    EXPECT_EQ(fired, (std::vector<std::uint64_t>{100, 5000}));
}

TEST_F(TimerWheel, DeadlineInThePastFiresOnNextAdvance) {
    ht::timer_wheel wheel;
    wheel.advance(500);
    std::uint64_t d = 100;
    ht::timer_entry e;
    wheel.arm(e, d, recording_waker(&d));
    EXPECT_EQ(wheel.next_event_tick(), 500u);
    wheel.advance(500);
    EXPECT_EQ(fired.size(), 1u);
}

namespace {

ht::task<void> sleeper(std::chrono::microseconds d, int id,
                       std::vector<std::pair<int, std::uint64_t>>& log, ht::executor& ex) {
    co_await ht::sleep_for(d);
    log.emplace_back(id, ex.now_ns());
}

ht::task<void> wait_with_timeout(ht::channel<int>& ch, std::vector<int>& out) {
    auto r = co_await ht::with_timeout(5ms, ch.recv());
    out.push_back(r.timed_out() ? -1 : **r.value);
}

}  // namespace

TEST(Timers, SleepersWakeInDeadlineOrderAtTheirDeadline) {
    ht::virtual_clock clock(1'000'000);
    auto config = small_config();
    config.timer_tick_ns = 1000;  // not a power of two: the dividing path; deadlines land on ticks
    ht::executor ex(config, clock);
    std::vector<std::pair<int, std::uint64_t>> log;
    const std::chrono::microseconds delays[] = {300us, 5us, 70000us, 5us, 1us, 4'000'000us};
    for (int i = 0; i < 6; ++i)
        ASSERT_EQ(ex.spawn_detached(sleeper, delays[i], i, std::ref(log), std::ref(ex)),
                  ht::spawn_error::none);
    ex.run();  // virtual clock: jumps from deadline to deadline
    const std::vector<int> order = {4, 1, 3, 0, 2, 5};
    ASSERT_EQ(log.size(), order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        EXPECT_EQ(log[i].first, order[i]);
        const auto expected =
            1'000'000 + static_cast<std::uint64_t>(delays[order[i]].count()) * 1000;
        EXPECT_EQ(log[i].second, expected);  // exactly on the deadline under a virtual clock
    }
    EXPECT_GT(ex.stats().clock_jumps, 0u);
}

TEST(Timers, TimeoutReturnsTheValueOrTimesOut) {
    ht::virtual_clock clock(0, false);  // moved by hand
    ht::executor ex(small_config(), clock);
    ht::channel<int> ch(ex, 4);
    std::vector<int> out;
    ASSERT_EQ(ex.spawn_detached(wait_with_timeout, std::ref(ch), std::ref(out)),
              ht::spawn_error::none);
    ASSERT_EQ(ex.spawn_detached(wait_with_timeout, std::ref(ch), std::ref(out)),
              ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_EQ(ex.timers_armed(), 2u);
    ASSERT_TRUE(ch.try_send(42));  // first waiter gets it directly; its timer is disarmed
    ex.run_until_idle();
    EXPECT_EQ(out, std::vector<int>{42});
    EXPECT_EQ(ex.timers_armed(), 1u);
    clock.advance(4'999'000);
    ex.run_until_idle();
    EXPECT_EQ(out.size(), 1u);  // not yet
    clock.advance(1'000);       // at the deadline, but inside the 1024 ns tick that contains it
    ex.run_until_idle();
    EXPECT_EQ(out.size(), 1u);  // a timer never fires before its tick ends...
    clock.advance(1'024);
    ex.run_until_idle();
    EXPECT_EQ(out, (std::vector<int>{42, -1}));  // ...and never more than one tick late
    EXPECT_EQ(ex.timers_armed(), 0u);
    ASSERT_TRUE(ch.try_send(7));  // nobody waits any more: the value stays queued
    EXPECT_EQ(ch.size(), 1u);
}

namespace {
ht::task<void> sleep_status(std::vector<ht::timer_status>& out) {
    out.push_back(co_await ht::sleep_for(1ms));
}
}  // namespace

TEST(Timers, ArmingBeyondCapacityCompletesAtOnceAndIsCounted) {
    ht::virtual_clock clock;
    auto config = small_config();
    config.max_armed_timers = 2;
    ht::executor ex(config, clock);
    std::vector<ht::timer_status> out;
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(ex.spawn_detached(sleep_status, std::ref(out)), ht::spawn_error::none);
    ex.run_until_idle();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0], ht::timer_status::rejected);
    EXPECT_EQ(ex.stats().timers_rejected, 1u);
    ex.run();
    EXPECT_EQ(out.size(), 3u);
    EXPECT_EQ(out[1], ht::timer_status::fired);
}

namespace {
ht::task<void> sleep_until_then_note(ht::executor& ex, std::uint64_t deadline,
                                     std::vector<std::uint64_t>& woke) {
    co_await ht::sleep_until(deadline);
    woke.push_back(ex.now_ns());
}
}  // namespace

TEST(Timers, SleepUntilAnAbsoluteDeadlineAndOneAlreadyPassed) {
    ht::virtual_clock clock(10'000'000);
    auto config = small_config();
    config.timer_tick_ns = 1000;
    ht::executor ex(config, clock);
    std::vector<std::uint64_t> woke;
    ASSERT_EQ(ex.spawn_detached(sleep_until_then_note, std::ref(ex), 25'000'000, std::ref(woke)),
              ht::spawn_error::none);
    ASSERT_EQ(ex.spawn_detached(sleep_until_then_note, std::ref(ex), 5'000'000, std::ref(woke)),
              ht::spawn_error::none);
    ex.run();
    // The past deadline completes at once, without arming a timer; the other at its deadline.
    EXPECT_EQ(woke, (std::vector<std::uint64_t>{10'000'000, 25'000'000}));
    EXPECT_EQ(ex.stats().timers_fired, 1u);
}
