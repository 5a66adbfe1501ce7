// Time sources for the executor: a calibrated TSC clock for production and a virtual clock for
// deterministic tests and simulation.
#pragma once

#include <cstdint>

namespace hypertick {

// Raw time-stamp counter. On x86-64 this is RDTSC (no serialisation: we time intervals of many
// instructions, not single ones). Elsewhere it falls back to CLOCK_MONOTONIC nanoseconds.
std::uint64_t read_tsc() noexcept;

class clock_source {
  public:
    virtual ~clock_source() = default;
    // Nanoseconds on this clock's own epoch. Must never go backwards.
    virtual std::uint64_t now_ns() noexcept = 0;
    // A simulated clock may jump forward to the next timer when nothing else can run.
    virtual bool can_jump() const noexcept { return false; }
    virtual void jump_to(std::uint64_t) noexcept {}
};

// Converts TSC ticks to nanoseconds with a rate measured against CLOCK_MONOTONIC, because the
// rate DPDK reports is rounded (0.2% off on this kind of VM, so 2 ms per second of drift).
class tsc_clock final : public clock_source {
  public:
    // Calibrates by busy-waiting `window_ns` (a start-up cost; 20 ms gives about 50 ppm).
    explicit tsc_clock(std::uint64_t window_ns = 20'000'000) noexcept;

    std::uint64_t now_ns() noexcept override { return to_ns(read_tsc()); }

    [[nodiscard]] std::uint64_t to_ns(std::uint64_t tsc) const noexcept {
        const unsigned __int128 delta = tsc - tsc_base_;
        return ns_base_ + static_cast<std::uint64_t>((delta * ns_per_tick_q32_) >> 32);
    }
    // Ticks for a duration: used to turn budgets into raw TSC comparisons.
    [[nodiscard]] std::uint64_t ns_to_ticks(std::uint64_t ns) const noexcept;
    [[nodiscard]] double ticks_per_ns() const noexcept { return ticks_per_ns_; }

    // Measures again over a longer window and keeps time continuous across the change.
    void recalibrate(std::uint64_t window_ns) noexcept;

  private:
    void calibrate(std::uint64_t window_ns) noexcept;

    std::uint64_t tsc_base_ = 0;
    std::uint64_t ns_base_ = 0;
    std::uint64_t ns_per_tick_q32_ = 0;  // nanoseconds per tick, 32.32 fixed point
    double ticks_per_ns_ = 1.0;
};

// Time moves only when told to. Under it the executor is fully deterministic.
class virtual_clock final : public clock_source {
  public:
    explicit virtual_clock(std::uint64_t start_ns = 0, bool auto_jump = true) noexcept
        : now_ns_(start_ns), auto_jump_(auto_jump) {}

    std::uint64_t now_ns() noexcept override { return now_ns_; }
    bool can_jump() const noexcept override { return auto_jump_; }
    void jump_to(std::uint64_t t) noexcept override { set(t); }

    void advance(std::uint64_t ns) noexcept { now_ns_ += ns; }
    void set(std::uint64_t t) noexcept {
        if (t > now_ns_) now_ns_ = t;
    }

  private:
    std::uint64_t now_ns_;
    bool auto_jump_;
};

}  // namespace hypertick
