// The bounded channel: full, empty, closed, FIFO order, storage limits.
#include <gtest/gtest.h>

#include <memory>

#include "test_support.hpp"

namespace ht = hypertick;
using ht::test::small_config;

namespace {

ht::task<void> producer(ht::channel<int>& ch, int from, int count,
                        std::vector<ht::send_status>& statuses) {
    for (int i = 0; i < count; ++i) statuses.push_back(co_await ch.send(from + i));
}

ht::task<void> consumer(ht::channel<int>& ch, std::vector<int>& got) {
    while (auto v = co_await ch.recv()) got.push_back(*v);
    got.push_back(-1);  // end of stream seen
}

}  // namespace

TEST(Channel, FullSenderWaitsAndOrderIsKept) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    ht::channel<int> ch(ex, 2);
    ASSERT_TRUE(ch.valid());
    std::vector<ht::send_status> statuses;
    ASSERT_EQ(ex.spawn_detached(producer, std::ref(ch), 0, 10, std::ref(statuses)),
              ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_EQ(ch.size(), 2u);  // full: the producer is parked on its third send
    EXPECT_EQ(statuses.size(), 2u);
    EXPECT_EQ(ch.stats().sender_waits, 1u);
    std::vector<int> got;
    ASSERT_EQ(ex.spawn_detached(consumer, std::ref(ch), std::ref(got)), ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_EQ(statuses.size(), 10u);
    ch.close();
    ex.run_until_idle();
    EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1}));
    EXPECT_EQ(ch.stats().sent, 10u);
    EXPECT_EQ(ch.stats().received, 10u);
    EXPECT_LE(ch.stats().depth_peak, 2u);
}

TEST(Channel, ManySendersInterleaveFairly) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    ht::channel<int> ch(ex, 1);
    std::vector<ht::send_status> s1, s2;
    std::vector<int> got;
    ASSERT_EQ(ex.spawn_detached(producer, std::ref(ch), 100, 3, std::ref(s1)),
              ht::spawn_error::none);
    ASSERT_EQ(ex.spawn_detached(producer, std::ref(ch), 200, 3, std::ref(s2)),
              ht::spawn_error::none);
    ASSERT_EQ(ex.spawn_detached(consumer, std::ref(ch), std::ref(got)), ht::spawn_error::none);
    ex.run_until_idle();
    ch.close();
    ex.run_until_idle();
    // The ring holds 100; 101 then 200 park in arrival order and are moved in, in that order,
    // as slots free up. Each sender's own order always holds.
    EXPECT_EQ(got, (std::vector<int>{100, 101, 200, 102, 201, 202, -1}));
}

namespace {
ht::task<void> send_boxes(ht::channel<std::unique_ptr<int>>& ch, int count) {
    for (int i = 0; i < count; ++i) (void)co_await ch.send(std::make_unique<int>(i));
    ch.close();
}
ht::task<void> receive_boxes(ht::channel<std::unique_ptr<int>>& ch, std::vector<int>& got) {
    while (auto box = co_await ch.recv()) got.push_back(**box);
    got.push_back(-1);
}
}  // namespace

// A move-only value passes through the ring, through the hand-off to a parked receiver and
// through the refill from a parked sender; after close the receiver gets the end of stream.
TEST(Channel, MoveOnlyValuesArriveInOrderThenTheEnd) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    ht::channel<std::unique_ptr<int>> ch(ex, 2);
    std::vector<int> got;
    ASSERT_EQ(ex.spawn_detached(receive_boxes, std::ref(ch), std::ref(got)), ht::spawn_error::none);
    ASSERT_EQ(ex.spawn_detached(send_boxes, std::ref(ch), 7), ht::spawn_error::none);
    ex.run_until_idle();
    EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, -1}));
    EXPECT_EQ(ch.stats().sent, 7u);
    EXPECT_GE(ch.stats().receiver_waits, 1u);  // the first value was a hand-off
    EXPECT_GE(ch.stats().sender_waits, 1u);    // and the ring filled at least once
}

TEST(Channel, CloseReleasesWaitingSendersWithClosed) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(), clock);
    ht::channel<int> ch(ex, 1);
    std::vector<ht::send_status> statuses;
    ASSERT_EQ(ex.spawn_detached(producer, std::ref(ch), 0, 3, std::ref(statuses)),
              ht::spawn_error::none);
    ex.run_until_idle();
    ch.close();
    ex.run_until_idle();
    EXPECT_EQ(statuses, (std::vector<ht::send_status>{ht::send_status::ok, ht::send_status::closed,
                                                      ht::send_status::closed}));
    // What was buffered before the close is still delivered.
    EXPECT_EQ(ch.try_recv(), std::optional<int>(0));
    EXPECT_EQ(ch.try_recv(), std::nullopt);
    int v = 5;
    EXPECT_FALSE(ch.try_send(std::move(v)));
}

TEST(Channel, StorageIsBoundedByTheConfiguration) {
    ht::virtual_clock clock;
    auto config = small_config();
    config.channel_storage_bytes = 64;
    ht::executor ex(config, clock);
    ht::channel<std::uint64_t> a(ex, 8);  // exactly 64 bytes
    EXPECT_TRUE(a.valid());
    ht::channel<std::uint64_t> b(ex, 1);
    EXPECT_FALSE(b.valid());
    ht::channel<int> zero(ex, 0);
    EXPECT_FALSE(zero.valid());
    EXPECT_EQ(ex.channel_storage_left(), 0u);
}
