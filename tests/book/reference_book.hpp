// The deliberately simple reference for the differential tests: std::map levels, an
// unordered_map of orders, the same ITCH semantics and the same capacity rules as the real
// books, written for obviousness rather than speed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

#include "hypertick/book/bbo.hpp"
#include "hypertick/book/book_capacities.hpp"
#include "hypertick/feed/order_event.hpp"

namespace book_test {

struct ref_level {
    uint64_t shares = 0;
    uint32_t orders = 0;
};

struct ref_book {
    std::map<uint32_t, ref_level, std::greater<>> bids;  // best (highest) first
    std::map<uint32_t, ref_level> asks;                  // best (lowest) first
};

class reference_books {
  public:
    explicit reference_books(const hypertick::book::book_capacities& capacities)
        : caps_(capacities) {}

    void on_directory(uint16_t locate) { book_for(locate); }

    // Applies one order message; returns the locate whose book it could have changed.
    std::optional<uint16_t> apply(const hypertick::feed::order_event& e) {
        switch (e.type) {
            case 'A':
            case 'F':
                if (!book_for(e.stock_locate)) return std::nullopt;
                return add(e.stock_locate, e.order_ref, e.side == 'B', e.shares, e.price)
                           ? std::optional<uint16_t>(e.stock_locate)
                           : std::nullopt;
            case 'E':
            case 'C':
            case 'X': {
                auto it = orders_.find(e.order_ref);
                if (it == orders_.end()) return std::nullopt;
                const uint16_t locate = it->second.locate;
                if (e.shares >= it->second.shares) {
                    remove(it->first);
                } else {
                    it->second.shares -= e.shares;
                    level_of(it->second).shares -= e.shares;
                }
                return locate;
            }
            case 'D': {
                auto it = orders_.find(e.order_ref);
                if (it == orders_.end()) return std::nullopt;
                const uint16_t locate = it->second.locate;
                remove(e.order_ref);
                return locate;
            }
            case 'U': {
                auto it = orders_.find(e.order_ref);
                if (it == orders_.end()) return std::nullopt;
                const ref_order old = it->second;
                remove(e.order_ref);
                add(old.locate, e.new_order_ref, old.bid, e.shares, e.price);
                return old.locate;
            }
            default:
                return std::nullopt;
        }
    }

    // The locate `e` would touch: an add's own, or the live order's; none for an unknown ref.
    std::optional<uint16_t> locate_of(const hypertick::feed::order_event& e) const {
        if (e.type == 'A' || e.type == 'F') return e.stock_locate;
        auto it = orders_.find(e.order_ref);
        if (it == orders_.end()) return std::nullopt;
        return it->second.locate;
    }

    // Shares left on a live order; none for an unknown reference.
    std::optional<uint32_t> remaining(uint64_t ref) const {
        auto it = orders_.find(ref);
        if (it == orders_.end()) return std::nullopt;
        return it->second.shares;
    }
    // Price levels of both sides of a locate's book.
    size_t level_count(uint16_t locate) const {
        if (!has_book(locate)) return 0;
        return books_.at(locate).bids.size() + books_.at(locate).asks.size();
    }
    const std::map<uint16_t, ref_book>& books() const { return books_; }
    bool has_book(uint16_t locate) const { return books_.count(locate) != 0; }
    const ref_book& book(uint16_t locate) const { return books_.at(locate); }
    size_t live_orders() const { return orders_.size(); }

    hypertick::book::top_level top(uint16_t locate, bool bid) const {
        if (!has_book(locate)) return {};
        const ref_book& b = books_.at(locate);
        if (bid) return b.bids.empty() ? hypertick::book::top_level{} : top_of(*b.bids.begin());
        return b.asks.empty() ? hypertick::book::top_level{} : top_of(*b.asks.begin());
    }

  private:
    struct ref_order {
        uint16_t locate;
        bool bid;
        uint32_t price;
        uint32_t shares;
    };

    static hypertick::book::top_level top_of(const std::pair<const uint32_t, ref_level>& level) {
        return {level.first, level.second.orders, level.second.shares};
    }

    bool book_for(uint16_t locate) {
        if (books_.count(locate) != 0) return true;
        if (books_.size() == caps_.symbols) return false;
        books_[locate];
        return true;
    }

    bool add(uint16_t locate, uint64_t ref, bool bid, uint32_t shares, uint32_t price) {
        if (shares == 0 || orders_.count(ref) != 0 || orders_.size() == caps_.orders) return false;
        ref_book& b = books_.at(locate);
        const bool new_level = bid ? b.bids.count(price) == 0 : b.asks.count(price) == 0;
        const size_t levels = bid ? b.bids.size() : b.asks.size();
        if (new_level && levels == caps_.levels_per_side) return false;
        const ref_order order{locate, bid, price, shares};
        orders_[ref] = order;
        ref_level& level = level_of(order);
        level.shares += shares;
        level.orders += 1;
        return true;
    }

    ref_level& level_of(const ref_order& o) {
        ref_book& b = books_.at(o.locate);
        return o.bid ? b.bids[o.price] : b.asks[o.price];
    }

    void remove(uint64_t ref) {
        const ref_order o = orders_.at(ref);
        orders_.erase(ref);
        ref_book& b = books_.at(o.locate);
        ref_level& level = level_of(o);
        level.shares -= o.shares;
        if (--level.orders == 0) {
            if (o.bid)
                b.bids.erase(o.price);
            else
                b.asks.erase(o.price);
        }
    }

    hypertick::book::book_capacities caps_;
    std::map<uint16_t, ref_book> books_;
    std::unordered_map<uint64_t, ref_order> orders_;
};

}  // namespace book_test
