// The bucket layout of an HdrHistogram: which counts-array slot a value falls in, and which
// range of values share that slot. Kept apart from the histogram so the encoder, the decoder and
// the report can reason about slots without owning any counts.
//
// Values are split into buckets of doubling width; each bucket has `sub_bucket_count` slots
// (the first bucket uses all of them, the others only their upper half, because their lower
// half would repeat the previous bucket at a coarser step). A slot's width is at most
// 1 / 10^significant_digits of its value, which is what "significant digits" promises.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hypertick::stats {

struct histogram_params {
    // Smallest value that is kept apart from its neighbours (1 = nanosecond resolution). Values
    // below it still count, in the first slot.
    std::uint64_t lowest_discernible_value = 1;
    // Largest value that is counted as itself; larger ones are clamped to it and also counted
    // as clamped. Default: 10 seconds in nanoseconds.
    std::uint64_t highest_trackable_value = 10'000'000'000;
    // Relative precision: 3 means every value is known to within 0.1%.
    std::uint32_t significant_digits = 3;

    friend bool operator==(const histogram_params&, const histogram_params&) = default;
};

// Why `params` cannot describe a histogram (lowest < 1, highest < 2 * lowest, digits > 5,
// highest above 2^62), or nothing when they can.
std::optional<std::string> params_error(const histogram_params& params);

class histogram_layout {
  public:
    // `params` must be valid (see params_error).
    explicit histogram_layout(const histogram_params& params) noexcept;

    [[nodiscard]] const histogram_params& params() const noexcept { return params_; }
    [[nodiscard]] std::uint32_t counts_length() const noexcept { return counts_length_; }
    [[nodiscard]] std::uint32_t bucket_count() const noexcept { return bucket_count_; }
    [[nodiscard]] std::uint32_t sub_bucket_count() const noexcept { return sub_bucket_count_; }

    // Slot of `value`. Valid for every value up to the highest trackable one; the hot path of
    // record() is this function, so it is branch-free and inline.
    [[nodiscard]] std::uint32_t index_of(std::uint64_t value) const noexcept {
        const std::int32_t bucket = bucket_of(value);
        const auto sub_bucket = static_cast<std::int32_t>(value >> (bucket + unit_magnitude_));
        return static_cast<std::uint32_t>(((bucket + 1) << sub_bucket_half_count_magnitude_) +
                                          sub_bucket - sub_bucket_half_count_);
    }

    // Smallest value that lands in slot `index`.
    [[nodiscard]] std::uint64_t value_at_index(std::uint32_t index) const noexcept;
    [[nodiscard]] std::uint64_t lowest_equivalent(std::uint64_t value) const noexcept;
    [[nodiscard]] std::uint64_t highest_equivalent(std::uint64_t value) const noexcept;
    // Middle of the slot: what the mean and standard deviation use for every value in it.
    [[nodiscard]] std::uint64_t median_equivalent(std::uint64_t value) const noexcept;
    // Width of the slot holding `value`.
    [[nodiscard]] std::uint64_t equivalent_range(std::uint64_t value) const noexcept;

  private:
    [[nodiscard]] std::int32_t bucket_of(std::uint64_t value) const noexcept {
        const std::int32_t magnitude = 64 - __builtin_clzll(value | sub_bucket_mask_);
        return magnitude - unit_magnitude_ - (sub_bucket_half_count_magnitude_ + 1);
    }

    histogram_params params_;
    std::int32_t unit_magnitude_ = 0;
    std::int32_t sub_bucket_half_count_magnitude_ = 0;
    std::int32_t sub_bucket_half_count_ = 0;
    std::uint32_t sub_bucket_count_ = 0;
    std::uint64_t sub_bucket_mask_ = 0;
    std::uint32_t bucket_count_ = 0;
    std::uint32_t counts_length_ = 0;
};

}  // namespace hypertick::stats
