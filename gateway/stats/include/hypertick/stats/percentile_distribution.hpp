// The classic HdrHistogram percentile distribution: the steps of Java's PercentileIterator
// (`ticks_per_half_distance` equal steps from 0% to 50%, as many from 50% to 75%, and so on,
// ending with one step at 100%), and the text outputPercentileDistribution prints from them,
// which HdrHistogram's plotFiles.html and hdr-plot parse.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hypertick/stats/histogram.hpp"

namespace hypertick::stats {

struct percentile_step {
    std::uint64_t value = 0;           // highest value equivalent to the slot reached
    double percentile = 0.0;           // the level iterated to, 0..100
    std::uint64_t count_to_value = 0;  // values at or below `value`
};

// Empty for an empty histogram. The last step is at exactly 100.
std::vector<percentile_step> percentile_steps(const histogram& h,
                                              std::uint32_t ticks_per_half_distance);

// outputPercentileDistribution's text, with values divided by `unit_ratio` (1 for the
// recorded unit, 1000 for ns recorded and us shown). `csv` gives its CSV variant.
std::string percentile_distribution_text(const histogram& h, std::uint32_t ticks_per_half_distance,
                                         double unit_ratio, bool csv);

}  // namespace hypertick::stats
