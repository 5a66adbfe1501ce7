// interval_recorder: a worker thread records without pause while the control plane harvests
// intervals; every recorded value must be in exactly one harvested interval.
#include "hypertick/stats/interval_recorder.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace {

using hypertick::stats::histogram;
using hypertick::stats::interval_recorder;

TEST(IntervalRecorder, SingleThreadProtocol) {
    interval_recorder recorder;
    recorder.record(10);
    EXPECT_EQ(recorder.try_take(), nullptr);
    ASSERT_TRUE(recorder.request_swap());
    EXPECT_FALSE(recorder.request_swap());    // one request at a time
    EXPECT_EQ(recorder.try_take(), nullptr);  // the worker has not reached service() yet
    recorder.record(20);                      // still the old interval
    recorder.service();
    recorder.record(30);  // the new interval
    const histogram* finished = recorder.try_take();
    ASSERT_NE(finished, nullptr);
    EXPECT_EQ(finished->total_count(), 2u);
    EXPECT_EQ(finished->max(), 20u);
    recorder.recycle();
    EXPECT_EQ(recorder.try_take(), nullptr);
    recorder.service();  // nothing asked: no swap
    EXPECT_EQ(recorder.active_after_worker_stopped().total_count(), 1u);
}

TEST(IntervalRecorder, CallerMemoryAndTicks) {
    const hypertick::stats::histogram_params params{};
    std::vector<std::uint64_t> storage(interval_recorder::required_bytes(params) / 8);
    interval_recorder recorder(params, hypertick::stats::tsc_to_ns(2.0),
                               std::as_writable_bytes(std::span<std::uint64_t>(storage)));
    recorder.record_ticks(2000);
    EXPECT_EQ(recorder.active_after_worker_stopped().max(), 1000u);
}

// The receive path records one latency for every message of a datagram with record_n: it must
// leave the same histogram as that many single records.
TEST(IntervalRecorder, RecordNIsThatManyRecords) {
    interval_recorder many;
    interval_recorder once;
    for (int i = 0; i < 40; ++i) many.record(1234);
    many.record(7);
    once.record_n(1234, 40);
    once.record_n(7, 1);
    const histogram& a = many.active_after_worker_stopped();
    const histogram& b = once.active_after_worker_stopped();
    EXPECT_EQ(b.total_count(), 41u);
    EXPECT_EQ(b.min(), a.min());
    EXPECT_EQ(b.max(), a.max());
    ASSERT_EQ(a.counts().size(), b.counts().size());
    for (std::size_t i = 0; i < a.counts().size(); ++i) EXPECT_EQ(a.counts()[i], b.counts()[i]);
}

TEST(IntervalRecorder, WorkerNeverStopsAndTotalsAddUpAcrossThreads) {
    interval_recorder recorder;
    // The worker records at least this many values, and keeps recording until the control plane
    // has taken a few intervals: on a loaded machine the control thread may not be scheduled
    // before the minimum is done, and the test must not depend on timing.
    constexpr std::uint64_t min_values_to_record = 3'000'000;
    constexpr std::uint64_t wanted_intervals = 3;
    std::atomic<bool> worker_done{false};
    std::atomic<std::uint64_t> intervals_taken{0};
    std::uint64_t recorded_sum_of_values = 0;  // written by the worker, read after join
    std::uint64_t values_recorded = 0;         // likewise

    std::thread worker([&] {
        std::uint64_t sum = 0;
        std::uint64_t i = 0;
        for (; i < min_values_to_record ||
               intervals_taken.load(std::memory_order_relaxed) < wanted_intervals;
             ++i) {
            const std::uint64_t value = 1 + i % 1500;  // exact slots: sums can be compared too
            recorder.record(value);
            sum += value;
            if (i % 64 == 0) recorder.service();  // the safe point of the worker's loop
        }
        recorded_sum_of_values = sum;
        values_recorded = i;
        worker_done.store(true, std::memory_order_release);
    });

    histogram harvested;  // the control plane's running total
    std::uint64_t intervals = 0;
    auto harvest = [&] {
        if (const histogram* finished = recorder.try_take()) {
            harvested.add(*finished);
            recorder.recycle();
            ++intervals;
            intervals_taken.store(intervals, std::memory_order_relaxed);
        }
    };
    while (!worker_done.load(std::memory_order_acquire)) {
        recorder.request_swap();
        harvest();
        std::this_thread::yield();
    }
    worker.join();
    harvest();  // a swap the worker made after its last record
    harvested.add(recorder.active_after_worker_stopped());

    EXPECT_GT(intervals, 1u) << "the control plane never got an interval while the worker ran";
    EXPECT_GE(values_recorded, min_values_to_record);
    EXPECT_EQ(harvested.total_count(), values_recorded);
    std::uint64_t sum = 0;
    for (std::uint32_t i = 0; i < harvested.layout().counts_length(); ++i)
        sum += harvested.count_at_index(i) * harvested.layout().value_at_index(i);
    EXPECT_EQ(sum, recorded_sum_of_values);
    EXPECT_EQ(harvested.max(), 1500u);
}

}  // namespace
