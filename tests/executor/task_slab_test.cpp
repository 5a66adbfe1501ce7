// The slab and the frame pool at their limits.
#include <gtest/gtest.h>

#include <array>

#include "test_support.hpp"

namespace ht = hypertick;
using ht::test::small_config;

namespace {

ht::task<void> wait_forever(ht::event& ev) {
    co_await ev.wait();
}

ht::task<int> small_frame(int v) {
    co_return v;
}

ht::task<int> huge_frame(int v) {
    std::array<char, 2000> buffer{};  // lives across a suspension: part of the frame
    buffer[static_cast<std::size_t>(v) % buffer.size()] = 1;
    co_await ht::yield_now();
    co_return buffer[static_cast<std::size_t>(v) % buffer.size()] + v;
}

ht::task<int> medium_frame(int v) {
    std::array<char, 600> buffer{};  // too big for the 256-byte class, fits the 1024 one
    buffer[0] = static_cast<char>(v);
    co_await ht::yield_now();
    co_return buffer[0];
}

}  // namespace

TEST(TaskSlab, FullSlabIsAnErrorValueAndRecovers) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(8), clock);
    ht::event ev;
    for (int i = 0; i < 8; ++i)
        ASSERT_EQ(ex.spawn_detached(wait_forever, std::ref(ev)), ht::spawn_error::none);
    EXPECT_EQ(ex.spawn_detached(wait_forever, std::ref(ev)), ht::spawn_error::slab_full);
    EXPECT_EQ(ex.stats().spawn_failed_slab_full, 1u);
    EXPECT_EQ(ex.tasks_alive(), 8u);
    ex.run_until_idle();
    ev.set();
    ex.run_until_idle();
    EXPECT_EQ(ex.tasks_alive(), 0u);
    // Every slot came back: the slab is usable to its full capacity again.
    for (int i = 0; i < 8; ++i) ASSERT_TRUE(ex.spawn(small_frame, i).ok());
}

TEST(TaskSlab, FrameLargerThanEveryClassIsRefused) {
    ht::virtual_clock clock;
    ht::executor ex(small_config(8), clock);
    auto r = ex.spawn(huge_frame, 1);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error(), ht::spawn_error::frame_too_large);
    EXPECT_EQ(ex.stats().spawn_failed_frame_too_large, 1u);
    EXPECT_EQ(ex.tasks_alive(), 0u);  // the slot taken for the attempt went back
    EXPECT_TRUE(ex.spawn(small_frame, 1).ok());
}

TEST(TaskSlab, FramesExhaustedIsDistinctFromTooLarge) {
    ht::virtual_clock clock;
    auto config = small_config(32);
    config.frame_classes = {ht::frame_class{256, 32}, ht::frame_class{1024, 2}, {}, {}};
    ht::executor ex(config, clock);
    std::vector<ht::join_handle<int>> handles;
    for (int i = 0; i < 2; ++i) {
        auto r = ex.spawn(medium_frame, i);
        ASSERT_TRUE(r.ok());
        handles.push_back(r.take_handle());
    }
    auto third = ex.spawn(medium_frame, 3);
    EXPECT_EQ(third.error(), ht::spawn_error::frames_exhausted);
    EXPECT_EQ(ex.frames().in_use(1), 2u);
    ex.run_until_idle();
    handles.clear();  // joined results dropped: frames go back
    EXPECT_EQ(ex.frames().in_use(1), 0u);
    EXPECT_TRUE(ex.spawn(medium_frame, 4).ok());
}

TEST(TaskSlab, SmallFramesSpillIntoLargerClassWhenTheirsIsFull) {
    ht::virtual_clock clock;
    auto config = small_config(8);
    config.frame_classes = {ht::frame_class{256, 2}, ht::frame_class{1024, 2}, {}, {}};
    ht::executor ex(config, clock);
    ht::event ev;
    for (int i = 0; i < 4; ++i)
        ASSERT_EQ(ex.spawn_detached(wait_forever, std::ref(ev)), ht::spawn_error::none);
    EXPECT_EQ(ex.frames().in_use(0), 2u);
    EXPECT_EQ(ex.frames().in_use(1), 2u);
    EXPECT_EQ(ex.spawn_detached(wait_forever, std::ref(ev)), ht::spawn_error::frames_exhausted);
    ev.set();
    ex.run_until_idle();
}

TEST(TaskSlab, CoroutineCalledOutsideSpawnCannotAllocate) {
    auto t = small_frame(1);  // no executor is spawning: operator new refuses
    EXPECT_FALSE(t.valid());
}

TEST(ExecutorConfig, InvalidConfigurationsAreNamed) {
    ht::executor_config c;
    c.max_tasks = 0;
    EXPECT_EQ(ht::executor::validate(c), ht::init_error::zero_tasks);
    c = {};
    c.run_queue_capacity = c.max_tasks - 1;
    EXPECT_EQ(ht::executor::validate(c), ht::init_error::run_queue_too_small);
    c = {};
    c.frame_classes = {};
    EXPECT_EQ(ht::executor::validate(c), ht::init_error::no_frame_classes);
    c = {};
    c.frame_classes = {ht::frame_class{512, 1}, ht::frame_class{256, 1}, {}, {}};
    EXPECT_EQ(ht::executor::validate(c), ht::init_error::frame_class_order);
    c = {};
    c.timer_tick_ns = 0;
    EXPECT_EQ(ht::executor::validate(c), ht::init_error::bad_timer_tick);
    c = {};
    c.poll_budget = 0;
    EXPECT_EQ(ht::executor::validate(c), ht::init_error::zero_poll_budget);
    EXPECT_STRNE(ht::to_string(ht::init_error::zero_tasks), "unknown");

    ht::virtual_clock clock;
    c = {};
    c.max_tasks = 0;
    ht::executor ex(c, clock);
    EXPECT_EQ(ex.status(), ht::init_error::zero_tasks);
    EXPECT_EQ(ex.spawn(small_frame, 1).error(), ht::spawn_error::not_ready);
    // An eager spawn is refused the same way: it never runs the task inline.
    EXPECT_EQ(ex.spawn_eager(small_frame, 1).error(), ht::spawn_error::not_ready);
    EXPECT_EQ(ex.spawn_eager_detached(small_frame, 1), ht::spawn_error::not_ready);
}

TEST(ExecutorConfig, BuildsInsideCallerMemory) {
    auto config = small_config(16);
    const std::size_t bytes = ht::executor::required_bytes(config);
    alignas(64) static std::byte memory[1 << 20];
    ASSERT_LE(bytes, sizeof(memory));
    config.memory = memory;
    config.memory_bytes = bytes - 1;
    EXPECT_EQ(ht::executor::validate(config), ht::init_error::memory_too_small);
    config.memory_bytes = bytes;
    ht::virtual_clock clock;
    ht::executor ex(config, clock);
    ASSERT_EQ(ex.status(), ht::init_error::none);
    auto r = ex.spawn(small_frame, 41);
    ASSERT_TRUE(r.ok());
    ex.run_until_idle();
    EXPECT_TRUE(r.handle().finished());
    config.memory = memory + 8;
    EXPECT_EQ(ht::executor::validate(config), ht::init_error::memory_misaligned);
}
