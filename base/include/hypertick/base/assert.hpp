// Assertions that stay on in release builds.
//
// An invariant that fails in production is a bug we want to stop at, not run past: HT_ASSERT is
// always compiled in and costs one predictable branch. HT_DEBUG_ASSERT is for checks that walk
// data structures (O(n)) and only runs in debug builds.
#pragma once

namespace hypertick::detail {
[[noreturn]] void assert_fail(const char* expr, const char* file, int line) noexcept;
}  // namespace hypertick::detail

#define HT_ASSERT(expr)                                                  \
    do {                                                                 \
        if (__builtin_expect(!(expr), 0))                                \
            ::hypertick::detail::assert_fail(#expr, __FILE__, __LINE__); \
    } while (0)

#ifdef NDEBUG
#define HT_DEBUG_ASSERT(expr) \
    do {                      \
    } while (0)
#else
#define HT_DEBUG_ASSERT(expr) HT_ASSERT(expr)
#endif
