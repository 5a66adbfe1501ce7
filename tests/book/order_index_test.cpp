// The order index: the direct-mapped window over recent references and the hashed table behind
// it. Small windows, so every path runs: slides, survivors moved behind, adds behind the
// window, references far ahead, duplicates in either part, a full index.
#include "hypertick/book/order_index.hpp"

#include "hypertick/book/book_capacities.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <random>
#include <unordered_map>

namespace {

using namespace hypertick::book;
using insert_outcome = order_index::insert_result;

// Inserts `ref` with `shares`; the result of the insert.
insert_outcome add(order_index& index, uint64_t ref, uint32_t shares = 100) {
    order_slot* slot = nullptr;
    const insert_outcome result = index.insert(ref, slot);
    if (result == insert_outcome::inserted) {
        EXPECT_EQ(slot->ref, ref);
        slot->shares = shares;
        slot->price = static_cast<uint32_t>(ref * 10);
        slot->level = static_cast<uint32_t>(ref % 7);
    }
    return result;
}

TEST(OrderIndex, ReferencesInTheWindowTakeTheirOwnSlotsWithoutSliding) {
    order_index index;
    ASSERT_TRUE(index.init(64, 8, memory_allocation{.prefault = false}));
    for (uint64_t ref = 0; ref < 8; ++ref) ASSERT_EQ(add(index, ref), insert_outcome::inserted);
    EXPECT_EQ(index.window_base(), 0u);
    EXPECT_EQ(index.window_live(), 8u);
    EXPECT_EQ(index.behind().live(), 0u);
    for (uint64_t ref = 0; ref < 8; ++ref) ASSERT_NE(index.find(ref), nullptr);
    EXPECT_EQ(index.find(8), nullptr);  // ahead of the window: never live
    EXPECT_EQ(index.verify(), "");
    // An erased order's slot no longer answers to its reference, 0 included (zeroed memory).
    for (uint64_t ref : {0u, 5u}) {
        index.erase(index.find(ref));
        EXPECT_EQ(index.find(ref), nullptr) << ref;
        EXPECT_EQ(index.verify(), "");
    }
    EXPECT_EQ(index.window_live(), 6u);
    ASSERT_EQ(add(index, 0), insert_outcome::inserted);
    ASSERT_NE(index.find(0), nullptr);
    EXPECT_EQ(index.verify(), "");
}

TEST(OrderIndex, SlideMovesTheSurvivorsBehindWithTheirFields) {
    order_index index;
    ASSERT_TRUE(index.init(64, 8, memory_allocation{.prefault = false}));
    for (uint64_t ref = 0; ref < 8; ++ref)
        ASSERT_EQ(add(index, ref, 1000 + ref), insert_outcome::inserted);
    index.erase(index.find(1));
    index.erase(index.find(3));
    // 8..11 take the slots of 0..3: 0 and 2 are still live and move behind the window.
    for (uint64_t ref = 8; ref < 12; ++ref) ASSERT_EQ(add(index, ref), insert_outcome::inserted);
    EXPECT_EQ(index.window_base(), 4u);
    EXPECT_EQ(index.moved_behind(), 2u);
    EXPECT_EQ(index.behind().live(), 2u);
    EXPECT_EQ(index.live(), 10u);
    for (uint64_t ref : {0u, 2u}) {
        const order_slot* order = index.find(ref);
        ASSERT_NE(order, nullptr) << ref;
        EXPECT_EQ(order->shares, 1000 + ref);
        EXPECT_EQ(order->price, ref * 10);
        EXPECT_EQ(order->level, ref % 7);
    }
    EXPECT_EQ(index.find(1), nullptr);
    EXPECT_EQ(index.find(3), nullptr);
    EXPECT_EQ(index.verify(), "");
    // An order behind the window is erased from the hashed table.
    index.erase(index.find(0));
    EXPECT_EQ(index.find(0), nullptr);
    EXPECT_EQ(index.behind().live(), 1u);
    EXPECT_EQ(index.verify(), "");
}

TEST(OrderIndex, AnAddBehindTheWindowGoesToTheHashedTable) {
    order_index index;
    ASSERT_TRUE(index.init(64, 8, memory_allocation{.prefault = false}));
    ASSERT_EQ(add(index, 100), insert_outcome::inserted);  // the window now ends at 100
    EXPECT_EQ(index.window_base(), 93u);
    ASSERT_EQ(add(index, 5), insert_outcome::inserted);
    EXPECT_EQ(index.added_behind(), 1u);
    EXPECT_EQ(index.behind().live(), 1u);
    ASSERT_NE(index.find(5), nullptr);
    EXPECT_EQ(index.verify(), "");
}

// A feed whose references start again (a new day, a looped capture) once every order is gone:
// the window moves back instead of sending every later order to the hashed table.
TEST(OrderIndex, AnEmptyIndexMovesTheWindowBackToAnEarlierReference) {
    order_index index;
    ASSERT_TRUE(index.init(64, 8, memory_allocation{.prefault = false}));
    ASSERT_EQ(add(index, 1000), insert_outcome::inserted);
    ASSERT_EQ(add(index, 1), insert_outcome::inserted);  // behind, while 1000 is live
    EXPECT_EQ(index.added_behind(), 1u);
    EXPECT_EQ(index.rebases(), 0u);
    index.erase(index.find(1000));
    index.erase(index.find(1));
    ASSERT_EQ(add(index, 2), insert_outcome::inserted);
    EXPECT_EQ(index.rebases(), 1u);
    EXPECT_EQ(index.window_base(), 2u);
    EXPECT_EQ(index.added_behind(), 1u);
    EXPECT_EQ(index.window_live(), 1u);
    for (uint64_t ref = 3; ref < 10; ++ref) ASSERT_EQ(add(index, ref), insert_outcome::inserted);
    EXPECT_EQ(index.window_live(), 8u);
    EXPECT_EQ(index.behind().live(), 0u);
    EXPECT_EQ(index.verify(), "");
}

TEST(OrderIndex, AReferenceFarAheadSlidesTheWindowWithoutMovingItsOrdersAndIsCounted) {
    order_index index;
    ASSERT_TRUE(index.init(64, 8, memory_allocation{.prefault = false}));
    ASSERT_EQ(add(index, 1), insert_outcome::inserted);
    ASSERT_EQ(add(index, 6), insert_outcome::inserted);
    ASSERT_EQ(add(index, 1'000'000'000'000), insert_outcome::inserted);  // slot 0
    EXPECT_EQ(index.far_slides(), 1u);
    // 1 and 6 wait in their slots, behind the window, until an add needs those slots.
    EXPECT_EQ(index.moved_behind(), 0u);
    EXPECT_EQ(index.window_live(), 3u);
    EXPECT_EQ(index.window_base(), 1'000'000'000'000u - 7);
    for (uint64_t ref : {1ull, 6ull, 1'000'000'000'000ull}) ASSERT_NE(index.find(ref), nullptr);
    EXPECT_EQ(index.find(9), nullptr);  // slot 1, behind the window: holds 1, not 9
    EXPECT_EQ(add(index, 1), insert_outcome::already_live);
    EXPECT_EQ(index.verify(), "");
    // 1'000'000'000'001 takes slot 1: the order 1 moves behind first, with its fields.
    ASSERT_EQ(add(index, 1'000'000'000'001), insert_outcome::inserted);
    EXPECT_EQ(index.moved_behind(), 1u);
    EXPECT_EQ(index.behind().live(), 1u);
    ASSERT_NE(index.find(1), nullptr);
    EXPECT_EQ(index.find(1)->price, 10u);
    EXPECT_EQ(index.find(1)->shares, 100u);
    EXPECT_EQ(index.find(1'000'000'000'001)->ref, 1'000'000'000'001u);
    index.erase(index.find(1));
    index.erase(index.find(6));
    EXPECT_EQ(index.find(6), nullptr);
    EXPECT_EQ(index.live(), 2u);
    EXPECT_EQ(index.verify(), "");
    // The largest reference: the window ends at it without overflowing.
    const uint64_t last = std::numeric_limits<uint64_t>::max();
    ASSERT_EQ(add(index, last), insert_outcome::inserted);
    EXPECT_EQ(index.window_base(), last - 7);
    ASSERT_NE(index.find(last), nullptr);
    EXPECT_EQ(index.find(last - 8), nullptr);
    EXPECT_EQ(index.live(), 3u);
    EXPECT_EQ(index.verify(), "");
}

// A hostile stream: every add lies two windows ahead of the last one, and the order it leaves
// behind sits at the far end of the window it left. A slide that looked for the orders leaving
// the window would read every slot of a 4 Mi-slot window at every add, 16 Gi slot reads for
// this stream (over 10 s here even with the untouched window on the zero page, which keeps
// those reads in the cache); a slide costs O(1), so the stream takes about a millisecond. The
// bound leaves room for ASan, debug builds and a loaded machine.
TEST(OrderIndex, ReferencesFarAheadOneAfterAnotherCostConstantTimeEach) {
    constexpr uint32_t window = 1u << 22;
    constexpr uint64_t far_adds = 4096;
    order_index index;
    ASSERT_TRUE(index.init(far_adds, window, memory_allocation{.prefault = false}));
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 1; i <= far_adds; ++i)
        ASSERT_EQ(add(index, i * 2 * window + (window - 1)), insert_outcome::inserted) << i;
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(1));
    EXPECT_EQ(index.far_slides(), far_adds);
    // Every add took the slot of the one before it, which moved behind: one slot each.
    EXPECT_EQ(index.moved_behind(), far_adds - 1);
    EXPECT_EQ(index.live(), far_adds);
    for (uint64_t i = 1; i <= far_adds; ++i)
        ASSERT_NE(index.find(i * 2 * window + window - 1), nullptr);
}

TEST(OrderIndex, DuplicateReferencesAreRefusedInTheWindowAndBehindIt) {
    order_index index;
    ASSERT_TRUE(index.init(64, 8, memory_allocation{.prefault = false}));
    ASSERT_EQ(add(index, 3), insert_outcome::inserted);
    EXPECT_EQ(add(index, 3), insert_outcome::already_live);
    ASSERT_EQ(add(index, 20), insert_outcome::inserted);  // the window is [13, 20]
    EXPECT_EQ(index.moved_behind(), 0u);
    EXPECT_EQ(add(index, 3), insert_outcome::already_live);  // still in its slot
    ASSERT_EQ(add(index, 19), insert_outcome::inserted);     // takes slot 3: 3 moves behind
    EXPECT_EQ(index.moved_behind(), 1u);
    EXPECT_EQ(add(index, 3), insert_outcome::already_live);  // in the hashed table
    EXPECT_EQ(add(index, 20), insert_outcome::already_live);
    EXPECT_EQ(add(index, 19), insert_outcome::already_live);
    EXPECT_EQ(index.live(), 3u);
    EXPECT_EQ(index.find(3)->shares, 100u);
    EXPECT_EQ(index.verify(), "");
}

TEST(OrderIndex, AFullIndexRefusesEveryAddAndLeavesTheWindowWhereItWas) {
    order_index index;
    ASSERT_TRUE(index.init(4, 8, memory_allocation{.prefault = false}));
    for (uint64_t ref = 10; ref < 14; ++ref) ASSERT_EQ(add(index, ref), insert_outcome::inserted);
    const uint64_t base = index.window_base();
    ASSERT_EQ(base, 6u);                               // the window is [6, 13]
    EXPECT_EQ(add(index, 8), insert_outcome::full);    // in the window
    EXPECT_EQ(add(index, 500), insert_outcome::full);  // ahead: no slide
    EXPECT_EQ(index.window_base(), base);
    EXPECT_EQ(index.moved_behind(), 0u);
    EXPECT_EQ(add(index, 1), insert_outcome::full);  // behind
    EXPECT_EQ(add(index, 12), insert_outcome::already_live);
    EXPECT_EQ(index.live(), 4u);
    EXPECT_EQ(index.peak_live(), 4u);
    // The slide leaves 10, 11 and 12 in their slots; 500 takes 12's, which moves behind.
    index.erase(index.find(13));
    ASSERT_EQ(add(index, 500), insert_outcome::inserted);
    EXPECT_EQ(index.behind().live(), 1u);
    EXPECT_EQ(index.moved_behind(), 1u);
    EXPECT_EQ(add(index, 501), insert_outcome::full);
    EXPECT_EQ(add(index, 498), insert_outcome::full);  // would take 10's slot: nothing moves
    EXPECT_EQ(index.moved_behind(), 1u);
    EXPECT_EQ(index.verify(), "");
}

// Nearly increasing references like a feed's (a few far ahead, a few behind), random erases,
// against a map; every invariant after every step.
TEST(OrderIndex, MatchesAMapUnderNearlyIncreasingReferences) {
    order_index index;
    ASSERT_TRUE(index.init(48, 16, memory_allocation{.prefault = false}));
    std::unordered_map<uint64_t, uint32_t> model;
    std::mt19937_64 rng(7);
    uint64_t next_ref = 0;
    uint64_t full = 0;
    for (int step = 0; step < 200'000; ++step) {
        const uint64_t kind = rng() % 100;
        if (kind < 45) {
            uint64_t ref = next_ref;
            if (kind < 2)
                ref = next_ref + 20 + rng() % 100;  // beyond the window
            else if (kind < 8)
                ref = next_ref > 40 ? next_ref - 40 + rng() % 40 : 0;  // recent, maybe live
            else
                ++next_ref;
            next_ref = ref >= next_ref ? ref + 1 : next_ref;
            const uint32_t shares = static_cast<uint32_t>(rng() % 1000 + 1);
            const insert_outcome result = add(index, ref, shares);
            if (model.count(ref) != 0) {
                ASSERT_EQ(result, insert_outcome::already_live) << step;
            } else if (model.size() == 48) {
                ASSERT_EQ(result, insert_outcome::full) << step;
                ++full;
            } else {
                ASSERT_EQ(result, insert_outcome::inserted) << step;
                model[ref] = shares;
            }
        } else {
            // Erase a reference among the recent ones, or an old one.
            const uint64_t span = kind < 90 ? 64 : next_ref + 1;
            const uint64_t ref = next_ref - std::min(next_ref, rng() % span);
            if (order_slot* slot = index.find(ref)) {
                ASSERT_EQ(model.count(ref), 1u) << step;
                ASSERT_EQ(slot->shares, model[ref]) << step;
                index.erase(slot);
                model.erase(ref);
            } else {
                ASSERT_EQ(model.count(ref), 0u) << step;
            }
        }
        ASSERT_EQ(index.live(), model.size());
        if (step % 16 == 0) {
            ASSERT_EQ(index.verify(), "") << step;
            for (const auto& [ref, shares] : model) {
                ASSERT_NE(index.find(ref), nullptr) << step;
                ASSERT_EQ(index.find(ref)->shares, shares) << step;
            }
        }
    }
    // Every path ran.
    EXPECT_GT(index.moved_behind(), 0u);
    EXPECT_GT(index.added_behind(), 0u);
    EXPECT_GT(index.far_slides(), 0u);
    EXPECT_GT(full, 0u);
    EXPECT_EQ(index.peak_live(), 48u);
}

}  // namespace

namespace {

// The gateway sets only `orders`: the window follows it, so small configurations stay small.
TEST(OrderIndex, TheDerivedWindowFollowsTheOrderCapacityUpToItsMaximum) {
    hypertick::book::book_capacities c;
    EXPECT_EQ(hypertick::book::order_window_slots(c), 1u << 22);  // the default 4,000,000 orders
    c.orders = 1'048'576;
    EXPECT_EQ(hypertick::book::order_window_slots(c), 1u << 20);
    c.orders = 1000;
    EXPECT_EQ(hypertick::book::order_window_slots(c), 1024u);
    c.orders = 1;
    EXPECT_EQ(hypertick::book::order_window_slots(c), 2u);  // the smallest window
    c.orders = 100'000'000;
    EXPECT_EQ(hypertick::book::order_window_slots(c), hypertick::book::default_order_window_max);
    c.order_window = 64;
    EXPECT_EQ(hypertick::book::order_window_slots(c), 64u);
}

}  // namespace
