#include "hypertick/stats/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "hypertick/base/assert.hpp"

namespace hypertick::stats {

std::size_t histogram::required_bytes(const histogram_params& params) noexcept {
    return std::size_t{histogram_layout(params).counts_length()} * sizeof(std::uint64_t);
}

histogram::histogram(const histogram_params& params)
    : layout_(params),
      owned_counts_(std::make_unique<std::uint64_t[]>(layout_.counts_length())),
      counts_(owned_counts_.get()) {}

histogram::histogram(const histogram_params& params, std::span<std::byte> memory) noexcept
    : layout_(params) {
    HT_ASSERT(memory.size() >= required_bytes(params));
    HT_ASSERT(reinterpret_cast<std::uintptr_t>(memory.data()) % alignof(std::uint64_t) == 0);
    counts_ = reinterpret_cast<std::uint64_t*>(memory.data());
    std::memset(counts_, 0, required_bytes(params));
}

histogram::histogram(histogram&& other) noexcept
    : layout_(other.layout_),
      owned_counts_(std::move(other.owned_counts_)),
      counts_(std::exchange(other.counts_, nullptr)),
      total_count_(other.total_count_),
      clamped_count_(other.clamped_count_),
      max_value_(other.max_value_),
      min_value_(other.min_value_) {}

histogram& histogram::operator=(histogram&& other) noexcept {
    if (this != &other) {
        layout_ = other.layout_;
        owned_counts_ = std::move(other.owned_counts_);
        counts_ = std::exchange(other.counts_, nullptr);
        total_count_ = other.total_count_;
        clamped_count_ = other.clamped_count_;
        max_value_ = other.max_value_;
        min_value_ = other.min_value_;
    }
    return *this;
}

void histogram::add(const histogram& other) noexcept {
    HT_ASSERT(counts_ != nullptr && other.counts_ != nullptr);
    if (other.total_count_ == 0) return;
    if (other.layout_.params() == layout_.params()) {
        for (std::uint32_t i = 0; i < layout_.counts_length(); ++i) counts_[i] += other.counts_[i];
        total_count_ += other.total_count_;
        max_value_ = std::max(max_value_, other.max_value_);
        min_value_ = std::min(min_value_, other.min_value_);
    } else {
        // Each slot of `other` re-recorded at its lowest value lands in the matching slot here
        // whenever this layout is at least as fine.
        for (std::uint32_t i = 0; i < other.layout_.counts_length(); ++i) {
            if (other.counts_[i] != 0) record_n(other.layout_.value_at_index(i), other.counts_[i]);
        }
        const std::uint64_t highest = layout_.params().highest_trackable_value;
        max_value_ = std::max(max_value_, std::min(other.max_value_, highest));
    }
    clamped_count_ += other.clamped_count_;
}

void histogram::reset() noexcept {
    HT_ASSERT(counts_ != nullptr);
    std::memset(counts_, 0, std::size_t{layout_.counts_length()} * sizeof(std::uint64_t));
    total_count_ = 0;
    clamped_count_ = 0;
    max_value_ = 0;
    min_value_ = UINT64_MAX;
}

std::uint64_t histogram::count_at_index(std::uint32_t index) const noexcept {
    HT_ASSERT(index < layout_.counts_length());
    return counts_[index];
}

std::uint64_t histogram::max() const noexcept {
    return total_count_ == 0 ? 0 : layout_.highest_equivalent(max_value_);
}

std::uint64_t histogram::min() const noexcept {
    return total_count_ == 0 ? 0 : layout_.lowest_equivalent(min_value_);
}

std::uint64_t histogram::value_at_percentile(double percentile) const noexcept {
    if (total_count_ == 0) return 0;
    const double requested = std::clamp(percentile, 0.0, 100.0);
    const double fp_count = requested / 100.0 * static_cast<double>(total_count_);
    // The product can come out one ulp above the true integer; stepping back one ulp before
    // rounding up keeps p of exactly k/total at the k-th value, as the Java and JS code do.
    const double ulp = std::nextafter(fp_count, INFINITY) - fp_count;
    const auto count_at =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(fp_count - ulp)));
    std::uint64_t running = 0;
    for (std::uint32_t i = 0; i < layout_.counts_length(); ++i) {
        running += counts_[i];
        if (running >= count_at) {
            const std::uint64_t value = layout_.value_at_index(i);
            return requested == 0.0 ? layout_.lowest_equivalent(value)
                                    : layout_.highest_equivalent(value);
        }
    }
    HT_ASSERT(false && "total_count_ disagrees with the counts");
    return 0;
}

double histogram::mean() const noexcept {
    if (total_count_ == 0) return 0.0;
    double total = 0.0;
    for (std::uint32_t i = 0; i < layout_.counts_length(); ++i) {
        if (counts_[i] == 0) continue;
        total += static_cast<double>(layout_.median_equivalent(layout_.value_at_index(i))) *
                 static_cast<double>(counts_[i]);
    }
    return total / static_cast<double>(total_count_);
}

double histogram::stddev() const noexcept {
    if (total_count_ == 0) return 0.0;
    const double average = mean();
    double squares = 0.0;
    for (std::uint32_t i = 0; i < layout_.counts_length(); ++i) {
        if (counts_[i] == 0) continue;
        const double deviation =
            static_cast<double>(layout_.median_equivalent(layout_.value_at_index(i))) - average;
        squares += deviation * deviation * static_cast<double>(counts_[i]);
    }
    return std::sqrt(squares / static_cast<double>(total_count_));
}

}  // namespace hypertick::stats
