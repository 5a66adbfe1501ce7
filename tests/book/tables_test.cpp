// The two tables under the books: the open-addressing order table (against std::unordered_map,
// with a small table so probe runs wrap and deletions shift) and one side's sorted levels.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <random>
#include <set>
#include <unordered_map>

#include "hypertick/book/book_manager.hpp"
#include "hypertick/book/order_table.hpp"
#include "hypertick/book/price_levels.hpp"

namespace {

using namespace hypertick::book;

TEST(OrderTable, MatchesAMapUnderRandomInsertsAndErases) {
    order_table table;
    ASSERT_TRUE(table.init(64, memory_allocation{.prefault = false}));
    EXPECT_EQ(table.slot_count(), 128u);
    std::unordered_map<uint64_t, uint32_t> model;
    std::mt19937_64 rng(3);
    for (int step = 0; step < 200'000; ++step) {
        const uint64_t ref = rng() % 300;  // includes 0: a valid reference
        if (rng() % 2 == 0) {
            order_slot* slot = nullptr;
            const auto result = table.insert(ref, slot);
            if (model.count(ref) != 0) {
                ASSERT_EQ(result, order_table::insert_result::already_live);
            } else if (model.size() == 64) {
                ASSERT_EQ(result, order_table::insert_result::full);
            } else {
                ASSERT_EQ(result, order_table::insert_result::inserted);
                slot->shares = static_cast<uint32_t>(ref + 1);
                model[ref] = slot->shares;
            }
        } else if (order_slot* slot = table.find(ref)) {
            ASSERT_EQ(model.count(ref), 1u);
            table.erase(slot);
            model.erase(ref);
        } else {
            ASSERT_EQ(model.count(ref), 0u);
        }
        ASSERT_EQ(table.live(), model.size());
        // Erase stops at an unmarked hole: the marks must cover every probe run, and every
        // live order must stay reachable.
        ASSERT_TRUE(table.runs_marked());
        if (step % 64 == 0) {
            for (const auto& [live_ref, shares] : model) {
                ASSERT_NE(table.find(live_ref), nullptr);
                ASSERT_EQ(table.find(live_ref)->shares, shares);
            }
        }
    }
    for (const auto& [ref, shares] : model) {
        ASSERT_NE(table.find(ref), nullptr);
        EXPECT_EQ(table.find(ref)->shares, shares);
    }
    EXPECT_EQ(table.peak_live(), 64u);
}

TEST(PriceLevels, SortedBestLastForBothSides) {
    price_level storage[4];
    uint32_t keys[price_levels::window + 4] = {};  // zero padding, then the keys
    uint32_t ranks[4];
    price_levels::init_ranks(ranks, 4);
    side_state state;
    const uint32_t& count = state.count;
    price_levels asks(storage, keys + price_levels::window, ranks, state, 4);
    EXPECT_FALSE(asks.is_top_slot(0));  // an empty side has no best level
    for (uint32_t price : {1300u, 1100u, 1200u})
        asks.find_or_insert(level_key(book_side::ask, price));
    ASSERT_EQ(count, 3u);
    EXPECT_TRUE(asks.is_top_slot(1));                            // 1100, the second slot handed out
    EXPECT_EQ(level_price(book_side::ask, asks[2].key), 1100u);  // best ask is the lowest
    EXPECT_EQ(level_price(book_side::ask, asks[0].key), 1300u);
    EXPECT_EQ(asks.find(level_key(book_side::ask, 1200)), 1u);
    EXPECT_EQ(asks.find(level_key(book_side::ask, 1250)), no_level);
    asks.find_or_insert(level_key(book_side::ask, 1000));
    EXPECT_TRUE(asks.full());
    EXPECT_EQ(asks.find_or_insert(level_key(book_side::ask, 1050)), no_level);
    // An existing level is found even when the side is full.
    EXPECT_EQ(asks.find_or_insert(level_key(book_side::ask, 1100)), 2u);
    EXPECT_TRUE(asks.is_top_slot(3));  // 1000 took the last slot and is the best ask
    asks.erase(3);
    EXPECT_EQ(level_price(book_side::ask, asks[2].key), 1100u);
    EXPECT_TRUE(asks.is_top_slot(1));
    EXPECT_EQ(count, 3u);
    while (asks.count() != 0) asks.erase(asks.count() - 1);  // best first, down to empty
    EXPECT_EQ(state.top_slot, no_level);
    EXPECT_EQ(level_key(book_side::bid, 5u), 5u);
}

// The search compares keys a window at a time from the top: levels far below the top (several
// windows down), key 0 and the largest key must be found exactly, against a std::set model.
TEST(PriceLevels, SearchAcrossManyWindowsMatchesASortedSet) {
    constexpr uint32_t capacity = 70;
    price_level storage[capacity];
    uint32_t keys[price_levels::window + capacity] = {};
    uint32_t ranks[capacity];
    price_levels::init_ranks(ranks, capacity);
    side_state state;
    const uint32_t& count = state.count;
    price_levels levels(storage, keys + price_levels::window, ranks, state, capacity);
    std::set<uint32_t> model;
    std::mt19937 random(7);
    for (int step = 0; step < 20000; ++step) {
        const uint32_t pick = random() % 100;
        const uint32_t key = pick == 0 ? 0u : pick == 1 ? ~0u : 1000 + pick * 3;
        const uint32_t expected_index =
            static_cast<uint32_t>(std::distance(model.begin(), model.lower_bound(key)));
        const bool present = model.count(key) != 0;
        EXPECT_EQ(levels.find(key), present ? expected_index : no_level);
        if (random() % 2 == 0 && present) {
            const uint32_t slot = levels.slot(expected_index);
            levels.erase(expected_index);
            ASSERT_EQ(ranks[count], slot);  // the freed slot is the next one handed out
            model.erase(key);
        } else if (!present && model.size() < capacity) {
            EXPECT_EQ(levels.find_or_insert(key), expected_index);
            model.insert(key);
        }
        ASSERT_EQ(count, model.size());
        // The best level's slot follows every insert and erase, the top one's included.
        ASSERT_EQ(state.top_slot, count == 0 ? no_level : ranks[count - 1]);
        uint32_t i = 0;
        for (uint32_t k : model) {
            ASSERT_EQ(levels[i].key, k);
            ASSERT_EQ(&levels[i], &levels.at_slot(levels.slot(i)));
            ASSERT_EQ(keys[price_levels::window + i++], k);
        }
    }
}

}  // namespace

namespace {
struct counting_source_state {
    int allocations = 0;
    int releases = 0;
    std::size_t bytes = 0;
};
void* counting_allocate(void* context, std::size_t bytes) {
    auto* s = static_cast<counting_source_state*>(context);
    ++s->allocations;
    s->bytes += bytes;
    // The memory_source contract: zeroed and aligned to a cache line, as
    // rte_zmalloc_socket(.., 64).
    const std::size_t rounded = (bytes + 63) / 64 * 64;
    void* memory = std::aligned_alloc(64, rounded);
    if (memory != nullptr) std::memset(memory, 0, rounded);
    return memory;
}
void counting_release(void* context, void* memory) {
    ++static_cast<counting_source_state*>(context)->releases;
    std::free(memory);
}
}  // namespace

// Order slots must never straddle two cache lines, so every block starts on a line, also the
// small ones that come from calloc (which promises only 16 bytes).
TEST(FixedMemory, EveryBlockStartsOnACacheLine) {
    for (std::size_t count : {1u, 3u, 100u, 5000u, 70000u}) {
        fixed_array<order_slot> slots;
        ASSERT_TRUE(slots.allocate(count, memory_allocation{false, nullptr}));
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(slots.data()) % 64, 0u) << count;
        EXPECT_EQ(slots[count - 1].shares, 0u);
    }
}

// The gateway gives the books its lcore's hugepage memory through a memory_source: every table
// must come from it, and all of it must go back to it.
TEST(FixedMemory, EveryTableComesFromTheGivenSourceAndGoesBack) {
    counting_source_state state;
    const memory_source source{counting_allocate, counting_release, &state};
    book_capacities capacities;
    capacities.symbols = 64;
    capacities.orders = 1024;
    capacities.levels_per_side = 16;
    capacities.memory = &source;
    {
        book_manager books;
        ASSERT_TRUE(books.init(capacities));
        // order window, hashed orders, levels, level keys, level ranks, sides, books, directory
        EXPECT_EQ(state.allocations, 8);
        EXPECT_EQ(state.bytes, books.reserved_bytes());
        EXPECT_EQ(state.releases, 0);
    }
    EXPECT_EQ(state.releases, 8);
}
