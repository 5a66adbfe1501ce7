#include "hypertick/stats/histogram_layout.hpp"

#include <bit>

#include "hypertick/base/assert.hpp"

namespace hypertick::stats {

namespace {
constexpr std::uint32_t max_significant_digits = 5;
// Above this the doubling buckets would overflow 64 bits while the layout is computed.
constexpr std::uint64_t max_highest_trackable_value = std::uint64_t{1} << 62;

// Enough slots per bucket that two values 10^-digits apart (relative) never share one: log2 of
// half that many. Digits above the maximum are refused before this is used.
std::int32_t sub_bucket_half_count_magnitude(const histogram_params& params) noexcept {
    std::uint64_t largest_single_unit_value = 2;
    for (std::uint32_t d = 0; d < params.significant_digits && d < max_significant_digits; ++d)
        largest_single_unit_value *= 10;
    const auto sub_bucket_count_magnitude =
        static_cast<std::int32_t>(std::bit_width(largest_single_unit_value - 1));
    return (sub_bucket_count_magnitude > 1 ? sub_bucket_count_magnitude : 1) - 1;
}

// log2 of the lowest discernible value, rounded down.
std::int32_t unit_magnitude(const histogram_params& params) noexcept {
    return static_cast<std::int32_t>(std::bit_width(params.lowest_discernible_value) - 1);
}

}  // namespace

std::optional<std::string> params_error(const histogram_params& params) {
    if (params.lowest_discernible_value < 1) return "lowest discernible value must be at least 1";
    if (params.significant_digits > max_significant_digits)
        return "significant digits must be 0 to 5, got " +
               std::to_string(params.significant_digits);
    if (params.highest_trackable_value > max_highest_trackable_value)
        return "highest trackable value must be at most 2^62";
    if (params.highest_trackable_value / 2 < params.lowest_discernible_value)
        return "highest trackable value must be at least twice the lowest discernible value";
    // The first bucket spans the sub-buckets the digits need, scaled by the lowest value's
    // magnitude; past 2^62 it cannot be represented (the layout's bucket count would never be
    // reached). The same bound as HdrHistogram's.
    if (unit_magnitude(params) + sub_bucket_half_count_magnitude(params) > 61)
        return "lowest discernible value " + std::to_string(params.lowest_discernible_value) +
               " with " + std::to_string(params.significant_digits) +
               " significant digits needs values past 2^62";
    return std::nullopt;
}

histogram_layout::histogram_layout(const histogram_params& params) noexcept : params_(params) {
    HT_ASSERT(!params_error(params).has_value());
    sub_bucket_half_count_magnitude_ = sub_bucket_half_count_magnitude(params);
    sub_bucket_count_ = std::uint32_t{1} << (sub_bucket_half_count_magnitude_ + 1);
    sub_bucket_half_count_ = static_cast<std::int32_t>(sub_bucket_count_ / 2);
    unit_magnitude_ = unit_magnitude(params);
    sub_bucket_mask_ = std::uint64_t{sub_bucket_count_ - 1} << unit_magnitude_;

    // Count the doubling buckets needed until the first untrackable value exceeds `highest`.
    std::uint64_t smallest_untrackable = std::uint64_t{sub_bucket_count_} << unit_magnitude_;
    bucket_count_ = 1;
    while (smallest_untrackable <= params.highest_trackable_value) {
        smallest_untrackable <<= 1;
        ++bucket_count_;
    }
    counts_length_ = (bucket_count_ + 1) * (sub_bucket_count_ / 2);
    HT_ASSERT(index_of(params.highest_trackable_value) < counts_length_);
}

std::uint64_t histogram_layout::value_at_index(std::uint32_t index) const noexcept {
    HT_ASSERT(index < counts_length_);
    std::int32_t bucket = static_cast<std::int32_t>(index >> sub_bucket_half_count_magnitude_) - 1;
    std::int32_t sub_bucket =
        static_cast<std::int32_t>(index &
                                  (static_cast<std::uint32_t>(sub_bucket_half_count_) - 1)) +
        sub_bucket_half_count_;
    if (bucket < 0) {
        // The first bucket's lower half lives in slots 0 .. half-1.
        sub_bucket -= sub_bucket_half_count_;
        bucket = 0;
    }
    return static_cast<std::uint64_t>(sub_bucket) << (bucket + unit_magnitude_);
}

std::uint64_t histogram_layout::equivalent_range(std::uint64_t value) const noexcept {
    const std::int32_t bucket = bucket_of(value);
    const auto sub_bucket = static_cast<std::uint64_t>(value >> (bucket + unit_magnitude_));
    // The top slot of a bucket continues at the next bucket's step.
    const std::int32_t adjusted = sub_bucket >= sub_bucket_count_ ? bucket + 1 : bucket;
    return std::uint64_t{1} << (unit_magnitude_ + adjusted);
}

std::uint64_t histogram_layout::lowest_equivalent(std::uint64_t value) const noexcept {
    const std::int32_t bucket = bucket_of(value);
    const std::uint64_t sub_bucket = value >> (bucket + unit_magnitude_);
    return sub_bucket << (bucket + unit_magnitude_);
}

std::uint64_t histogram_layout::highest_equivalent(std::uint64_t value) const noexcept {
    return lowest_equivalent(value) + equivalent_range(value) - 1;
}

std::uint64_t histogram_layout::median_equivalent(std::uint64_t value) const noexcept {
    return lowest_equivalent(value) + (equivalent_range(value) >> 1);
}

}  // namespace hypertick::stats
