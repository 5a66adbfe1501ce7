// ITCH 5.0 book semantics message by message, top-of-book reporting, and every capacity-full
// result: counted, the symbol degraded, every other symbol carrying on.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "book_test_support.hpp"
#include "hypertick/book/book_feed_handler.hpp"
#include "hypertick/book/feed_validity.hpp"
#include "hypertick/feed/message_decoder.hpp"

namespace {

using namespace book_test;

struct BookSemantics : ::testing::Test {
    void SetUp() override { init(small_capacities()); }
    void init(const book_capacities& c) {
        ASSERT_TRUE(books.init(c));
        books.on_stock_directory(1, "AAPL    ");
        books.on_stock_directory(2, "MSFT    ");
    }
    void apply(const order_event& e) {
        books.apply(e, ++sequence, sink);
        ASSERT_EQ(books.verify(), "");
    }
    top_level bid(uint16_t locate = 1, uint32_t i = 0) const {
        return books.level(locate, book_side::bid, i);
    }
    top_level ask(uint16_t locate = 1, uint32_t i = 0) const {
        return books.level(locate, book_side::ask, i);
    }

    book_manager books;
    recording_sink sink;
    uint64_t sequence = 0;
};

TEST_F(BookSemantics, AddsAggregateByPriceBestFirst) {
    apply(add(10, 'B', 100, 1000));
    apply(add(11, 'B', 200, 1000));
    apply(add(12, 'B', 50, 1100));
    apply(add(13, 'S', 70, 1200));
    apply(add(14, 'S', 30, 1300));
    ASSERT_EQ(books.level_count(1, book_side::bid), 2u);
    EXPECT_EQ(bid(), (top_level{1100, 1, 50}));
    EXPECT_EQ(bid(1, 1), (top_level{1000, 2, 300}));
    EXPECT_EQ(ask(), (top_level{1200, 1, 70}));
    EXPECT_EQ(ask(1, 1), (top_level{1300, 1, 30}));
    EXPECT_EQ(books.live_orders(), 5u);
    EXPECT_EQ(books.counters().adds, 5u);
    EXPECT_EQ(books.level_count(2, book_side::bid), 0u);
}

TEST_F(BookSemantics, ExecuteAndExecuteWithPriceReduceAtTheRestingPrice) {
    apply(add(10, 'S', 300, 1200));
    order_event c = reduce('C', 10, 100);
    c.price = 0;  // C's execution price is never part of the order_event; the order keeps 1200
    apply(c);
    EXPECT_EQ(ask(), (top_level{1200, 1, 200}));
    apply(reduce('E', 10, 150));
    EXPECT_EQ(ask(), (top_level{1200, 1, 50}));
    apply(reduce('E', 10, 50));  // reaches zero: removed
    EXPECT_EQ(books.level_count(1, book_side::ask), 0u);
    EXPECT_EQ(books.live_orders(), 0u);
    EXPECT_EQ(books.counters().executions, 3u);
    EXPECT_EQ(books.counters().orders_removed_by_reduction, 1u);
}

TEST_F(BookSemantics, CancelIsPartialAndRemovesAtZeroOverReductionCounted) {
    apply(add(10, 'B', 300, 1000));
    apply(add(11, 'B', 100, 1000));
    apply(reduce('X', 10, 100));
    EXPECT_EQ(bid(), (top_level{1000, 2, 300}));
    EXPECT_EQ(books_invalid_reasons(0, books.counters()), 0u);
    apply(reduce('X', 10, 500));  // more than it has: the order is gone, counted
    EXPECT_EQ(bid(), (top_level{1000, 1, 100}));
    EXPECT_EQ(books.counters().over_reductions, 1u);
    EXPECT_EQ(books.counters().cancels, 2u);
    // The exchange's order held more shares than ours: the books already differed from it.
    EXPECT_EQ(books_invalid_reasons(0, books.counters()),
              uint32_t{hypertick::feed::invalid_reference_mismatch});
}

TEST_F(BookSemantics, DeleteRemovesOrderAndEmptyLevel) {
    apply(add(10, 'B', 300, 1000));
    apply(add(11, 'B', 100, 900));
    apply(del(10));
    EXPECT_EQ(books.level_count(1, book_side::bid), 1u);
    EXPECT_EQ(bid(), (top_level{900, 1, 100}));
    EXPECT_EQ(books.counters().deletes, 1u);
}

// A cancel of every remaining share takes the order out exactly like a delete: each transition
// it can cause, from the inside of a level to the book's last order.
TEST_F(BookSemantics, FullCancelLeavesItsLevelWhenOthersRest) {
    apply(add(10, 'B', 300, 1000));
    apply(add(11, 'B', 100, 1000));
    apply(reduce('X', 10, 300));
    EXPECT_EQ(bid(), (top_level{1000, 1, 100}));
    EXPECT_EQ(books.orders().find(10), nullptr);
    EXPECT_EQ(books.live_orders(), 1u);
    EXPECT_EQ(books.counters().orders_removed_by_reduction, 1u);
    EXPECT_EQ(books.counters().over_reductions, 0u);
}

TEST_F(BookSemantics, FullCancelEmptiesALevelBelowTheBestWithoutABboUpdate) {
    apply(add(10, 'S', 100, 1200));
    apply(add(11, 'S', 200, 1300));
    apply(add(12, 'S', 50, 1400));
    const size_t updates = sink.updates.size();
    apply(reduce('X', 11, 200));
    ASSERT_EQ(books.level_count(1, book_side::ask), 2u);
    EXPECT_EQ(ask(), (top_level{1200, 1, 100}));
    EXPECT_EQ(ask(1, 1), (top_level{1400, 1, 50}));
    EXPECT_EQ(sink.updates.size(), updates);
}

TEST_F(BookSemantics, FullCancelOfTheBestLevelPromotesTheNextAndReportsIt) {
    apply(add(10, 'B', 100, 1100));
    apply(add(11, 'B', 70, 1000));
    apply(add(12, 'S', 40, 1200));
    const size_t updates = sink.updates.size();
    apply(reduce('X', 10, 100));
    ASSERT_EQ(sink.updates.size(), updates + 1);
    EXPECT_EQ(sink.updates.back().bid, (top_level{1000, 1, 70}));
    EXPECT_EQ(sink.updates.back().ask, (top_level{1200, 1, 40}));
    EXPECT_EQ(books.level_count(1, book_side::bid), 1u);
}

TEST_F(BookSemantics, FullCancelOfTheLastOrderEmptiesTheBookAndItRefills) {
    apply(add(10, 'S', 100, 1200));
    apply(add(11, 'B', 100, 1100, 2));
    apply(reduce('X', 10, 100));
    ASSERT_FALSE(sink.updates.empty());
    EXPECT_EQ(sink.updates.back().ask, top_level{});
    EXPECT_EQ(sink.updates.back().bid, top_level{});
    EXPECT_EQ(sink.updates.back().locate, 1u);
    EXPECT_EQ(books.level_count(1, book_side::ask), 0u);
    EXPECT_EQ(books.level_count(1, book_side::bid), 0u);
    EXPECT_EQ(bid(2), (top_level{1100, 1, 100}));  // another book is untouched
    apply(add(12, 'S', 30, 1250));                 // the emptied book takes orders again
    EXPECT_EQ(ask(), (top_level{1250, 1, 30}));
    apply(reduce('X', 12, 30));
    apply(reduce('X', 11, 100));
    EXPECT_EQ(books.live_orders(), 0u);
    EXPECT_EQ(books.counters().orders_removed_by_reduction, 3u);
}

TEST_F(BookSemantics, ReplaceKeepsSideAndLocateTakesNewTotalAndPrice) {
    apply(add(10, 'S', 300, 1200, 2));
    apply(add(11, 'S', 100, 1200, 2));
    order_event u = replace(10, 20, 50, 1250);
    u.stock_locate = 2;
    apply(u);
    EXPECT_EQ(ask(2), (top_level{1200, 1, 100}));
    EXPECT_EQ(ask(2, 1), (top_level{1250, 1, 50}));
    EXPECT_EQ(books.orders().find(10), nullptr);
    ASSERT_NE(books.orders().find(20), nullptr);
    EXPECT_EQ(books.orders().find(20)->side, book_side::ask);
    apply(del(20));
    EXPECT_EQ(books.level_count(2, book_side::ask), 1u);
    EXPECT_EQ(books.counters().replaces, 1u);
}

TEST_F(BookSemantics, UnknownAndDuplicateReferencesAreCountedNeverApplied) {
    apply(add(10, 'B', 100, 1000));
    apply(reduce('E', 99, 10));
    apply(reduce('C', 99, 10));
    apply(reduce('X', 99, 10));
    apply(del(99));
    apply(replace(99, 100, 10, 1000));
    EXPECT_EQ(books.counters().unknown_refs, 5u);
    apply(add(10, 'S', 100, 2000));  // already live
    EXPECT_EQ(books.counters().duplicate_refs, 1u);
    apply(add(11, 'B', 100, 1000));
    apply(replace(11, 10, 70, 1010));  // new reference already live: original gone, new dropped
    EXPECT_EQ(books.counters().duplicate_refs, 2u);
    EXPECT_EQ(books.live_orders(), 1u);
    EXPECT_EQ(bid(), (top_level{1000, 1, 100}));
    apply(add(12, 'B', 0, 1000));
    EXPECT_EQ(books.counters().zero_share_adds, 1u);
    EXPECT_EQ(books.live_orders(), 1u);
}

TEST_F(BookSemantics, BboOnlyWhenTheTopChanges) {
    apply(add(10, 'B', 100, 1000));
    ASSERT_EQ(sink.updates.size(), 1u);
    EXPECT_EQ(sink.updates[0].bid, (top_level{1000, 1, 100}));
    EXPECT_EQ(sink.updates[0].ask, top_level{});
    EXPECT_EQ(sink.updates[0].sequence, 1u);
    EXPECT_EQ(std::string(sink.updates[0].symbol.data(), 8), "AAPL    ");
    apply(add(11, 'B', 100, 900));  // below the top: no update
    apply(reduce('X', 11, 10));     // below the top: no update
    EXPECT_EQ(sink.updates.size(), 1u);
    apply(add(12, 'B', 5, 1000));  // same price, more shares and orders
    ASSERT_EQ(sink.updates.size(), 2u);
    EXPECT_EQ(sink.updates[1].bid, (top_level{1000, 2, 105}));
    order_event s = add(13, 'S', 40, 1100, 1);
    s.timestamp_ns = 34'200'000'000'123;
    apply(s);
    ASSERT_EQ(sink.updates.size(), 3u);
    EXPECT_EQ(sink.updates[2].ask, (top_level{1100, 1, 40}));
    EXPECT_EQ(sink.updates[2].bid, (top_level{1000, 2, 105}));
    EXPECT_EQ(sink.updates[2].timestamp_ns, 34'200'000'000'123u);
    EXPECT_EQ(sink.updates[2].locate, 1u);
    apply(del(13));
    ASSERT_EQ(sink.updates.size(), 4u);
    EXPECT_EQ(sink.updates[3].ask, top_level{});
    EXPECT_EQ(books.counters().bbo_updates, 4u);
    EXPECT_EQ(books.counters().crossed_bbo, 0u);
}

TEST_F(BookSemantics, CrossedTopIsCounted) {
    apply(add(10, 'B', 100, 1000));
    apply(add(11, 'S', 100, 1000));
    EXPECT_EQ(books.counters().crossed_bbo, 1u);
}

TEST_F(BookSemantics, OrderTableFullDegradesOnlyThatSymbolUntilSpaceFrees) {
    init(small_capacities(16, 2, 64));
    apply(add(10, 'B', 100, 1000, 1));
    apply(add(11, 'B', 100, 1000, 2));
    apply(add(12, 'B', 100, 1100, 1));  // full
    EXPECT_EQ(books.counters().order_table_full, 1u);
    EXPECT_EQ(books.directory(1).degraded, degraded_orders_full);
    EXPECT_EQ(books.directory(2).degraded, 0);
    EXPECT_EQ(bid(1), (top_level{1000, 1, 100}));
    apply(reduce('E', 12, 10));  // the dropped order is unknown later: counted, harmless
    EXPECT_EQ(books.counters().unknown_refs, 1u);
    apply(del(11));
    apply(add(13, 'S', 100, 2000, 2));  // space again: symbol 2 carries on
    EXPECT_EQ(ask(2), (top_level{2000, 1, 100}));
}

TEST_F(BookSemantics, LevelSideFullDropsTheAddOtherSideAndSymbolsCarryOn) {
    init(small_capacities(16, 64, 2));
    apply(add(10, 'B', 100, 1000, 1));
    apply(add(11, 'B', 100, 1100, 1));
    apply(add(12, 'B', 100, 1200, 1));  // a third bid level: full
    apply(add(13, 'B', 100, 1100, 1));  // an existing level still takes orders
    apply(add(14, 'S', 100, 1300, 1));  // the other side is unaffected
    apply(add(15, 'B', 100, 1200, 2));  // another symbol is unaffected
    EXPECT_EQ(books.counters().level_side_full, 1u);
    EXPECT_EQ(books.directory(1).degraded, degraded_levels_full);
    EXPECT_EQ(books.directory(2).degraded, 0);
    EXPECT_EQ(bid(1), (top_level{1100, 2, 200}));
    EXPECT_EQ(ask(1), (top_level{1300, 1, 100}));
    EXPECT_EQ(bid(2), (top_level{1200, 1, 100}));
    EXPECT_EQ(books.orders().find(12), nullptr);
    // A replace onto a new level of the still-full side removes the old order, drops the new.
    apply(replace(11, 20, 100, 900));
    EXPECT_EQ(books.counters().level_side_full, 2u);
    EXPECT_EQ(books.level_count(1, book_side::bid), 2u);
    EXPECT_EQ(bid(1), (top_level{1100, 1, 100}));
    EXPECT_EQ(books.orders().find(20), nullptr);
}

TEST_F(BookSemantics, BookPoolFullDegradesTheLocateOthersCarryOn) {
    init(small_capacities(2, 64, 8));  // AAPL and MSFT take both books
    books.on_stock_directory(3, "IBM     ");
    apply(add(10, 'B', 100, 1000, 3));
    apply(add(11, 'B', 100, 1000, 1));
    EXPECT_EQ(books.counters().book_pool_full, 2u);
    EXPECT_EQ(books.directory(3).degraded, degraded_no_book);
    EXPECT_TRUE(books.directory(3).listed);
    EXPECT_EQ(books.level_count(3, book_side::bid), 0u);
    EXPECT_EQ(bid(1), (top_level{1000, 1, 100}));
    EXPECT_EQ(books.live_orders(), 1u);
}

TEST_F(BookSemantics, OrdersForUnlistedLocatesGetABookWithBlankSymbol) {
    apply(add(10, 'B', 100, 1000, 7));
    EXPECT_FALSE(books.directory(7).listed);
    ASSERT_EQ(sink.updates.size(), 1u);
    EXPECT_EQ(std::string(sink.updates[0].symbol.data(), 8), "        ");
}

TEST(BboBuffer, OverflowIsCountedAndDropped) {
    bbo_buffer<2> buffer;
    bbo_update u;
    for (uint64_t i = 0; i < 3; ++i) {
        u.sequence = i;
        buffer.on_bbo(u);
    }
    EXPECT_EQ(buffer.size(), 2u);
    EXPECT_EQ(buffer.overflowed(), 1u);
    EXPECT_EQ(buffer[1].sequence, 1u);
    buffer.clear();
    EXPECT_EQ(buffer.size(), 0u);
}

// The buffer copies an update field by field: every field arrives as it was given.
TEST(BboBuffer, KeepsEveryFieldOfAnUpdate) {
    bbo_buffer<1> buffer;
    bbo_update u;
    u.timestamp_ns = 34'200'000'000'123;
    u.sequence = 77;
    u.bid = top_level{1000, 2, 300};
    u.ask = top_level{1010, 1, 50};
    u.locate = 4242;
    u.symbol = {'A', 'B', 'C', 'D', ' ', ' ', ' ', ' '};
    u.flags = bbo_book_degraded | bbo_feed_invalid;
    buffer.on_bbo(u);
    ASSERT_EQ(buffer.size(), 1u);
    const bbo_update& got = buffer[0];
    EXPECT_EQ(got.timestamp_ns, u.timestamp_ns);
    EXPECT_EQ(got.sequence, u.sequence);
    EXPECT_EQ(got.bid, u.bid);
    EXPECT_EQ(got.ask, u.ask);
    EXPECT_EQ(got.locate, u.locate);
    EXPECT_EQ(got.symbol, u.symbol);
    EXPECT_EQ(got.flags, u.flags);
}

TEST(BookManager, InitFailsCleanlyWhenMemoryIsUnavailable) {
#ifdef __SANITIZE_ADDRESS__
    GTEST_SKIP() << "ASan aborts on an impossible calloc instead of returning null";
#endif
    book_manager books;
    book_capacities huge = small_capacities(60'000, 1, 1u << 30);  // ~2 TB of levels
    EXPECT_FALSE(books.init(huge));
    EXPECT_GT(reserved_bytes(huge), uint64_t{1} << 40);
}

void expect_same_updates(const recording_sink& expected, const recording_sink& got) {
    ASSERT_EQ(expected.updates.size(), got.updates.size());
    for (size_t i = 0; i < expected.updates.size(); ++i) {
        ASSERT_EQ(expected.updates[i].sequence, got.updates[i].sequence);
        ASSERT_EQ(expected.updates[i].bid, got.updates[i].bid);
        ASSERT_EQ(expected.updates[i].ask, got.updates[i].ask);
    }
}

// The pipelined handler applies the same messages in the same order: identical BBO stream.
TEST(PipelinedBookHandler, SameUpdatesAsImmediateApplication) {
    const itch_gen::generated_capture capture = generate_capture(5, 20, 50'000);
    book_manager a, b;
    ASSERT_TRUE(a.init(small_capacities(64, 1 << 16, 256)));
    ASSERT_TRUE(b.init(small_capacities(64, 1 << 16, 256)));
    recording_sink sa, sb;
    book_feed_handler<recording_sink> immediate(a, sa);
    pipelined_book_handler<recording_sink, 8> pipelined(b, sb);
    for (uint64_t i = 0; i < capture.messages.size(); ++i) {
        const uint8_t* m = capture.messages.data(i);
        const uint16_t length = capture.messages.length(i);
        order_event e;
        if (hypertick::feed::decode_order_event(m, length, e)) {
            immediate.on_order_event(e, i + 1);
            pipelined.on_order_event(e, i + 1);
        } else {
            hypertick::feed::dispatch_itch_message(m, length, i + 1, immediate);
            hypertick::feed::dispatch_itch_message(m, length, i + 1, pipelined);
        }
        if (i % 37 == 0) pipelined.flush();
    }
    pipelined.flush();
    expect_same_updates(sa, sb);
    EXPECT_EQ(b.verify(), "");
}

// With the second-stage level prefetch on from the first book, each message read in place from
// a buffer that is freed after the flush that follows it, as the gateway's datagrams are: the
// same BBO stream as immediate application, and (under ASan) no read of a message after its
// buffer went away, which a prefetch of an entry already applied would be.
TEST(PipelinedBookHandler, LevelPrefetchReadsOnlyPendingMessages) {
    const itch_gen::generated_capture capture = generate_capture(6, 20, 50'000);
    book_manager a, b;
    ASSERT_TRUE(a.init(small_capacities(64, 1 << 16, 256)));
    book_capacities prefetching = small_capacities(64, 1 << 16, 256);
    prefetching.level_prefetch_books = 0;
    ASSERT_TRUE(b.init(prefetching));
    ASSERT_TRUE(b.prefetches_levels());
    ASSERT_FALSE(a.prefetches_levels());
    recording_sink sa, sb;
    book_feed_handler<recording_sink> immediate(a, sa);
    pipelined_book_handler<recording_sink, 16> pipelined(b, sb);
    std::mt19937 random(11);
    for (uint64_t first = 0; first < capture.messages.size();) {
        // A "datagram" of 1 to 40 messages in a buffer of its own.
        const uint64_t end = std::min<uint64_t>(capture.messages.size(), first + 1 + random() % 40);
        std::vector<std::vector<uint8_t>> datagram;
        for (uint64_t i = first; i < end; ++i) {
            const uint8_t* m = capture.messages.data(i);
            datagram.emplace_back(m, m + capture.messages.length(i));
            order_event e;
            if (hypertick::feed::decode_order_event(m, capture.messages.length(i), e))
                immediate.on_order_event(e, i + 1);
            else
                hypertick::feed::dispatch_itch_message(m, capture.messages.length(i), i + 1,
                                                       immediate);
        }
        for (uint64_t i = first; i < end; ++i) {
            const std::vector<uint8_t>& own = datagram[i - first];
            hypertick::feed::decode_itch_message(own.data(), static_cast<uint16_t>(own.size()),
                                                 i + 1, pipelined);
        }
        pipelined.flush();
        first = end;
    }
    expect_same_updates(sa, sb);
    EXPECT_EQ(b.verify(), "");
}

// The level prefetches start once the books in use pass level_prefetch_books; the derived default
// leaves a handful of books without it on any cache.
TEST(BookManager, LevelPrefetchStartsPastItsBookCount) {
    book_manager books;
    book_capacities c = small_capacities(8);
    c.level_prefetch_books = 2;
    ASSERT_TRUE(books.init(c));
    books.on_stock_directory(1, "AAA     ");
    books.on_stock_directory(2, "BBB     ");
    EXPECT_FALSE(books.prefetches_levels());
    books.on_stock_directory(3, "CCC     ");
    EXPECT_TRUE(books.prefetches_levels());
    book_manager derived;
    ASSERT_TRUE(derived.init(small_capacities(8)));
    for (uint16_t locate = 1; locate <= 8; ++locate) derived.on_stock_directory(locate, "X       ");
    EXPECT_FALSE(derived.prefetches_levels());
}

// The handler counts what it applies: messages still in its ring are not counted until a
// flush applies them, and each count is handed out once.
TEST(PipelinedBookHandler, CountsTheMessagesItApplies) {
    book_manager books;
    ASSERT_TRUE(books.init(small_capacities(64, 1 << 10, 64)));
    recording_sink sink;
    pipelined_book_handler<recording_sink, 8> handler(books, sink);
    std::array<uint8_t, hypertick::feed::stock_directory::length> directory{};
    directory[0] = hypertick::feed::stock_directory::type;
    directory[2] = 1;  // stock locate 1 (big-endian)
    hypertick::feed::dispatch_itch_message(directory.data(),
                                           hypertick::feed::stock_directory::length, 1, handler);
    EXPECT_EQ(handler.take_applied(), 1u);
    for (uint32_t i = 0; i < 20; ++i)
        handler.on_order_event(add(100 + i, 'B', 10, 1000 + i), i + 2);
    EXPECT_EQ(handler.take_applied(), 12u);  // 8 still wait in the ring
    EXPECT_EQ(handler.take_applied(), 0u);
    handler.flush();
    EXPECT_EQ(handler.take_applied(), 8u);
    EXPECT_EQ(books.live_orders(), 20u);
}

}  // namespace
