// The book-query box between the telemetry thread and a worker: who may write it is decided by
// its state alone, so a requester that gives up never writes while the worker answers.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "contract/worker_shared.hpp"

namespace hypertick::gw {
namespace {

TEST(BookQuery, ARequestTheWorkerHasNotTakenIsWithdrawnAndNeverAnswered) {
    book_query q;
    ASSERT_TRUE(q.open());
    q.request();
    EXPECT_TRUE(q.withdraw());
    EXPECT_FALSE(q.take()) << "a withdrawn request is not the worker's";
    EXPECT_TRUE(q.open());
}

TEST(BookQuery, ARequestBeingAnsweredCannotBeWithdrawnNorTheBoxReused) {
    book_query q;
    ASSERT_TRUE(q.open());
    q.request();
    ASSERT_TRUE(q.take());
    EXPECT_FALSE(q.withdraw()) << "the worker is writing the answer";
    EXPECT_FALSE(q.open()) << "a new request would write the symbol under the worker";
    q.answer();
    EXPECT_TRUE(q.is_answered());
    EXPECT_TRUE(q.open()) << "the late answer is dropped and the box is free";
    EXPECT_FALSE(q.is_answered());
}

TEST(BookQuery, AnAnsweredRequestIsReadThenFreed) {
    book_query q;
    ASSERT_TRUE(q.open());
    q.request();
    ASSERT_TRUE(q.take());
    EXPECT_FALSE(q.take()) << "taken once";
    q.found = true;
    q.answer();
    ASSERT_TRUE(q.is_answered());
    EXPECT_TRUE(q.found);
    q.done();
    EXPECT_TRUE(q.open());
}

// Requester and worker on two threads, the requester giving up at random moments: every answer
// it reads is complete (the worker writes the symbol's bytes back into the answer), and the
// worker never sees a symbol change while it answers.
TEST(BookQuery, GivingUpWhileTheWorkerAnswersNeverTearsTheBox) {
    book_query q;
    std::atomic<bool> stop{false};
    std::atomic<unsigned> torn{0};
    std::thread worker([&] {
        while (!stop.load(std::memory_order_relaxed)) {
            if (!q.take()) continue;
            char seen[9];
            std::memcpy(seen, q.symbol, sizeof seen);
            q.locate = static_cast<std::uint16_t>(seen[0]);
            for (int spin = 0; spin < 200; ++spin)
                std::atomic_signal_fence(std::memory_order_seq_cst);
            if (std::memcmp(seen, q.symbol, sizeof seen) != 0) torn.fetch_add(1);
            q.feed = static_cast<std::uint16_t>(seen[0]);
            q.answer();
        }
    });
    unsigned answers = 0;
    for (int i = 0; i < 200000; ++i) {
        if (!q.open()) continue;
        const char c = static_cast<char>('A' + i % 26);
        std::memset(q.symbol, c, 8);
        q.request();
        if (i % 3 == 0 && q.withdraw()) continue;  // gave up before the worker took it
        while (!q.is_answered()) {
        }
        if (q.locate != static_cast<std::uint16_t>(c) || q.feed != static_cast<std::uint16_t>(c))
            torn.fetch_add(1);
        ++answers;
        q.done();
    }
    stop.store(true);
    worker.join();
    EXPECT_EQ(torn.load(), 0u);
    EXPECT_GT(answers, 0u);
}

}  // namespace
}  // namespace hypertick::gw
