// One (worker lcore, metric) pair's histograms, handed between the worker that records and the
// control-plane thread that writes interval logs, without the worker ever stopping recording
// and without the worker encoding, allocating or doing I/O.
//
// Protocol (two histograms, "active" and "spare", and one atomic word `state_`):
//
//   state        who owns the spare   what happens next
//   -----------  -------------------  -------------------------------------------------------
//   idle         control plane        control: spare is empty; request_swap() -> requested
//   requested    worker               worker, in service(): records into the spare from now
//                                     on, publishes the old active -> published(i)
//   published(i) control plane        control: try_take() returns histogram i; it encodes it,
//                                     then recycle() empties it -> idle
//
// Every transition is one store by the side that owns the spare, so no compare-and-swap is
// needed: request_swap() stores `requested` with release (the reset spare happens-before the
// worker records into it), service() loads it with acquire and stores published(i) with release
// (every count recorded into i happens-before the control plane reads it), try_take() loads it
// with acquire. The record path touches only the active histogram, a plain pointer that only
// the worker reads: no atomic on it. service() costs one load when nothing is asked.
//
// An interval ends when the worker reaches service(), not when the control plane asks: the
// interval boundary is late by at most one pass of the worker's loop.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "hypertick/stats/histogram.hpp"
#include "hypertick/stats/tsc_to_ns.hpp"

namespace hypertick::stats {

class interval_recorder {
  public:
    [[nodiscard]] static std::size_t required_bytes(const histogram_params& params) noexcept {
        return 2 * histogram::required_bytes(params);
    }

    explicit interval_recorder(const histogram_params& params = {}, tsc_to_ns rate = {});
    // Both histograms live in `memory` (required_bytes(params), 8-byte aligned).
    interval_recorder(const histogram_params& params, tsc_to_ns rate,
                      std::span<std::byte> memory) noexcept;

    interval_recorder(const interval_recorder&) = delete;
    interval_recorder& operator=(const interval_recorder&) = delete;

    // ---- worker thread ------------------------------------------------------------------------
    void record(std::uint64_t value_ns) noexcept { active_->record(value_ns); }
    // `count` samples of the same value at the cost of one (e.g. every message of a datagram).
    void record_n(std::uint64_t value_ns, std::uint64_t count) noexcept {
        active_->record_n(value_ns, count);
    }
    void record_ticks(std::uint64_t ticks) noexcept { active_->record(rate_.to_ns(ticks)); }
    // Call at a safe point of the loop (not inside record()). Swaps when the control plane asked.
    void service() noexcept {
        if (state_.load(std::memory_order_acquire) == state_requested) [[unlikely]]
            swap();
    }

    // ---- control-plane thread -----------------------------------------------------------------
    // Asks the worker to start a new interval. Only when idle (after recycle()); returns false
    // and does nothing otherwise.
    bool request_swap() noexcept;
    // The finished interval once the worker has swapped, or nullptr while it has not yet.
    [[nodiscard]] const histogram* try_take() const noexcept;
    // Empties the taken histogram and makes it the next spare (state back to idle).
    void recycle() noexcept;
    // After the worker thread has been joined: its active histogram, for the last interval at
    // exit. Calling this while the worker may still run is a data race.
    [[nodiscard]] const histogram& active_after_worker_stopped() const noexcept { return *active_; }

    [[nodiscard]] const tsc_to_ns& rate() const noexcept { return rate_; }

  private:
    static constexpr std::uint32_t state_idle = 0;
    static constexpr std::uint32_t state_requested = 1;
    static constexpr std::uint32_t state_published_base = 2;  // + index of the finished histogram

    void swap() noexcept;

    histogram buffers_[2];
    // Worker-owned: written by swap(), read by record(); never read by the control plane while
    // the worker runs.
    alignas(64) histogram* active_;
    std::uint32_t active_index_ = 0;
    tsc_to_ns rate_;
    // Shared: on its own cache line so the worker's loads do not share a line with its writes.
    alignas(64) std::atomic<std::uint32_t> state_{state_idle};
};

}  // namespace hypertick::stats
