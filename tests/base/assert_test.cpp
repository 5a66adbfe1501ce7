// HT_ASSERT stops the process in every build type, release included, and names the expression.
#include "hypertick/base/assert.hpp"

#include <gtest/gtest.h>

namespace {

int checked_half(int even) {
    HT_ASSERT(even % 2 == 0);
    return even / 2;
}

TEST(BaseAssert, HoldsQuietly) {
    EXPECT_EQ(checked_half(8), 4);
}

TEST(BaseAssertDeathTest, FailureAbortsEvenInRelease) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH((void)checked_half(7), "assertion failed: even % 2 == 0");
}

}  // namespace
