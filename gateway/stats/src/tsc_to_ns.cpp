#include "hypertick/stats/tsc_to_ns.hpp"

#include <cmath>

#include "hypertick/base/assert.hpp"
#include "hypertick/clock.hpp"

namespace hypertick::stats {

tsc_to_ns::tsc_to_ns(double ticks_per_ns) noexcept {
    HT_ASSERT(ticks_per_ns > 0.0 && std::isfinite(ticks_per_ns));
    ns_per_tick_q32_ = static_cast<std::uint64_t>(std::llround(4294967296.0 / ticks_per_ns));
    HT_ASSERT(ns_per_tick_q32_ > 0);
}

tsc_to_ns::tsc_to_ns(const tsc_clock& clock) noexcept : tsc_to_ns(clock.ticks_per_ns()) {}

}  // namespace hypertick::stats
