// The frame pool: size classes, spill to a larger class, failures named, and the release check
// that stays on in release builds.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <vector>

#include "hypertick/frame_pool.hpp"

namespace ht = hypertick;

namespace {

struct pool_fixture {
    std::array<ht::frame_class, ht::max_frame_classes> classes = {
        ht::frame_class{64, 2}, ht::frame_class{256, 1}, ht::frame_class{}, ht::frame_class{}};
    std::vector<std::byte> memory;
    ht::frame_pool pool;

    pool_fixture() : memory(ht::frame_pool::required_bytes(classes)) {
        pool.init(classes, memory.data());
    }
};

}  // namespace

TEST(FramePool, TakesTheSmallestClassThatFitsThenSpills) {
    pool_fixture f;
    ht::frame_alloc_status status = ht::frame_alloc_status::no_pool;
    void* a = f.pool.allocate(40, status);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(status, ht::frame_alloc_status::no_pool);  // written only on failure
    void* b = f.pool.allocate(48, status);  // 48 + the 16-byte header fills a 64-byte slot
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(f.pool.in_use(0), 2u);
    void* c = f.pool.allocate(40, status);  // the small class is full: spills
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(f.pool.in_use(1), 1u);
    EXPECT_EQ(f.pool.allocate(40, status), nullptr);
    EXPECT_EQ(status, ht::frame_alloc_status::exhausted);
    EXPECT_EQ(f.pool.allocate(241, status), nullptr);
    EXPECT_EQ(status, ht::frame_alloc_status::too_large);
    ht::frame_pool::release(c);
    ht::frame_pool::release(b);
    ht::frame_pool::release(a);
    EXPECT_EQ(f.pool.in_use(0), 0u);
    EXPECT_EQ(f.pool.in_use(1), 0u);
    EXPECT_EQ(f.pool.peak_in_use(0), 2u);
    EXPECT_EQ(f.pool.largest_frame_bytes(), 240u);
}

TEST(FramePool, PeakAndInUseCountWithoutTheHotPathKeepingCounters) {
    pool_fixture f;
    ht::frame_alloc_status status = ht::frame_alloc_status::no_pool;
    void* a = f.pool.allocate(16, status);
    void* b = f.pool.allocate(16, status);
    EXPECT_EQ(f.pool.peak_in_use(0), 2u);
    ht::frame_pool::release(a);
    ht::frame_pool::release(b);
    EXPECT_EQ(f.pool.in_use(0), 0u);
    void* c = f.pool.allocate(16, status);  // a released slot: the peak stays
    EXPECT_EQ(c, b);
    EXPECT_EQ(f.pool.in_use(0), 1u);
    EXPECT_EQ(f.pool.peak_in_use(0), 2u);
    void* d = f.pool.allocate(16, status);
    EXPECT_EQ(d, a);
    EXPECT_EQ(f.pool.peak_in_use(0), 2u);
    ht::frame_pool::release(c);
    ht::frame_pool::release(d);
    EXPECT_EQ(f.pool.in_use(0), 0u);
    EXPECT_EQ(f.pool.peak_in_use(1), 0u);
}

TEST(FramePool, AFreedSlotIsHandedOutAgainFirst) {
    pool_fixture f;
    ht::frame_alloc_status status = ht::frame_alloc_status::no_pool;
    void* a = f.pool.allocate(16, status);
    ht::frame_pool::release(a);
    EXPECT_EQ(f.pool.allocate(16, status), a);
}

TEST(FramePoolDeathTest, ReleasingAFrameTwiceStopsEvenInReleaseBuilds) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    pool_fixture f;
    ht::frame_alloc_status status = ht::frame_alloc_status::no_pool;
    void* a = f.pool.allocate(16, status);
    ht::frame_pool::release(a);
    EXPECT_DEATH(ht::frame_pool::release(a), "magic");
}
