#include "hypertick/stats/percentile_distribution.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "hypertick/base/assert.hpp"

namespace hypertick::stats {

namespace {

// The next level: steps of 100 / (ticks * 2^(k+1)) while the level is in the k-th
// half-distance to 100% (k = floor(log2(100 / (100 - level)))).
double next_level(double level, std::uint32_t ticks_per_half_distance) {
    const double half_distances = std::floor(std::log2(100.0 / (100.0 - level)));
    const double reporting_ticks = ticks_per_half_distance * std::pow(2.0, half_distances + 1.0);
    return level + 100.0 / reporting_ticks;
}

template <typename... Args>
void append_format(std::string& out, const char* format, Args... args) {
    char line[256];
    const int n = std::snprintf(line, sizeof line, format, args...);
    HT_ASSERT(n > 0 && static_cast<std::size_t>(n) < sizeof line);
    out.append(line, static_cast<std::size_t>(n));
}

// Java's Formatter (whose output the plotters were written against) rounds the shortest
// decimal that reads back as the double, half up; printf rounds the exact binary value. They
// differ when the shortest decimal ends in 5 at the cut: 0.9997802734375 is ...438 in Java,
// ...437 from printf. So: shortest decimal first, then round it as text. Values are >= 0.
std::string fixed_half_up(double value, int digits) {
    char shortest[400];
    const auto result =
        std::to_chars(shortest, shortest + sizeof shortest, value, std::chars_format::fixed);
    HT_ASSERT(result.ec == std::errc{});
    std::string text(shortest, result.ptr);
    std::size_t point = text.find('.');
    if (point == std::string::npos) {
        point = text.size();
        text += '.';
    }
    const std::size_t wanted = point + 1 + static_cast<std::size_t>(digits);
    const bool round_up = text.size() > wanted && text[wanted] >= '5';
    text.resize(wanted, '0');
    for (std::size_t i = text.size(); round_up && i-- > 0;) {
        if (text[i] == '.') continue;
        if (text[i] != '9') {
            ++text[i];
            break;
        }
        text[i] = '0';
        if (i == 0) text.insert(text.begin(), '1');
    }
    if (digits == 0) text.pop_back();  // no lone trailing point
    return text;
}

}  // namespace

std::vector<percentile_step> percentile_steps(const histogram& h,
                                              std::uint32_t ticks_per_half_distance) {
    HT_ASSERT(ticks_per_half_distance > 0);
    std::vector<percentile_step> steps;
    const std::uint64_t total = h.total_count();
    if (total == 0) return steps;
    const histogram_layout& layout = h.layout();
    double level = 0.0;
    std::uint64_t running = 0;
    // A non-empty slot below the last reports every level its cumulative percentile reaches;
    // the slot holding the last value reports the current level once and then 100%, as the
    // Java iterator does.
    for (std::uint32_t i = 0; i < layout.counts_length() && running < total; ++i) {
        const std::uint64_t count = h.count_at_index(i);
        if (count == 0) continue;
        running += count;
        const std::uint64_t value = layout.highest_equivalent(layout.value_at_index(i));
        const double reached = 100.0 * static_cast<double>(running) / static_cast<double>(total);
        if (running < total) {
            while (reached >= level) {
                steps.push_back({value, level, running});
                // Close to 100% the step falls below the resolution of a double and the level
                // stops moving (a total near 2^60 gets there): no later level would differ.
                const double next = next_level(level, ticks_per_half_distance);
                if (next <= level) break;
                level = next;
            }
        } else {
            steps.push_back({value, level, running});
            steps.push_back({value, 100.0, running});
        }
    }
    return steps;
}

std::string percentile_distribution_text(const histogram& h, std::uint32_t ticks_per_half_distance,
                                         double unit_ratio, bool csv) {
    HT_ASSERT(unit_ratio > 0.0);
    const int digits = static_cast<int>(h.params().significant_digits);
    std::string out = csv ? "\"Value\",\"Percentile\",\"TotalCount\",\"1/(1-Percentile)\"\n"
                          : "       Value     Percentile TotalCount 1/(1-Percentile)\n\n";
    for (const percentile_step& step : percentile_steps(h, ticks_per_half_distance)) {
        const double value = static_cast<double>(step.value) / unit_ratio;
        const double fraction = step.percentile / 100.0;
        const auto count = static_cast<unsigned long long>(step.count_to_value);
        const std::string value_text = fixed_half_up(value, digits);
        const std::string fraction_text = fixed_half_up(fraction, 12);
        if (step.percentile != 100.0) {
            const std::string inverse_text = fixed_half_up(1.0 / (1.0 - fraction), 2);
            append_format(out, csv ? "%s,%s,%llu,%s\n" : "%12s %2s %10llu %14s\n",
                          value_text.c_str(), fraction_text.c_str(), count, inverse_text.c_str());
        } else {
            append_format(out, csv ? "%s,%s,%llu,Infinity\n" : "%12s %2s %10llu\n",
                          value_text.c_str(), fraction_text.c_str(), count);
        }
    }
    if (csv) return out;
    append_format(out, "#[Mean    = %12s, StdDeviation   = %12s]\n",
                  fixed_half_up(h.mean() / unit_ratio, digits).c_str(),
                  fixed_half_up(h.stddev() / unit_ratio, digits).c_str());
    append_format(out, "#[Max     = %12s, Total count    = %12llu]\n",
                  fixed_half_up(static_cast<double>(h.max()) / unit_ratio, digits).c_str(),
                  static_cast<unsigned long long>(h.total_count()));
    append_format(out, "#[Buckets = %12u, SubBuckets     = %12u]\n", h.layout().bucket_count(),
                  h.layout().sub_bucket_count());
    return out;
}

}  // namespace hypertick::stats
