#include "hypertick/base/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace hypertick::detail {

// Cold path: formatting here is fine, the process is about to abort.
[[noreturn]] __attribute__((noinline, cold)) void assert_fail(const char* expr, const char* file,
                                                              int line) noexcept {
    std::fprintf(stderr, "hypertick: assertion failed: %s (%s:%d)\n", expr, file, line);
    std::fflush(stderr);
    std::abort();
}

}  // namespace hypertick::detail
