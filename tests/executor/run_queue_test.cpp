// The run queue's ring: order, size and the push_pop step a yield through the ring takes.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "hypertick/run_queue.hpp"

namespace ht = hypertick;

// push_pop puts the entry at the tail and takes the head, as a push then a pop would, and
// reports the depth after the push; across the ring's wrap-around the order holds.
TEST(RunQueue, PushPopIsAPushThenAPop) {
    std::array<std::uint32_t, 4> storage{};
    ht::run_queue queue;
    queue.init(storage.data(), 4);
    (void)queue.push(7);
    (void)queue.push(8);
    std::uint32_t order[12] = {};
    for (std::uint32_t i = 0; i < 12; ++i) {  // three times round the ring
        std::uint32_t depth = 0;
        order[i] = queue.push_pop(100 + i, depth);
        EXPECT_EQ(depth, 3u) << "step " << i;
        EXPECT_EQ(queue.size(), 2u) << "step " << i;
    }
    EXPECT_EQ(order[0], 7u);
    EXPECT_EQ(order[1], 8u);
    for (std::uint32_t i = 2; i < 12; ++i) EXPECT_EQ(order[i], 100 + i - 2) << "step " << i;
    EXPECT_EQ(queue.pop(), 110u);
    EXPECT_EQ(queue.pop(), 111u);
    EXPECT_TRUE(queue.empty());
}

// With the ring one short of full, push_pop fills it for the step and leaves it as it was.
TEST(RunQueue, PushPopWithTheRingOneShortOfFull) {
    std::array<std::uint32_t, 4> storage{};
    ht::run_queue queue;
    queue.init(storage.data(), 4);
    for (std::uint32_t i = 0; i < 3; ++i) (void)queue.push(i);
    std::uint32_t depth = 0;
    EXPECT_EQ(queue.push_pop(3, depth), 0u);
    EXPECT_EQ(depth, 4u);
    EXPECT_EQ(queue.size(), 3u);
    for (std::uint32_t expected : {1u, 2u, 3u}) EXPECT_EQ(queue.pop(), expected);
    EXPECT_TRUE(queue.empty());
}
