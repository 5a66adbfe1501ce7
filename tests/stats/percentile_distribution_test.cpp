// The classic percentile distribution: steps and the exact text layout plotters parse.
#include "hypertick/stats/percentile_distribution.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

using namespace hypertick::stats;

TEST(PercentileDistribution, StepsHalveTheDistanceTo100) {
    histogram h;
    for (std::uint64_t v = 1; v <= 10000; ++v) h.record(v);
    const auto steps = percentile_steps(h, 5);
    ASSERT_GT(steps.size(), 20u);
    EXPECT_EQ(steps[0].percentile, 0.0);
    EXPECT_EQ(steps[0].value, 1u);
    EXPECT_EQ(steps[1].percentile, 10.0);
    EXPECT_EQ(steps[5].percentile, 50.0);
    EXPECT_EQ(steps[6].percentile, 55.0);  // 5 ticks from 50% to 75%
    EXPECT_EQ(steps[10].percentile, 75.0);
    EXPECT_EQ(steps[11].percentile, 77.5);
    EXPECT_EQ(steps.back().percentile, 100.0);
    EXPECT_EQ(steps.back().count_to_value, 10000u);
    for (std::size_t i = 1; i < steps.size(); ++i) {
        EXPECT_GE(steps[i].value, steps[i - 1].value);
        EXPECT_GE(steps[i].percentile, steps[i - 1].percentile);
    }
    EXPECT_TRUE(percentile_steps(histogram{}, 5).empty());
}

TEST(PercentileDistribution, TextLayoutAsOutputPercentileDistribution) {
    histogram h;
    for (std::uint64_t v = 1; v <= 10; ++v) h.record(v * 100);  // exact slots below 2048
    const auto lines = stats_test::lines_of(percentile_distribution_text(h, 5, 100.0, false));
    ASSERT_GT(lines.size(), 6u);
    EXPECT_EQ(lines[0], "       Value     Percentile TotalCount 1/(1-Percentile)");
    EXPECT_EQ(lines[1], "");
    EXPECT_EQ(lines[2], "       1.000 0.000000000000          1           1.00");
    const std::size_t last = lines.size() - 4;
    EXPECT_EQ(lines[last], "      10.000 1.000000000000         10");
    EXPECT_EQ(lines[last + 1], "#[Mean    =        5.500, StdDeviation   =        2.872]");
    EXPECT_EQ(lines[last + 2], "#[Max     =       10.000, Total count    =           10]");
    EXPECT_EQ(lines[last + 3], "#[Buckets =           24, SubBuckets     =         2048]");
    const auto csv = stats_test::lines_of(percentile_distribution_text(h, 5, 1.0, true));
    EXPECT_EQ(csv[0], "\"Value\",\"Percentile\",\"TotalCount\",\"1/(1-Percentile)\"");
    EXPECT_EQ(csv.back(), "1000.000,1.000000000000,10,Infinity");
}

// A total near 2^60 puts the running percentile at exactly 100.0 before the last count, where
// the levels stop moving in double precision: the steps still end, and end at 100%.
TEST(PercentileDistribution, HugeCountsEndTheSteps) {
    histogram h;
    h.record_n(1, std::uint64_t{1} << 60);
    h.record(2);
    const auto steps = percentile_steps(h, 5);
    ASSERT_FALSE(steps.empty());
    EXPECT_LT(steps.size(), 10000u);
    EXPECT_EQ(steps.back().percentile, 100.0);
    EXPECT_EQ(steps.back().count_to_value, (std::uint64_t{1} << 60) + 1);
}

}  // namespace
