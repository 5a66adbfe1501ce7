// A fixed-size recording histogram with HdrHistogram's bucket layout.
//
// The counts array is allocated once, at construction, either on the heap or in memory the
// caller provides (for example DPDK hugepage memory from rte_zmalloc_socket: ask
// required_bytes() first). record() never allocates, takes no lock and uses no atomic: one
// histogram belongs to one thread at a time (see interval_recorder for handing it over).
//
// Values above the highest trackable value are recorded as the highest trackable value and also
// counted in clamped_count(), so a report can say how many samples were off the scale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "hypertick/stats/histogram_layout.hpp"
#include "hypertick/stats/tsc_to_ns.hpp"

namespace hypertick::stats {

class histogram {
  public:
    // Bytes of counts storage a histogram with `params` needs (8-byte aligned).
    [[nodiscard]] static std::size_t required_bytes(const histogram_params& params) noexcept;

    // Allocates and zeroes its own counts.
    explicit histogram(const histogram_params& params = {});
    // Uses `memory` (at least required_bytes(params), 8-byte aligned, outliving the histogram)
    // and zeroes it. Never allocates.
    histogram(const histogram_params& params, std::span<std::byte> memory) noexcept;

    histogram(histogram&& other) noexcept;
    histogram& operator=(histogram&& other) noexcept;
    histogram(const histogram&) = delete;
    histogram& operator=(const histogram&) = delete;
    ~histogram() = default;

    // ---- recording: the hot path -------------------------------------------------------------
    void record(std::uint64_t value) noexcept { record_n(value, 1); }
    void record_n(std::uint64_t value, std::uint64_t count) noexcept {
        if (value > layout_.params().highest_trackable_value) [[unlikely]] {
            value = layout_.params().highest_trackable_value;
            clamped_count_ += count;
        }
        counts_[layout_.index_of(value)] += count;
        total_count_ += count;
        max_value_ = value > max_value_ ? value : max_value_;
        min_value_ = value < min_value_ ? value : min_value_;
    }
    // Records a duration measured in TSC ticks, in nanoseconds.
    void record_ticks(std::uint64_t ticks, const tsc_to_ns& rate) noexcept {
        record(rate.to_ns(ticks));
    }

    // ---- control plane ------------------------------------------------------------------------
    // Adds every count of `other` (any layout; values beyond this one's range are clamped).
    void add(const histogram& other) noexcept;
    // Back to empty, without freeing anything.
    void reset() noexcept;

    // ---- reading ------------------------------------------------------------------------------
    [[nodiscard]] const histogram_layout& layout() const noexcept { return layout_; }
    [[nodiscard]] const histogram_params& params() const noexcept { return layout_.params(); }
    [[nodiscard]] std::uint64_t total_count() const noexcept { return total_count_; }
    [[nodiscard]] std::uint64_t clamped_count() const noexcept { return clamped_count_; }
    [[nodiscard]] std::uint64_t count_at_index(std::uint32_t index) const noexcept;
    [[nodiscard]] std::span<const std::uint64_t> counts() const noexcept {
        return {counts_, layout_.counts_length()};
    }
    // As HdrHistogram reports them: the max is the highest value equivalent to the largest
    // recorded one, the min the lowest equivalent of the smallest; both 0 when empty.
    [[nodiscard]] std::uint64_t max() const noexcept;
    [[nodiscard]] std::uint64_t min() const noexcept;
    // Java/JS semantics: the highest value equivalent to the slot holding the
    // max(1, ceil(p/100 * total))-th value; p = 0 gives the lowest equivalent of the smallest.
    [[nodiscard]] std::uint64_t value_at_percentile(double percentile) const noexcept;
    // Over each slot's median value, as HdrHistogram computes them.
    [[nodiscard]] double mean() const noexcept;
    [[nodiscard]] double stddev() const noexcept;

  private:
    histogram_layout layout_;
    std::unique_ptr<std::uint64_t[]> owned_counts_;  // empty when the caller gave the memory
    std::uint64_t* counts_ = nullptr;
    std::uint64_t total_count_ = 0;
    std::uint64_t clamped_count_ = 0;
    std::uint64_t max_value_ = 0;
    std::uint64_t min_value_ = UINT64_MAX;
};

}  // namespace hypertick::stats
