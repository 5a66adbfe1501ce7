// The copy ring (copy_check.hpp): what it remembers, forgets, and how its hash tells copies
// apart.
#include "hypertick/feed/copy_check.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

using namespace hypertick::feed;

std::vector<uint8_t> pattern(uint32_t length) {
    std::vector<uint8_t> m(length);
    for (uint32_t i = 0; i < length; ++i) m[i] = static_cast<uint8_t>(i * 37 + 11);
    return m;
}

// Every length an ITCH message can have in practice, and past the three-chunk range: any one
// byte changed, by any bit, changes the hash; the same bytes always hash the same.
TEST(CopyCheck, AnyOneByteChangedChangesTheHash) {
    for (uint32_t length = 0; length <= 80; ++length) {
        const std::vector<uint8_t> m = pattern(length);
        const uint64_t h = message_hash(m.data(), static_cast<uint16_t>(length));
        ASSERT_EQ(h, message_hash(pattern(length).data(), static_cast<uint16_t>(length)));
        for (uint32_t at = 0; at < length; ++at) {
            for (int bit = 0; bit < 8; ++bit) {
                std::vector<uint8_t> forged = m;
                forged[at] ^= static_cast<uint8_t>(1u << bit);
                ASSERT_NE(message_hash(forged.data(), static_cast<uint16_t>(length)), h)
                    << "length " << length << " byte " << at << " bit " << bit;
            }
        }
    }
}

TEST(CopyCheck, MessagesOfOtherLengthsDiffer) {
    const std::vector<uint8_t> zeros(64, 0);
    for (uint16_t a = 0; a < 64; ++a)
        for (uint16_t b = static_cast<uint16_t>(a + 1); b < 64; ++b)
            ASSERT_NE(message_hash(zeros.data(), a), message_hash(zeros.data(), b))
                << a << " " << b;
}

TEST(CopyCheck, TheRingRemembersTheNewestNumbersOnly) {
    std::vector<uint8_t> memory(8 * sizeof(copy_record));
    copy_ring ring(memory.data(), 8);
    const std::vector<uint8_t> m = pattern(36);
    std::vector<uint8_t> other = m;
    other[20] ^= 1;
    for (uint64_t n = 1; n <= 20; ++n) ring.remember(n, m.data(), 36);
    EXPECT_EQ(ring.compare(20, m.data(), 36), copy_ring::verdict::same);
    EXPECT_EQ(ring.compare(13, m.data(), 36), copy_ring::verdict::same);
    EXPECT_EQ(ring.compare(13, other.data(), 36), copy_ring::verdict::different);
    EXPECT_EQ(ring.compare(12, m.data(), 36), copy_ring::verdict::forgotten);
    EXPECT_EQ(ring.compare(21, m.data(), 36), copy_ring::verdict::forgotten);
    ring.clear();
    EXPECT_EQ(ring.compare(20, m.data(), 36), copy_ring::verdict::forgotten);
}

TEST(CopyCheck, ADisabledRingComparesNothing) {
    copy_ring ring(nullptr, 0);
    EXPECT_FALSE(ring.enabled());
    const std::vector<uint8_t> m = pattern(20);
    EXPECT_EQ(ring.compare(1, m.data(), 20), copy_ring::verdict::forgotten);
    ring.clear();
}

}  // namespace
