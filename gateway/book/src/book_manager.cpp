#include "hypertick/book/book_manager.hpp"

#include <unistd.h>

#include <algorithm>
#include <vector>

namespace hypertick::book {

namespace {

// The window and the hashed table (at least twice `orders` slots, a power of two).
uint64_t order_index_bytes(uint32_t orders, uint32_t window) {
    uint64_t slots = 2;
    while (slots < uint64_t{orders} * 2) slots *= 2;
    return (slots + window) * sizeof(order_slot);
}

}  // namespace

// One book per 4 KiB of the L2 cache: 512 books with 2 MiB. Why that size: a sweep of
// itch_gen files on a 2 MiB-L2 VM (docs/performance.md, "Ninth round") found the level
// prefetches (the add's on arrival and the second stage) costing 7-12% at 256 books and fewer,
// level at 512, and gaining 9% at 1,024 books and more: besides the levels, the L2 holds the
// order lines in flight, so the levels of a few hundred books stop being found cached well
// before they fill it. An unknown cache size counts as 1 MiB.
uint32_t book_manager::derived_level_prefetch_books() {
    const long reported = sysconf(_SC_LEVEL2_CACHE_SIZE);
    const uint64_t l2_bytes = reported > 0 ? static_cast<uint64_t>(reported) : uint64_t{1} << 20;
    constexpr uint64_t l2_bytes_per_book = 4096;
    return static_cast<uint32_t>(std::min<uint64_t>(l2_bytes / l2_bytes_per_book, max_symbols));
}

uint64_t reserved_bytes(const book_capacities& c) {
    return order_index_bytes(c.orders, order_window_slots(c)) +
           uint64_t{c.symbols} * 2 * c.levels_per_side * (sizeof(price_level) + sizeof(uint32_t)) +
           uint64_t{c.symbols} * 2 * (price_levels::window + c.levels_per_side) * sizeof(uint32_t) +
           uint64_t{c.symbols} * (sizeof(book_state) + 2 * sizeof(side_state)) +
           uint64_t{locate_count} * sizeof(directory_entry);
}

bool book_manager::init(const book_capacities& capacities) {
    HT_ASSERT(capacities.symbols > 0 && capacities.symbols <= max_symbols);
    static_assert(max_symbols < no_book);
    HT_ASSERT(capacities.orders > 0 && capacities.levels_per_side > 0);
    HT_ASSERT((capacities.order_window & (capacities.order_window - 1)) == 0);
    capacities_ = capacities;
    books_used_ = 0;
    level_prefetch_books_ = capacities.level_prefetch_books == derive_level_prefetch_books
                                ? derived_level_prefetch_books()
                                : capacities.level_prefetch_books;
    prefetch_levels_ = level_prefetch_books_ == 0;
    counters_ = book_counters{};
    const uint64_t level_slots = uint64_t{capacities.symbols} * 2 * capacities.levels_per_side;
    const memory_allocation how = capacities.allocation();
    const uint64_t key_slots =
        uint64_t{capacities.symbols} * 2 * (price_levels::window + capacities.levels_per_side);
    return orders_.init(capacities.orders, order_window_slots(capacities), how) &&
           levels_.allocate(level_slots, how) && level_keys_.allocate(key_slots, how) &&
           level_ranks_.allocate(level_slots, how) &&
           sides_.allocate(uint64_t{capacities.symbols} * 2, how) &&
           books_.allocate(capacities.symbols, how) && directory_.init(how);
}

uint64_t book_manager::reserved_bytes() const {
    return orders_.bytes() + levels_.bytes() + level_keys_.bytes() + level_ranks_.bytes() +
           sides_.bytes() + books_.bytes() + directory_.bytes();
}

void book_manager::on_stock_directory(uint16_t locate, std::string_view symbol8) {
    ++counters_.directory_entries;
    directory_.list(locate, symbol8);
    // Books are created here so a listed symbol that never trades still has one; a full pool
    // marks it degraded now rather than at its first order.
    book_for(locate);
}

uint32_t book_manager::create_book(uint16_t locate) {
    directory_entry& entry = directory_[locate];
    HT_DEBUG_ASSERT(entry.book == 0);
    if (books_used_ == capacities_.symbols) {
        ++counters_.book_pool_full;
        degrade(locate, degraded_no_book);
        return no_changed_book;
    }
    const uint32_t book = books_used_++;
    prefetch_levels_ = books_used_ > level_prefetch_books_;
    books_[book] = book_state{};
    books_[book].locate = locate;
    for (uint64_t side_index = uint64_t{book} * 2; side_index < uint64_t{book} * 2 + 2;
         ++side_index) {
        price_levels::init_ranks(level_ranks_.data() + side_index * capacities_.levels_per_side,
                                 capacities_.levels_per_side);
        sides_[side_index] = side_state{};
    }
    entry.book = static_cast<uint16_t>(book + 1);
    if (!entry.listed) entry.symbol.fill(' ');
    return book;
}

book_manager::book_change book_manager::refuse_order(uint32_t book,
                                                     order_index::insert_result result) {
    if (result == order_index::insert_result::already_live) {
        ++counters_.duplicate_refs;
        feed_flags_ = bbo_feed_invalid;
    } else {
        ++counters_.order_table_full;
        degrade(books_[book].locate, degraded_orders_full);
    }
    return unchanged;
}

book_manager::book_change book_manager::refuse_level(uint32_t book, order_slot* order) {
    // The slot was claimed but never filled: give it back before anything else probes.
    order->shares = 1;
    orders_.erase(order);
    ++counters_.level_side_full;
    degrade(books_[book].locate, degraded_levels_full);
    return unchanged;
}

uint32_t book_manager::level_count(uint16_t locate, book_side side) const {
    const directory_entry& entry = directory_[locate];
    return entry.book == 0 ? 0 : sides_[(entry.book - 1u) * 2u + static_cast<uint32_t>(side)].count;
}

top_level book_manager::level(uint16_t locate, book_side side, uint32_t i) const {
    const uint32_t book = directory_[locate].book - 1u;
    const uint32_t count = level_count(locate, side);
    HT_ASSERT(i < count);
    const price_level& l = ranked_level(book, side, count - 1 - i);
    return top_level{level_price(side, l.key), l.orders, l.shares};
}

// Control plane only: allocates its scratch totals.
std::string_view book_manager::verify() const {
    // Re-add every live order into scratch totals laid out like the level arena, then compare.
    std::vector<price_level> totals(levels_.size(), price_level{0, 0, 0});
    std::string_view problem = orders_.verify();
    orders_.for_each_live([&](const order_slot& order) {
        if (!problem.empty()) return;
        if (order.book >= books_used_) {
            problem = "order refers to an unused book";
        } else if (orders_.find(order.ref) != &order) {
            problem = "order not reachable from its reference";
        } else if (order.level >= capacities_.levels_per_side) {
            problem = "order's level slot is out of range";
        } else {
            const uint64_t first = (uint64_t{order.book} * 2 + static_cast<uint32_t>(order.side)) *
                                   capacities_.levels_per_side;
            if (levels_[first + order.level].key != level_key(order.side, order.price)) {
                problem = "order's level slot holds another price";
                return;
            }
            price_level& total = totals[first + order.level];
            total.orders += 1;
            total.shares += order.shares;
        }
    });
    if (!problem.empty()) return problem;
    uint64_t level_orders = 0;
    for (uint32_t book = 0; book < books_used_; ++book) {
        for (book_side side : {book_side::bid, book_side::ask}) {
            const side_state& state = sides_[book * 2u + static_cast<uint32_t>(side)];
            const uint32_t count = state.count;
            if (count > capacities_.levels_per_side) return "more levels than the side holds";
            const uint64_t first =
                (uint64_t{book} * 2 + static_cast<uint32_t>(side)) * capacities_.levels_per_side;
            std::vector<bool> seen(capacities_.levels_per_side, false);
            for (uint32_t i = 0; i < capacities_.levels_per_side; ++i) {
                const uint32_t slot = level_ranks_[first + i];
                if (slot >= capacities_.levels_per_side || seen[slot])
                    return "level ranks are not a permutation";
                seen[slot] = true;
            }
            for (uint32_t i = 0; i < count; ++i) {
                const uint64_t slot = first + level_ranks_[first + i];
                const price_level& level = levels_[slot];
                const price_level& total = totals[slot];
                if (level.orders == 0) return "empty level kept";
                if (level.orders != total.orders) return "level order count is not its orders";
                if (level.shares != total.shares)
                    return "level shares are not the sum of its orders";
                if (i > 0 && ranked_level(book, side, i - 1).key >= level.key)
                    return "levels out of order";
                if (side_keys(book * 2u + static_cast<uint32_t>(side))[i] != level.key) {
                    return "search key differs from its level's key";
                }
                level_orders += level.orders;
            }
            if (state.top_slot != (count == 0 ? no_level : level_ranks_[first + count - 1]))
                return "a side's best slot is not its last ranked level";
            for (uint32_t i = count; i < capacities_.levels_per_side; ++i) {
                if (totals[first + level_ranks_[first + i]].orders != 0)
                    return "an order rests on a free level";
            }
            if (!(current_top(book, side) == books_[book].reported[static_cast<uint32_t>(side)])) {
                return "reported top is stale";
            }
        }
    }
    if (level_orders != orders_.live()) return "level order counts disagree with live orders";
    return {};
}

}  // namespace hypertick::book
