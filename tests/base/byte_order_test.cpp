// Big-endian loads and stores: the byte layout on the wire, and a store read back by its load.
#include "hypertick/base/byte_order.hpp"

#include <gtest/gtest.h>

#include <array>

namespace base = hypertick::base;

namespace {

TEST(BaseByteOrder, StoresMostSignificantByteFirst) {
    std::array<uint8_t, 8> b{};
    base::store_be16(b.data(), 0x1234);
    EXPECT_EQ(b[0], 0x12);
    EXPECT_EQ(b[1], 0x34);
    base::store_be32(b.data(), 0x0a000001);
    EXPECT_EQ((std::array<uint8_t, 4>{b[0], b[1], b[2], b[3]}),
              (std::array<uint8_t, 4>{10, 0, 0, 1}));
    base::store_be64(b.data(), 0x0102030405060708ull);
    EXPECT_EQ(b, (std::array<uint8_t, 8>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(BaseByteOrder, LoadsWhatWasStoredAtAnyAlignment) {
    std::array<uint8_t, 16> b{};
    for (std::size_t at = 0; at < 8; ++at) {
        base::store_be16(b.data() + at, 0xbeef);
        EXPECT_EQ(base::load_be16(b.data() + at), 0xbeef);
        base::store_be32(b.data() + at, 0xdeadbeef);
        EXPECT_EQ(base::load_be32(b.data() + at), 0xdeadbeefu);
        base::store_be48(b.data() + at, 0x123456789abcull);  // an ITCH timestamp
        EXPECT_EQ(base::load_be48(b.data() + at), 0x123456789abcull);
        base::store_be64(b.data() + at, 0xfedcba9876543210ull);
        EXPECT_EQ(base::load_be64(b.data() + at), 0xfedcba9876543210ull);
    }
}

}  // namespace
