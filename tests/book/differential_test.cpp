// The real books against the std::map reference, level by level after EVERY message: over a
// generated feed of HT_DIFF_MESSAGES messages (>= 1 million in release builds) and many symbols,
// over itch_gen's nasdaq profile (HT_DIFF_NASDAQ_MESSAGES: 10 million in release builds, past a
// million live orders on 8,192 symbols; 2 million under the sanitizers), and over randomized
// sequences full of unknown references, duplicates and full tables.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "book_test_support.hpp"
#include "market.hpp"

#ifndef HT_DIFF_MESSAGES
#define HT_DIFF_MESSAGES 1'000'000
#endif
#ifndef HT_DIFF_NASDAQ_MESSAGES
#define HT_DIFF_NASDAQ_MESSAGES 10'000'000
#endif

namespace {

using namespace book_test;
using hypertick::feed::stock_directory;

// What the cancels of every remaining share did to the books (an 'X' that removes its order).
struct full_cancel_transitions {
    uint64_t cancels = 0;
    uint64_t levels_emptied = 0;
    uint64_t best_levels_emptied = 0;
    uint64_t books_emptied = 0;
};

// Applies one event to both and checks the touched book and the BBO stream.
struct differential {
    explicit differential(const book_capacities& c) : reference(c) { EXPECT_TRUE(books.init(c)); }

    void directory(uint16_t locate, std::string_view symbol8) {
        books.on_stock_directory(locate, symbol8);
        reference.on_directory(locate);
    }

    // Returns false on the first difference.
    bool apply(const order_event& e, uint64_t sequence) {
        const std::optional<uint16_t> touched_hint = reference.locate_of(e);
        const top_level bid_before =
            touched_hint ? reference.top(*touched_hint, true) : top_level{};
        const top_level ask_before =
            touched_hint ? reference.top(*touched_hint, false) : top_level{};
        const size_t updates_before = sink.updates.size();
        const std::optional<uint32_t> remaining =
            e.type == 'X' ? reference.remaining(e.order_ref) : std::nullopt;
        const size_t levels_before = touched_hint ? reference.level_count(*touched_hint) : 0;
        books.apply(e, sequence, sink);
        const std::optional<uint16_t> touched = reference.apply(e);
        if (!touched)
            return sink.updates.size() == updates_before ||
                   (ADD_FAILURE() << "update without change", false);
        if (!same_book(books, reference, *touched)) return false;
        const top_level bid = reference.top(*touched, true);
        const top_level ask = reference.top(*touched, false);
        if (remaining && e.shares >= *remaining) {
            const size_t levels_after = reference.level_count(*touched);
            ++full_cancels.cancels;
            full_cancels.levels_emptied += levels_after < levels_before;
            full_cancels.best_levels_emptied +=
                levels_after < levels_before &&
                (bid.price != bid_before.price || ask.price != ask_before.price);
            full_cancels.books_emptied += levels_after == 0;
        }
        const bool changed = !(bid == bid_before) || !(ask == ask_before);
        if (sink.updates.size() != updates_before + (changed ? 1 : 0)) {
            ADD_FAILURE() << "sequence " << sequence << ": BBO updates "
                          << sink.updates.size() - updates_before << ", expected " << changed;
            return false;
        }
        if (changed) {
            const bbo_update& u = sink.updates.back();
            if (!(u.bid == bid) || !(u.ask == ask) || u.locate != *touched ||
                u.sequence != sequence) {
                ADD_FAILURE() << "sequence " << sequence << ": wrong BBO update";
                return false;
            }
        }
        sink.updates.clear();
        return true;
    }

    bool all_books_equal() const {
        for (uint32_t locate = 0; locate < locate_count; ++locate) {
            if (!same_book(books, reference, static_cast<uint16_t>(locate))) return false;
        }
        return books.live_orders() == reference.live_orders();
    }

    book_manager books;
    reference_books reference;
    recording_sink sink;
    full_cancel_transitions full_cancels;
};

// Every message of `messages` through both, the whole book checked every `verify_every`.
// Returns the number of order messages.
uint64_t replay_every_message(differential& d, const itch_gen::message_stream& messages,
                              uint64_t verify_every) {
    uint64_t order_messages = 0;
    for (uint64_t i = 0; i < messages.size(); ++i) {
        const uint8_t* m = messages.data(i);
        const uint16_t length = messages.length(i);
        if (m[0] == 'R') {
            const stock_directory r{m};
            d.directory(r.stock_locate(), r.stock());
            continue;
        }
        order_event e;
        if (!hypertick::feed::decode_order_event(m, length, e)) continue;
        ++order_messages;
        if (!d.apply(e, i + 1)) {
            ADD_FAILURE() << "message " << i << " type " << e.type;
            return order_messages;
        }
        if (i % verify_every == 0) {
            const std::string problems(d.books.verify());
            if (!problems.empty()) {
                ADD_FAILURE() << "message " << i << ": " << problems;
                return order_messages;
            }
        }
    }
    return order_messages;
}

TEST(Differential, GeneratedFeedEveryMessageManySymbols) {
    itch_gen::generator_options o;
    o.seed = 11;
    o.symbols = 300;
    o.messages = HT_DIFF_MESSAGES;
    const itch_gen::generated_capture capture = generate_capture(o);
    differential d(small_capacities(512, 1 << 18, 512, 1 << 12));
    const uint64_t order_messages = replay_every_message(d, capture.messages, 100'000);
    ASSERT_FALSE(HasFailure());
    EXPECT_GT(order_messages, capture.messages.size() * 9 / 10);
    EXPECT_TRUE(d.all_books_equal());
    EXPECT_EQ(d.books.verify(), "");
    const book_counters& c = d.books.counters();
    EXPECT_EQ(c.crossed_bbo, 0u);  // itch_gen never crosses
    EXPECT_EQ(c.unknown_refs + c.duplicate_refs + c.order_table_full + c.level_side_full, 0u);
    EXPECT_GT(c.bbo_updates, 0u);
}

// A day-like stream: 8,192 symbols, 300 of them hot, books filling past a million live orders,
// cancels of every remaining share emptying levels, best levels and whole books.
TEST(Differential, NasdaqProfileEveryMessage) {
    itch_gen::generator_options o;
    o.profile = itch_gen::feed_profile::nasdaq;
    o.seed = 5;
    o.symbols = 8192;
    o.messages = HT_DIFF_NASDAQ_MESSAGES;
    const itch_gen::message_stream messages = itch_gen::generate_market(o);
    differential d(small_capacities(8192, 1 << 21, 256, 1 << 16));
    const uint64_t order_messages = replay_every_message(d, messages, 1'000'000);
    ASSERT_FALSE(HasFailure());
    EXPECT_GT(order_messages, messages.size() * 9 / 10);
    EXPECT_TRUE(d.all_books_equal());
    EXPECT_EQ(d.books.verify(), "");
    const book_counters& c = d.books.counters();
    EXPECT_EQ(c.crossed_bbo, 0u);
    EXPECT_EQ(c.unknown_refs + c.duplicate_refs + c.order_table_full + c.level_side_full +
                  c.over_reductions,
              0u);
    // A 65,536-reference window over a day's references: most orders are found in it, and
    // the survivors it moves past in the hashed table behind it.
    EXPECT_GT(d.books.orders().moved_behind(), 0u);
    EXPECT_GT(d.books.orders().window_live(), 0u);
    const full_cancel_transitions& t = d.full_cancels;
    EXPECT_GT(t.cancels, messages.size() / 2000);
    EXPECT_GT(t.levels_emptied, 0u);
    EXPECT_GT(t.best_levels_emptied, 0u);
    if (messages.size() >= 4'000'000) {  // the long run: a day's scale
        EXPECT_GE(d.books.orders().peak_live(), 1'000'000u);
        EXPECT_GT(t.books_emptied, 0u);
    }
    std::printf(
        "nasdaq profile: %llu messages, peak %u live orders; full cancels %llu: %llu emptied a "
        "level, "
        "%llu the best level, %llu the whole book\n",
        static_cast<unsigned long long>(messages.size()), d.books.orders().peak_live(),
        static_cast<unsigned long long>(t.cancels),
        static_cast<unsigned long long>(t.levels_emptied),
        static_cast<unsigned long long>(t.best_levels_emptied),
        static_cast<unsigned long long>(t.books_emptied));
}

// Random events over few symbols and a small reference space: unknown references, duplicate
// adds, replaces onto live references, zero shares, over-executions, and every table full.
void random_run(uint64_t seed, const book_capacities& caps, uint32_t events) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    differential d(caps);
    for (uint16_t locate = 1; locate <= 4; ++locate) d.directory(locate, "SYM     ");
    auto below = [&](uint64_t n) { return rng() % n; };
    for (uint32_t i = 0; i < events; ++i) {
        order_event e;
        const uint64_t kind = below(100);
        const uint64_t ref = below(400);
        const uint32_t shares = static_cast<uint32_t>(below(20) == 0 ? 0 : below(500) + 1);
        const uint32_t price = static_cast<uint32_t>(1000 + below(40) * 10);
        if (kind < 40) {
            e = add(ref, below(2) == 0 ? 'B' : 'S', shares, price,
                    static_cast<uint16_t>(1 + below(6)));
            if (below(5) == 0) e.type = 'F';
        } else if (kind < 55) {
            e = reduce("ECX"[below(3)], ref, shares);
        } else if (kind < 85) {
            e = del(ref);
        } else {
            const uint64_t new_ref = below(400);
            e = replace(ref, new_ref, shares, price);
        }
        ASSERT_TRUE(d.apply(e, i + 1)) << "event " << i << " type " << e.type << " ref " << ref;
        if (i % 97 == 0) {
            ASSERT_EQ(d.books.verify(), "");
        }
    }
    EXPECT_TRUE(d.all_books_equal());
    // References up to 400 against a 128-slot window (small_capacities): the window slid
    // and orders lived on behind it.
    EXPECT_GT(d.books.orders().moved_behind() + d.books.orders().added_behind(), 0u);
    const book_counters& c = d.books.counters();
    EXPECT_GT(c.unknown_refs, 0u);
    EXPECT_GT(c.duplicate_refs, 0u);
    EXPECT_GT(c.zero_share_adds, 0u);
    EXPECT_GT(c.over_reductions, 0u);
    if (caps.orders <= 40) {
        EXPECT_GT(c.order_table_full, 0u);
        EXPECT_GT(c.level_side_full, 0u);
        EXPECT_GT(c.book_pool_full, 0u);
    }
}

TEST(Differential, RandomizedRoomyTables) {
    random_run(1, small_capacities(16, 1024, 64), 60'000);
}

TEST(Differential, RandomizedEveryTableFull) {
    const book_capacities caps = small_capacities(3, 40, 6);  // 4 listed + 2 unlisted locates
    for (uint64_t seed = 2; seed < 6; ++seed) random_run(seed, caps, 30'000);
}

}  // namespace
