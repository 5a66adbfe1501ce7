// One zero-filled block of memory, obtained once at construction and never resized.
//
// Why not std::vector: a vector invites growth. This type has no way to grow, so a table built
// on it cannot allocate after start-up. Large blocks come from calloc, i.e. fresh zero pages
// that only become resident when touched; `prefault` touches every page up front so the hot
// path never takes a page fault (the gateway wants that; book_replay reports both figures).
// Blocks of 2 MiB or more are instead mapped on their own, 2 MiB aligned and advised for
// transparent huge pages (fewer TLB misses on the randomly probed order table); their resident
// size is rounded up to whole 2 MiB pages. Every block starts on a 64-byte cache line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "hypertick/base/assert.hpp"
#include "hypertick/book/memory_source.hpp"

namespace hypertick::book {

class fixed_memory {
  public:
    fixed_memory() = default;
    // Returns false (and owns nothing) when the memory is not available.
    bool allocate(size_t bytes, memory_allocation how);
    ~fixed_memory();
    fixed_memory(const fixed_memory&) = delete;
    fixed_memory& operator=(const fixed_memory&) = delete;

    uint8_t* data() const { return data_; }
    size_t size() const { return size_; }

  private:
    void release();

    uint8_t* data_ = nullptr;
    size_t size_ = 0;
    size_t mapped_ = 0;          // non-zero: data_ is our own huge-page mapping of this many bytes
    void* allocated_ = nullptr;  // calloc's block (data_ is it rounded up to a cache line)
    const memory_source* source_ = nullptr;
};

// A fixed-length array of trivially copyable T on fixed_memory; all elements start zeroed.
template <class T>
class fixed_array {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

  public:
    bool allocate(size_t count, memory_allocation how) {
        count_ = count;
        if (!memory_.allocate(count * sizeof(T), how)) return false;
        HT_ASSERT(reinterpret_cast<uintptr_t>(memory_.data()) % alignof(T) == 0);
        return true;
    }
    T* data() const { return reinterpret_cast<T*>(memory_.data()); }
    T& operator[](size_t i) const { return data()[i]; }
    size_t size() const { return count_; }
    size_t bytes() const { return memory_.size(); }

  private:
    fixed_memory memory_;
    size_t count_ = 0;
};

}  // namespace hypertick::book
