// Bucket layout, recording, percentiles on known distributions, clamping, merge and reset.
#include "hypertick/stats/histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using hypertick::stats::histogram;
using hypertick::stats::histogram_layout;
using hypertick::stats::histogram_params;

TEST(HistogramLayout, DefaultIsOneNanosecondToTenSecondsAtThreeDigits) {
    const histogram_layout layout(histogram_params{});
    EXPECT_EQ(layout.sub_bucket_count(), 2048u);
    EXPECT_EQ(layout.bucket_count(), 24u);
    EXPECT_EQ(layout.counts_length(), 25600u);
    EXPECT_EQ(histogram::required_bytes({}), 25600u * 8u);
}

TEST(HistogramLayout, IndexAndEquivalenceAtBucketEdges) {
    const histogram_layout layout(histogram_params{});
    // The first bucket is exact: one slot per value up to 2047.
    for (const std::uint64_t v : {0ull, 1ull, 2ull, 1023ull, 1024ull, 2047ull}) {
        EXPECT_EQ(layout.index_of(v), v);
        EXPECT_EQ(layout.lowest_equivalent(v), v);
        EXPECT_EQ(layout.highest_equivalent(v), v);
    }
    // From 2048 on, slots are 2 wide, then 4, ...
    EXPECT_EQ(layout.index_of(2048), 2048u);
    EXPECT_EQ(layout.index_of(2049), 2048u);
    EXPECT_EQ(layout.index_of(2050), 2049u);
    EXPECT_EQ(layout.lowest_equivalent(2049), 2048u);
    EXPECT_EQ(layout.highest_equivalent(2048), 2049u);
    EXPECT_EQ(layout.equivalent_range(4095), 2u);
    EXPECT_EQ(layout.equivalent_range(4096), 4u);
    EXPECT_EQ(layout.highest_equivalent(4096), 4099u);
    EXPECT_EQ(layout.median_equivalent(4096), 4098u);
    EXPECT_EQ(layout.index_of(4095) + 1, layout.index_of(4096));
    // value_at_index inverts index_of at every slot's lowest value.
    for (std::uint32_t i = 0; i < layout.counts_length(); i += 97) {
        const std::uint64_t v = layout.value_at_index(i);
        EXPECT_EQ(layout.index_of(v), i);
        EXPECT_EQ(layout.index_of(layout.highest_equivalent(v)), i);
    }
    // Within three significant digits everywhere.
    const std::uint64_t big = 9'876'543'210;
    EXPECT_LE(static_cast<double>(layout.equivalent_range(big)) / static_cast<double>(big), 1e-3);
    EXPECT_LT(layout.index_of(10'000'000'000), layout.counts_length());
}

TEST(HistogramLayout, CoarserUnitAndParameterErrors) {
    const histogram_layout layout(histogram_params{1024, 1'000'000'000, 2});
    EXPECT_EQ(layout.sub_bucket_count(), 256u);
    EXPECT_EQ(layout.index_of(1023), 0u);  // below the unit: first slot
    EXPECT_EQ(layout.lowest_equivalent(5000), 4096u);
    EXPECT_TRUE(hypertick::stats::params_error({0, 100, 3}).has_value());
    EXPECT_TRUE(hypertick::stats::params_error({1, 1, 3}).has_value());
    EXPECT_TRUE(hypertick::stats::params_error({1, 100, 6}).has_value());
    EXPECT_FALSE(hypertick::stats::params_error({}).has_value());
}

TEST(HistogramPercentile, OneToTenMatchesJavaAndJs) {
    histogram h;
    for (std::uint64_t v = 1; v <= 10; ++v) h.record(v);
    EXPECT_EQ(h.value_at_percentile(33), 4u);  // ceil(3.3) = 4th value; HdrHistogram_c says 3
    EXPECT_EQ(h.value_at_percentile(30), 3u);  // exactly the 3rd: no off-by-one-ulp
    EXPECT_EQ(h.value_at_percentile(50), 5u);
    EXPECT_EQ(h.value_at_percentile(90), 9u);
    EXPECT_EQ(h.value_at_percentile(99), 10u);
    EXPECT_EQ(h.value_at_percentile(100), 10u);
    EXPECT_EQ(h.value_at_percentile(0), 1u);
    EXPECT_EQ(h.value_at_percentile(0.001), 1u);  // count_at is at least 1
    EXPECT_DOUBLE_EQ(h.mean(), 5.5);
    EXPECT_NEAR(h.stddev(), std::sqrt(8.25), 1e-12);
    EXPECT_EQ(h.min(), 1u);
    EXPECT_EQ(h.max(), 10u);
}

TEST(HistogramPercentile, OneToHundredAndBeyondTheExactBucket) {
    histogram h;
    for (std::uint64_t v = 1; v <= 100; ++v) h.record(v);
    for (std::uint64_t p = 1; p <= 100; ++p)
        EXPECT_EQ(h.value_at_percentile(static_cast<double>(p)), p);
    EXPECT_EQ(h.value_at_percentile(99.5), 100u);
    // Above 2047 a percentile reports the top of its 2-wide slot, as Java does.
    histogram wide;
    wide.record(3000);
    EXPECT_EQ(wide.value_at_percentile(50), 3001u);
    EXPECT_EQ(wide.max(), 3001u);
    EXPECT_EQ(wide.min(), 3000u);
}

TEST(HistogramPercentile, Bimodal) {
    histogram h;
    h.record_n(1000, 9000);       // 90% fast
    h.record_n(1'000'000, 1000);  // 10% slow (1 ms, slot 1024 wide)
    EXPECT_EQ(h.total_count(), 10000u);
    EXPECT_EQ(h.value_at_percentile(50), 1000u);
    EXPECT_EQ(h.value_at_percentile(90), 1000u);
    EXPECT_EQ(h.value_at_percentile(90.01), h.layout().highest_equivalent(1'000'000));
    EXPECT_EQ(h.value_at_percentile(99.99), h.layout().highest_equivalent(1'000'000));
    EXPECT_NEAR(
        h.mean(),
        (9000.0 * 1000 + 1000.0 * static_cast<double>(h.layout().median_equivalent(1'000'000))) /
            10000,
        1e-6);
}

TEST(Histogram, ValuesAboveTheRangeAreClampedAndCounted) {
    histogram h(histogram_params{1, 1'000'000, 3});
    h.record(5);
    h.record(2'000'000);
    h.record_n(UINT64_MAX, 3);
    EXPECT_EQ(h.total_count(), 5u);
    EXPECT_EQ(h.clamped_count(), 4u);
    EXPECT_EQ(h.max(), h.layout().highest_equivalent(1'000'000));
    EXPECT_EQ(h.value_at_percentile(100), h.layout().highest_equivalent(1'000'000));
}

TEST(Histogram, AddResetAndCallerMemory) {
    alignas(64) static std::byte memory[25600 * 8];
    histogram a(histogram_params{}, std::span<std::byte>(memory));
    histogram b;
    for (std::uint64_t v = 1; v <= 50; ++v) a.record(v);
    for (std::uint64_t v = 51; v <= 100; ++v) b.record(v);
    a.add(b);
    EXPECT_EQ(a.total_count(), 100u);
    EXPECT_EQ(a.value_at_percentile(75), 75u);
    EXPECT_EQ(a.max(), 100u);
    EXPECT_EQ(a.min(), 1u);
    // A different layout is re-recorded slot by slot.
    histogram coarse(histogram_params{1, 100'000'000'000, 2});
    coarse.add(a);
    EXPECT_EQ(coarse.total_count(), 100u);
    EXPECT_EQ(coarse.value_at_percentile(100), 100u);
    a.reset();
    EXPECT_EQ(a.total_count(), 0u);
    EXPECT_EQ(a.max(), 0u);
    EXPECT_EQ(a.value_at_percentile(50), 0u);
    for (const std::uint64_t c : a.counts()) ASSERT_EQ(c, 0u);
    histogram moved(std::move(b));
    EXPECT_EQ(moved.total_count(), 50u);
}

TEST(Histogram, RecordTicksConvertsWithTheCalibratedRate) {
    histogram h;
    const hypertick::stats::tsc_to_ns rate(2.5);  // a 2.5 GHz TSC
    h.record_ticks(2500, rate);                   // 1 us
    h.record_ticks(25, rate);                     // 10 ns
    EXPECT_EQ(h.value_at_percentile(100), 1000u);
    EXPECT_EQ(h.value_at_percentile(50), 10u);
    EXPECT_EQ(hypertick::stats::tsc_to_ns().to_ns(123456789), 123456789u);
}

}  // namespace
