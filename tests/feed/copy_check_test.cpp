// The copy ring (copy_check.hpp): what it remembers, forgets, and how its hash tells copies
// apart.
#include "hypertick/feed/copy_check.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "test_support.hpp"

namespace {

using namespace hypertick::feed;
using feed_test::fixed_copy_key;

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
        const uint64_t h = message_hash(fixed_copy_key, m.data(), static_cast<uint16_t>(length));
        ASSERT_EQ(
            h, message_hash(fixed_copy_key, pattern(length).data(), static_cast<uint16_t>(length)));
        for (uint32_t at = 0; at < length; ++at) {
            for (int bit = 0; bit < 8; ++bit) {
                std::vector<uint8_t> forged = m;
                forged[at] ^= static_cast<uint8_t>(1u << bit);
                ASSERT_NE(
                    message_hash(fixed_copy_key, forged.data(), static_cast<uint16_t>(length)), h)
                    << "length " << length << " byte " << at << " bit " << bit;
            }
        }
    }
}

TEST(CopyCheck, MessagesOfOtherLengthsDiffer) {
    const std::vector<uint8_t> zeros(64, 0);
    for (uint16_t a = 0; a < 64; ++a)
        for (uint16_t b = static_cast<uint16_t>(a + 1); b < 64; ++b)
            ASSERT_NE(message_hash(fixed_copy_key, zeros.data(), a),
                      message_hash(fixed_copy_key, zeros.data(), b))
                << a << " " << b;
}

TEST(CopyCheck, TheRingRemembersTheNewestNumbersOnly) {
    std::vector<uint8_t> memory(8 * sizeof(copy_record));
    copy_ring ring(memory.data(), 8, fixed_copy_key);
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
    copy_ring ring(nullptr, 0, copy_key{});
    EXPECT_FALSE(ring.enabled());
    const std::vector<uint8_t> m = pattern(20);
    EXPECT_EQ(ring.compare(1, m.data(), 20), copy_ring::verdict::forgotten);
    ring.clear();
}

// The constants the hash used when they were fixed and public. A forger who knows the key
// words builds a collision offline: an A message (36 bytes) whose first word equals the word
// that mixes it zeroes the first chunk's product, and bytes 8 and 9 belong to that chunk only
// (the middle chunk starts at 10), so any value there gives the same hash.
constexpr copy_key public_constants{{0xA0761D6478BD642Full, 0xE7037ED1A0B428DBull,
                                     0x8EBC6AF09C88C6E3ull, 0x589965CC75374CC3ull,
                                     0x1D8E4E27C47D124Full, 0xEB44ACCAB455D165ull}};

std::vector<uint8_t> crafted_against(const copy_key& key, uint8_t byte_8) {
    std::vector<uint8_t> m = pattern(36);
    std::memcpy(m.data(), &key.words[3], 8);
    m[8] = byte_8;
    return m;
}

TEST(CopyCheck, ACollisionCraftedAgainstKnownKeyWordsDoesNotHoldUnderASecretKey) {
    const std::vector<uint8_t> real = crafted_against(public_constants, 0x11);
    const std::vector<uint8_t> forged = crafted_against(public_constants, 0xEE);
    ASSERT_NE(real, forged);
    EXPECT_EQ(message_hash(public_constants, real.data(), 36),
              message_hash(public_constants, forged.data(), 36));
    copy_key secret;
    ASSERT_EQ(draw_copy_key(secret), 0);
    EXPECT_NE(message_hash(secret, real.data(), 36), message_hash(secret, forged.data(), 36));
    EXPECT_NE(message_hash(fixed_copy_key, real.data(), 36),
              message_hash(fixed_copy_key, forged.data(), 36));

    // The ring the stream uses: with the public constants the forged copy is "verified".
    std::vector<uint8_t> memory(8 * sizeof(copy_record));
    copy_ring exposed(memory.data(), 8, public_constants);
    exposed.remember(5, forged.data(), 36);
    EXPECT_EQ(exposed.compare(5, real.data(), 36), copy_ring::verdict::same);
    copy_ring keyed(memory.data(), 8, secret);
    keyed.remember(5, forged.data(), 36);
    EXPECT_EQ(keyed.compare(5, real.data(), 36), copy_ring::verdict::different);
}

// The same message hashes differently under different keys, at every length: a hash learnt
// under one key says nothing about another process's.
TEST(CopyCheck, HashesDifferAcrossKeys) {
    copy_key other = fixed_copy_key;
    other.words[2] ^= 1;  // the word every length reads
    copy_key drawn;
    ASSERT_EQ(draw_copy_key(drawn), 0);
    for (uint32_t length = 0; length <= 80; ++length) {
        const std::vector<uint8_t> m = pattern(length);
        const auto size = static_cast<uint16_t>(length);
        const uint64_t h = message_hash(fixed_copy_key, m.data(), size);
        EXPECT_NE(h, message_hash(drawn, m.data(), size)) << length;
        EXPECT_NE(h, message_hash(public_constants, m.data(), size)) << length;
        EXPECT_NE(h, message_hash(other, m.data(), size)) << length;
    }
}

TEST(CopyCheck, KeysAreDrawnFreshEachTime) {
    copy_key a;
    copy_key b;
    EXPECT_FALSE(a.drawn());
    ASSERT_EQ(draw_copy_key(a), 0);
    ASSERT_EQ(draw_copy_key(b), 0);
    EXPECT_TRUE(a.drawn());
    EXPECT_NE(std::memcmp(a.words, b.words, sizeof a.words), 0);
}

// What the gateway refuses to start without: each way the kernel can fail to give a key.
ssize_t no_randomness(void*, std::size_t, unsigned) {
    errno = ENOSYS;
    return -1;
}
ssize_t zeros(void* buffer, std::size_t length, unsigned) {
    std::memset(buffer, 0, length);
    return static_cast<ssize_t>(length);
}
ssize_t nothing(void*, std::size_t, unsigned) {
    return 0;
}
int interruptions = 0;
// Interrupted twice, then three bytes a call: a key is still drawn whole.
ssize_t interrupted_then_slow(void* buffer, std::size_t length, unsigned) {
    if (interruptions++ < 2) {
        errno = EINTR;
        return -1;
    }
    const std::size_t n = length < 3 ? length : 3;
    std::memset(buffer, 0xA5, n);
    return static_cast<ssize_t>(n);
}

TEST(CopyCheck, AKeyThatCannotBeDrawnIsAnErrorAndNeverLooksDrawn) {
    copy_key key;
    EXPECT_EQ(draw_copy_key(key, no_randomness), ENOSYS);
    EXPECT_FALSE(key.drawn());
    EXPECT_EQ(draw_copy_key(key, zeros), EIO);
    EXPECT_FALSE(key.drawn());
    EXPECT_EQ(draw_copy_key(key, nothing), EIO);
    EXPECT_FALSE(key.drawn());
    interruptions = 0;
    EXPECT_EQ(draw_copy_key(key, interrupted_then_slow), 0);
    EXPECT_TRUE(key.drawn());
    for (const uint64_t w : key.words) EXPECT_EQ(w, 0xA5A5A5A5A5A5A5A5ull);
}

TEST(CopyCheckDeathTest, ARingThatComparesNeedsADrawnKey) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    std::vector<uint8_t> memory(8 * sizeof(copy_record));
    EXPECT_DEATH(copy_ring(memory.data(), 8, copy_key{}), "key.drawn");
}

}  // namespace
