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
using hypertick::feed::OrderEvent;

inline OrderEvent add(uint64_t ref, char side, uint32_t shares, uint32_t price,
                      uint16_t locate = 1) {
    OrderEvent e;
    e.type = 'A';
    e.order_ref = ref;
    e.side = side;
    e.shares = shares;
    e.price = price;
    e.stock_locate = locate;
    return e;
}
inline OrderEvent reduce(char type, uint64_t ref, uint32_t shares) {
    OrderEvent e;
    e.type = type;
    e.order_ref = ref;
    e.shares = shares;
    return e;
}
inline OrderEvent del(uint64_t ref) {
    return reduce('D', ref, 0);
}
inline OrderEvent replace(uint64_t ref, uint64_t new_ref, uint32_t shares, uint32_t price) {
    OrderEvent e;
    e.type = 'U';
    e.order_ref = ref;
    e.new_order_ref = new_ref;
    e.shares = shares;
    e.price = price;
    return e;
}

struct RecordingSink {
    std::vector<BboUpdate> updates;
    void on_bbo(const BboUpdate& u) { updates.push_back(u); }
};

// A small reference window by default, so tests slide it and move orders behind it.
inline BookCapacities small_capacities(uint32_t symbols = 16, uint32_t orders = 1024,
                                       uint32_t levels = 64, uint32_t order_window = 128) {
    BookCapacities c;
    c.symbols = symbols;
    c.orders = orders;
    c.levels_per_side = levels;
    c.order_window = order_window;
    c.prefault = false;
    return c;
}

// Every level of one locate's book, both sides, against the reference. Returns true if equal
// (and reports the first difference through gtest).
inline bool same_book(const BookManager& books, const ReferenceBooks& reference, uint16_t locate) {
    const RefBook empty;
    const RefBook& want = reference.has_book(locate) ? reference.book(locate) : empty;
    auto compare_side = [&](Side side, const auto& levels) {
        const uint32_t count = books.level_count(locate, side);
        if (count != levels.size()) {
            ADD_FAILURE() << "locate " << locate << " side " << int(side) << ": " << count
                          << " levels, reference " << levels.size();
            return false;
        }
        uint32_t i = 0;
        for (const auto& [price, level] : levels) {
            const TopLevel got = books.level(locate, side, i++);
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
    return compare_side(Side::bid, want.bids) && compare_side(Side::ask, want.asks);
}

inline itch_gen::Capture generate_capture(const itch_gen::Options& options) {
    itch_gen::Capture capture;
    std::string error;
    EXPECT_TRUE(itch_gen::generate(options, capture, error)) << error;
    return capture;
}

}  // namespace book_test
