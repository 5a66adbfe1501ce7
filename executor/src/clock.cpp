#include "hypertick/clock.hpp"

#include <time.h>

#include "hypertick/base/assert.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace hypertick {
namespace {

std::uint64_t monotonic_ns() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace

std::uint64_t read_tsc() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    return __rdtsc();
#else
    return monotonic_ns();
#endif
}

tsc_clock::tsc_clock(std::uint64_t window_ns) noexcept {
    calibrate(window_ns);
    ns_base_ = monotonic_ns();
}

void tsc_clock::calibrate(std::uint64_t window_ns) noexcept {
    HT_ASSERT(window_ns > 0);
    // Pair each TSC read with the monotonic read beside it, at both ends of the window.
    const std::uint64_t t0 = monotonic_ns();
    const std::uint64_t c0 = read_tsc();
    std::uint64_t t1 = t0;
    std::uint64_t c1 = c0;
    while (t1 - t0 < window_ns) {
        t1 = monotonic_ns();
        c1 = read_tsc();
    }
    HT_ASSERT(c1 > c0);
    const double ns_per_tick = static_cast<double>(t1 - t0) / static_cast<double>(c1 - c0);
    ticks_per_ns_ = 1.0 / ns_per_tick;
    ns_per_tick_q32_ = static_cast<std::uint64_t>(ns_per_tick * 4294967296.0);
    tsc_base_ = c1;
}

void tsc_clock::recalibrate(std::uint64_t window_ns) noexcept {
    const tsc_clock before = *this;
    calibrate(window_ns);
    // Continue from where the old rate had reached at the new base: time never steps back.
    ns_base_ = before.to_ns(tsc_base_);
}

std::uint64_t tsc_clock::ns_to_ticks(std::uint64_t ns) const noexcept {
    return static_cast<std::uint64_t>(static_cast<double>(ns) * ticks_per_ns_);
}

}  // namespace hypertick
