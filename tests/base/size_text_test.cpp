// Byte counts as text: KiB rounded up, MiB with one decimal.
#include "hypertick/base/size_text.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace base = hypertick::base;

namespace {

TEST(BaseSizeText, KibRoundsUp) {
    EXPECT_EQ(base::kib(0), "0 KiB");
    EXPECT_EQ(base::kib(1), "1 KiB");
    EXPECT_EQ(base::kib(1024), "1 KiB");
    EXPECT_EQ(base::kib(1025), "2 KiB");
    EXPECT_EQ(base::kib(std::numeric_limits<std::uint64_t>::max()),
              "18014398509481984 KiB");  // no overflow
}

TEST(BaseSizeText, MibHasOneDecimal) {
    EXPECT_EQ(base::mib(0), "0.0 MiB");
    EXPECT_EQ(base::mib(512u << 20), "512.0 MiB");
    EXPECT_EQ(base::mib((12u << 20) + (3u << 20) / 10 + 1), "12.3 MiB");
}

}  // namespace
