// TSC ticks to nanoseconds with one multiply and one shift, for the record path.
#pragma once

#include <cstdint>

namespace hypertick {
class tsc_clock;
}

namespace hypertick::stats {

class tsc_to_ns {
  public:
    // One tick per nanosecond: for tests and for values already in nanoseconds.
    tsc_to_ns() noexcept = default;
    // `ticks_per_ns` from a calibration, e.g. hypertick::tsc_clock::ticks_per_ns(); must be > 0.
    explicit tsc_to_ns(double ticks_per_ns) noexcept;
    explicit tsc_to_ns(const tsc_clock& clock) noexcept;

    [[nodiscard]] std::uint64_t to_ns(std::uint64_t ticks) const noexcept {
        // 32.32 fixed point, rounded to the nearest nanosecond: exact to well under a nanosecond
        // for any interval below 2^32 ticks, and the 128-bit product cannot overflow.
        const unsigned __int128 q32 = static_cast<unsigned __int128>(ticks) * ns_per_tick_q32_;
        return static_cast<std::uint64_t>((q32 + (std::uint64_t{1} << 31)) >> 32);
    }
    [[nodiscard]] std::uint64_t ns_per_tick_q32() const noexcept { return ns_per_tick_q32_; }

  private:
    std::uint64_t ns_per_tick_q32_ = std::uint64_t{1} << 32;
};

}  // namespace hypertick::stats
