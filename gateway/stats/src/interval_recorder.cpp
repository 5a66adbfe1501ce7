#include "hypertick/stats/interval_recorder.hpp"

#include "hypertick/base/assert.hpp"

namespace hypertick::stats {

interval_recorder::interval_recorder(const histogram_params& params, tsc_to_ns rate)
    : buffers_{histogram(params), histogram(params)}, active_(&buffers_[0]), rate_(rate) {}

interval_recorder::interval_recorder(const histogram_params& params, tsc_to_ns rate,
                                     std::span<std::byte> memory) noexcept
    : buffers_{histogram(params, memory.first(histogram::required_bytes(params))),
               histogram(params, memory.subspan(histogram::required_bytes(params)))},
      active_(&buffers_[0]),
      rate_(rate) {
    HT_ASSERT(memory.size() >= required_bytes(params));
}

void interval_recorder::swap() noexcept {
    const std::uint32_t finished = active_index_;
    active_index_ ^= 1U;
    active_ = &buffers_[active_index_];
    state_.store(state_published_base + finished, std::memory_order_release);
}

bool interval_recorder::request_swap() noexcept {
    if (state_.load(std::memory_order_acquire) != state_idle) return false;
    state_.store(state_requested, std::memory_order_release);
    return true;
}

const histogram* interval_recorder::try_take() const noexcept {
    const std::uint32_t state = state_.load(std::memory_order_acquire);
    if (state < state_published_base) return nullptr;
    return &buffers_[state - state_published_base];
}

void interval_recorder::recycle() noexcept {
    const std::uint32_t state = state_.load(std::memory_order_acquire);
    HT_ASSERT(state >= state_published_base);
    buffers_[state - state_published_base].reset();
    state_.store(state_idle, std::memory_order_release);
}

}  // namespace hypertick::stats
