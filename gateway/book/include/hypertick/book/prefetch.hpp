// Starts loading one cache line that the book is about to write.
//
// Why not __builtin_prefetch alone: g++ treats it as free of side effects, so a function whose
// only effects are prefetches counts as pure, and a call to it whose result is unused is deleted
// (g++ 12 at -O3 silently dropped a whole helper that prefetched an add's level search window).
// An `asm volatile` statement is never deleted, so on x86-64 the prefetch is written as one.
#pragma once

namespace hypertick::book {

inline void prefetch_line(const void* address) {
#if defined(__x86_64__)
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
    __builtin_prefetch(address, 1, 3);
#endif
}

}  // namespace hypertick::book
