#include "reference_books.hpp"

#include <cassert>

#include "hypertick/base/byte_order.hpp"

namespace itch_gen {

using hypertick::base::load_be16;
using hypertick::base::load_be32;
using hypertick::base::load_be64;

// Offsets straight from the ITCH 5.0 specification, not from the decoder's views.
void reference_books::apply(const uint8_t* m, uint16_t length) {
    if (length == 0) return;
    const uint16_t locate = length >= 3 ? load_be16(m + 1) : 0;
    switch (m[0]) {
        case 'R':
            if (length >= 39) {
                reference_book& book = books_[locate];
                book.locate = locate;
                book.symbol.assign(reinterpret_cast<const char*>(m + 11), 8);
                while (!book.symbol.empty() && book.symbol.back() == ' ') book.symbol.pop_back();
            }
            break;
        case 'A':
        case 'F':
            if (length >= 36)
                add(locate, load_be64(m + 11), static_cast<char>(m[19]), load_be32(m + 20),
                    load_be32(m + 32));
            break;
        case 'E':
        case 'C':
        case 'X':
            if (length >= 23) reduce(load_be64(m + 11), load_be32(m + 19));
            break;
        case 'D':
            if (length >= 19) remove(load_be64(m + 11));
            break;
        case 'U':
            if (length >= 35) {
                const auto old = orders_.find(load_be64(m + 11));
                if (old == orders_.end()) break;
                const reference_order order = old->second;
                remove(old->first);
                add(order.locate, load_be64(m + 19), order.side, load_be32(m + 27),
                    load_be32(m + 31));
            }
            break;
        default:
            break;  // No other type changes a book.
    }
}

std::map<uint32_t, level_total>& reference_books::side_of(const reference_order& order) {
    reference_book& book = books_[order.locate];
    book.locate = order.locate;
    return order.side == 'B' ? book.bids : book.asks;
}

void reference_books::add(uint16_t locate, uint64_t ref, char side, uint32_t shares,
                          uint32_t price) {
    if (shares == 0 || orders_.count(ref) != 0) return;
    const reference_order order{locate, side == 'B' ? 'B' : 'S', price, shares};
    orders_.emplace(ref, order);
    level_total& level = side_of(order)[price];
    level.shares += shares;
    ++level.orders;
}

void reference_books::reduce(uint64_t ref, uint32_t shares) {
    const auto found = orders_.find(ref);
    if (found == orders_.end()) return;
    reference_order& order = found->second;
    if (shares >= order.shares) return remove(ref);
    order.shares -= shares;
    level_total& level = side_of(order)[order.price];
    assert(level.shares > shares);
    level.shares -= shares;
}

void reference_books::remove(uint64_t ref) {
    const auto found = orders_.find(ref);
    if (found == orders_.end()) return;
    const reference_order order = found->second;
    orders_.erase(found);
    auto& levels = side_of(order);
    const auto level = levels.find(order.price);
    assert(level != levels.end() && level->second.shares >= order.shares);
    level->second.shares -= order.shares;
    if (--level->second.orders == 0) levels.erase(level);
}

}  // namespace itch_gen
