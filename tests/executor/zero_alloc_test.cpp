// The proof: from the start to the end of run(), the executor makes zero heap calls.
//
// This binary replaces malloc/calloc/realloc/free and every global operator new/delete with
// counting versions (hypertick::alloc_counter), then runs a large mixed workload.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "alloc_counter.hpp"
#include "workload.hpp"

namespace ht = hypertick;
using ht::testing::thread_alloc_scope;

namespace {
void escape(void* p) {
    asm volatile("" : : "g"(p) : "memory");
}

ht::task<int> finish_at_once(int v) {
    co_return v;
}
ht::task<void> nap(std::chrono::nanoseconds d) {
    co_await ht::sleep_for(d);
}

// Eager spawns from inside a task: children that end inside the call, children that park on
// a timer and are joined, children that park and are cancelled.
ht::task<void> eager_spawner(ht::executor& ex, int rounds, int& joined) {
    for (int i = 0; i < rounds; ++i) {
        (void)ex.spawn_eager_detached(finish_at_once, i);
        auto sleeper = ex.spawn_eager(nap, std::chrono::microseconds(1 + i % 7));
        auto doomed = ex.spawn_eager(nap, std::chrono::milliseconds(10));
        if (!sleeper.ok() || !doomed.ok()) co_return;
        doomed.handle().cancel();
        if ((co_await sleeper.handle().join()).ok()) ++joined;
    }
}
}  // namespace

TEST(ZeroAllocation, TheCounterSeesHeapCalls) {
    // Without this the main test could pass by counting nothing.
    ASSERT_TRUE(ht::testing::alloc_counting_active());
    thread_alloc_scope scope;
    auto p = std::make_unique<int>(5);
    escape(p.get());  // keep the compiler from eliding the new/delete pair
    void* m = std::malloc(32);
    escape(m);
    std::free(m);
    p.reset();
    const auto counts = scope.counts();
    EXPECT_EQ(counts.allocations, 2u);
    EXPECT_EQ(counts.frees, 2u);
}

TEST(ZeroAllocation, RunMakesNoHeapCallsUnderAMixedWorkload) {
    ASSERT_TRUE(ht::testing::alloc_counting_active());
    ht::virtual_clock clock(5'000'000'000);
    ht::executor ex(ht::test::workload_config(), clock);
    ASSERT_EQ(ex.status(), ht::init_error::none);
    ht::test::workload w(ex, ht::test::workload_params{});
    ASSERT_TRUE(w.start(ex));

    thread_alloc_scope scope;
    ex.run();
    const auto counts = scope.counts();

    EXPECT_EQ(counts.allocations, 0u) << "heap allocations during run()";
    EXPECT_EQ(counts.frees, 0u) << "heap frees during run()";
    // The workload really was large and mixed.
    const auto& s = ex.stats();
    EXPECT_GE(s.spawns, 1000u);
    EXPECT_GE(s.cancellations, 250u);
    EXPECT_GE(s.timers_fired, 3000u);
    EXPECT_GE(s.wakes, 10000u);
    EXPECT_EQ(w.result.produced, 3200u);
    EXPECT_EQ(w.result.consumed, 3200u);
    EXPECT_EQ(w.result.joined, 900u);
    EXPECT_GT(w.result.timeouts, 0u);
    EXPECT_EQ(ex.tasks_alive(), 0u);
}

TEST(ZeroAllocation, RealClockRunWithSpawnsFromTasksMakesNoHeapCalls) {
    ht::tsc_clock clock(2'000'000);
    ht::executor ex(ht::test::workload_config(), clock);
    ht::test::workload_params params;
    params.items_per_producer = 50;
    params.spawn_rounds = 50;
    ht::test::workload w(ex, params);
    ASSERT_TRUE(w.start(ex));
    thread_alloc_scope scope;
    ex.run();
    EXPECT_EQ(scope.counts().total(), 0u);
    EXPECT_EQ(w.result.consumed, 400u);
}

TEST(ZeroAllocation, EagerSpawnsFromTasksMakeNoHeapCalls) {
    ht::virtual_clock clock;
    ht::executor ex(ht::test::workload_config(), clock);
    int joined = 0;
    thread_alloc_scope scope;
    ASSERT_EQ(ex.spawn_eager_detached(eager_spawner, std::ref(ex), 500, std::ref(joined)),
              ht::spawn_error::none);
    ex.run();
    EXPECT_EQ(scope.counts().total(), 0u);
    EXPECT_EQ(joined, 500);
    EXPECT_EQ(ex.stats().spawns, 1501u);
    EXPECT_EQ(ex.stats().cancellations, 500u);
    EXPECT_EQ(ex.tasks_alive(), 0u);
}
