// The run queue: a power-of-two ring of 32-bit task indices.
//
// Its capacity is at least the slab's task count and a task is queued at most once (the slot's
// `queued` flag), so a push can never find it full. That holds by construction (the executor
// checks the capacity once, when it starts); debug and sanitizer builds also check every push.
#pragma once

#include <cstdint>

#include "hypertick/base/assert.hpp"

namespace hypertick {

class run_queue {
  public:
    run_queue() noexcept = default;
    // `storage` holds `capacity` entries; capacity must be a power of two.
    void init(std::uint32_t* storage, std::uint32_t capacity) noexcept {
        HT_ASSERT(storage != nullptr);
        HT_ASSERT(capacity != 0 && (capacity & (capacity - 1)) == 0);
        ring_ = storage;
        mask_ = capacity - 1;
        head_ = tail_ = 0;
    }

    // Returns the queue's size after the push.
    std::uint32_t push(std::uint32_t task_index) noexcept {
        HT_DEBUG_ASSERT(size() <= mask_);  // never full: see the header comment
        const std::uint32_t tail = tail_;
        ring_[tail & mask_] = task_index;
        tail_ = tail + 1;
        return tail + 1 - head_;
    }
    [[nodiscard]] std::uint32_t pop() noexcept {
        HT_ASSERT(!empty());
        const std::uint32_t task_index = ring_[head_ & mask_];
        ++head_;
        return task_index;
    }
    // A yield's turn through a queue that holds other tasks: pushes `task_index` and pops the
    // head in one step, reading the head and tail once. `depth` is the size after the push.
    // The queue must not be empty (else the entry pushed would be the one popped).
    [[nodiscard]] std::uint32_t push_pop(std::uint32_t task_index, std::uint32_t& depth) noexcept {
        const std::uint32_t head = head_;
        const std::uint32_t tail = tail_;
        HT_DEBUG_ASSERT(tail != head && tail - head <= mask_);  // not empty, never full
        std::uint32_t* const ring = ring_;
        const std::uint32_t mask = mask_;
        const std::uint32_t next = ring[head & mask];
        ring[tail & mask] = task_index;
        tail_ = tail + 1;
        head_ = head + 1;
        depth = tail + 1 - head;
        return next;
    }
    [[nodiscard]] bool empty() const noexcept { return head_ == tail_; }
    [[nodiscard]] std::uint32_t size() const noexcept { return tail_ - head_; }
    [[nodiscard]] std::uint32_t capacity() const noexcept { return mask_ + 1; }

    // Entry `i` counted from the head (0 = next to run); used to shuffle a ready batch.
    std::uint32_t& at(std::uint32_t i) noexcept {
        HT_ASSERT(i < size());
        return ring_[(head_ + i) & mask_];
    }

  private:
    std::uint32_t* ring_ = nullptr;
    std::uint32_t mask_ = 0;
    // Free-running counters; unsigned wrap-around keeps tail - head correct.
    std::uint32_t head_ = 0;
    std::uint32_t tail_ = 0;
};

}  // namespace hypertick
