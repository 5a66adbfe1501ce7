// Counts every heap call: malloc, calloc, realloc, aligned allocations, free, and every form of
// global operator new and delete.
//
// Linking this library into an executable replaces those functions with counting versions that
// forward to glibc's own allocator. Under AddressSanitizer (which owns malloc) it installs
// ASan's allocation hooks instead. Counts are kept per process and per thread, so a test can
// prove that one thread (a worker lcore, an executor's run()) made no heap call at all while
// others did.
#pragma once

#include <cstdint>

namespace hypertick::testing {

struct alloc_counts {
    std::uint64_t allocations = 0;  // malloc, calloc, realloc, aligned forms, operator new
    std::uint64_t frees = 0;        // free, realloc of a non-null pointer, operator delete

    [[nodiscard]] std::uint64_t total() const noexcept { return allocations + frees; }
    alloc_counts operator-(const alloc_counts& earlier) const noexcept {
        return {allocations - earlier.allocations, frees - earlier.frees};
    }
};

alloc_counts process_alloc_counts() noexcept;
alloc_counts thread_alloc_counts() noexcept;
// False if the counting hooks are not in place (then every count stays 0 and proves nothing).
bool alloc_counting_active() noexcept;

// Counts heap calls made by the current thread between construction and the call.
class thread_alloc_scope {
  public:
    thread_alloc_scope() noexcept : start_(thread_alloc_counts()) {}
    [[nodiscard]] alloc_counts counts() const noexcept { return thread_alloc_counts() - start_; }

  private:
    alloc_counts start_;
};

}  // namespace hypertick::testing
