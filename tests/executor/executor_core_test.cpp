#include <gtest/gtest.h>

#include "hypertick/hypertick.hpp"

namespace ht = hypertick;

namespace {
ht::task<int> add(int a, int b) {
    co_await ht::yield_now();
    co_return a + b;
}
ht::task<void> joiner(ht::executor& ex, int& out) {
    auto r = ex.spawn(add, 2, 3);
    auto j = co_await r.handle().join();
    out = *j.value;
}
}  // namespace

TEST(ExecutorCore, SpawnJoin) {
    ht::virtual_clock clock;
    ht::executor ex(ht::executor_config{}, clock);
    ASSERT_EQ(ex.status(), ht::init_error::none);
    int out = 0;
    auto r = ex.spawn(joiner, std::ref(ex), std::ref(out));
    ASSERT_TRUE(r.ok());
    ex.run();
    EXPECT_EQ(out, 5);
}
