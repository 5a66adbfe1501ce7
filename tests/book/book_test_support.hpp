// Helpers shared by the book tests: order events, a recording BBO sink, level-by-level
// comparison of the real books with the reference, and running generated captures.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "generator.hpp"
#include "hypertick/book/book_manager.hpp"
#include "reference_book.hpp"

namespace book_test {

using namespace hypertick::book;
using hypertick::feed::order_event;

inline order_event add(uint64_t ref, char side, uint32_t shares, uint32_t price,
                       uint16_t locate = 1) {
    order_event e;
    e.type = 'A';
    e.order_ref = ref;
    e.side = side;
    e.shares = shares;
    e.price = price;
    e.stock_locate = locate;
    return e;
}
inline order_event reduce(char type, uint64_t ref, uint32_t shares) {
    order_event e;
    e.type = type;
    e.order_ref = ref;
    e.shares = shares;
    return e;
}
inline order_event del(uint64_t ref) {
    return reduce('D', ref, 0);
}
inline order_event replace(uint64_t ref, uint64_t new_ref, uint32_t shares, uint32_t price) {
    order_event e;
    e.type = 'U';
    e.order_ref = ref;
    e.new_order_ref = new_ref;
    e.shares = shares;
    e.price = price;
    return e;
}

struct recording_sink {
    std::vector<bbo_update> updates;
    void on_bbo(const bbo_update& u) { updates.push_back(u); }
};

// A small reference window by default, so tests slide it and move orders behind it.
inline book_capacities small_capacities(uint32_t symbols = 16, uint32_t orders = 1024,
                                        uint32_t levels = 64, uint32_t order_window = 128) {
    book_capacities c;
    c.symbols = symbols;
    c.orders = orders;
    c.levels_per_side = levels;
    c.order_window = order_window;
    c.prefault = false;
    return c;
}

// Every level of one locate's book, both sides, against the reference. Returns true if equal
// (and reports the first difference through gtest).
inline bool same_book(const book_manager& books, const reference_books& reference,
                      uint16_t locate) {
    const ref_book empty;
    const ref_book& want = reference.has_book(locate) ? reference.book(locate) : empty;
    auto compare_side = [&](book_side side, const auto& levels) {
        const uint32_t count = books.level_count(locate, side);
        if (count != levels.size()) {
            ADD_FAILURE() << "locate " << locate << " side " << int(side) << ": " << count
                          << " levels, reference " << levels.size();
            return false;
        }
        uint32_t i = 0;
        for (const auto& [price, level] : levels) {
            const top_level got = books.level(locate, side, i++);
            if (got.price != price || got.shares != level.shares || got.orders != level.orders) {
                ADD_FAILURE() << "locate " << locate << " side " << int(side) << " level " << i - 1
                              << ": got " << got.price << "/" << got.shares << "/" << got.orders
                              << ", reference " << price << "/" << level.shares << "/"
                              << level.orders;
                return false;
            }
        }
        return true;
    };
    return compare_side(book_side::bid, want.bids) && compare_side(book_side::ask, want.asks);
}

inline itch_gen::generated_capture generate_capture(const itch_gen::generator_options& options) {
    itch_gen::generated_capture capture;
    std::string error;
    EXPECT_TRUE(itch_gen::generate(options, capture, error)) << error;
    return capture;
}

// The basic profile's stream for `seed`, `symbols` and `messages`, every other option default.
inline itch_gen::generated_capture generate_capture(uint64_t seed, uint32_t symbols,
                                                    uint64_t messages) {
    itch_gen::generator_options o;
    o.seed = seed;
    o.symbols = symbols;
    o.messages = messages;
    return generate_capture(o);
}

}  // namespace book_test
