// All books of one feed: applies the ITCH order messages (A F E C X D U, as the feed library's
// normalised order_event) and the stock directory, and reports top-of-book changes to a sink.
//
// Semantics (ITCH 5.0, docs/book.md): A/F add; E and C remove executed shares at the resting
// order's price (C's execution price never moves the order); X removes cancelled shares; an
// order reaching zero shares is removed; D deletes; U removes the original and adds the new
// reference on the same book and side with the new total shares and the new price. Order
// references are unique across the whole feed, so one table serves every book.
//
// Memory: everything is allocated by init(); apply() never allocates, throws, logs or makes a
// system call. A full table drops the add, counts it and marks the symbol degraded; every other
// symbol carries on exactly.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "hypertick/base/assert.hpp"
#include "hypertick/book/bbo.hpp"
#include "hypertick/book/book_capacities.hpp"
#include "hypertick/book/book_counters.hpp"
#include "hypertick/book/fixed_memory.hpp"
#include "hypertick/book/order_index.hpp"
#include "hypertick/book/prefetch.hpp"
#include "hypertick/book/price_levels.hpp"
#include "hypertick/book/symbol_directory.hpp"
#include "hypertick/feed/itch_messages.hpp"
#include "hypertick/feed/order_event.hpp"

namespace hypertick::book {

// The per-book state besides its levels (whose counts are in side_state): the top last
// reported, read only when a message touched a side's best level.
struct book_state {
    top_level reported[2];  // bid, ask as last sent to the sink
    uint16_t locate;
};

class book_manager {
  public:
    // Allocates every table. False when memory is not available (capacities too large).
    bool init(const book_capacities& capacities);

    // A stock directory ('R') entry: `symbol8` is the 8-byte, space-padded ITCH stock field.
    void on_stock_directory(uint16_t locate, std::string_view symbol8);

    // Applies one order message and, if it changed the book's best bid or ask, reports the new
    // top to `sink`. `sequence` is the message's MoldUDP64 sequence number.
    template <class Sink>
    void apply(const feed::order_event& event, uint64_t sequence, Sink& sink) {
        const book_change changed = apply_event(event);
        if (changed.top) {
            report_top(changed, event.timestamp_ns, sequence, sink);
        } else {
            HT_DEBUG_ASSERT(changed.book == no_changed_book || top_is_reported(changed));
        }
    }

    // The same for an order message as the feed carries it (A F E C X D U), read in place:
    // each type loads its own fields at their fixed offsets, with no decoded copy in between.
    // The caller has checked that `message` is an order type at least as long as its type
    // (feed::decode_itch_message does, for a handler that takes order messages) and that an
    // add's side is B or S.
    template <class Sink>
    void apply_message(const uint8_t* message, uint64_t sequence, Sink& sink) {
        const book_change changed = apply_message_event(message);
        if (changed.top) {
            report_top(changed, base::load_be48(message + 5), sequence, sink);
        } else {
            HT_DEBUG_ASSERT(changed.book == no_changed_book || top_is_reported(changed));
        }
    }

    // Starts loading what apply(event) will touch first: the order table slots and, for an add
    // while prefetches_levels(), the top of its side's search keys and ranks and the first
    // lines of its level pool (found through the directory and the book's level count, both
    // small enough to stay cached). Issue it a few messages ahead of apply:
    // pipelined_book_handler does.
    //
    // Why the add's part waits for prefetches_levels(): with fewer books, those lines are
    // found cached, and the add's part costs about 55 instructions and a type branch that
    // mispredicts on a random mix of adds and others (on the small files, about 23
    // instructions a message and 7-12% of the time: docs/performance.md).
    void prefetch(const feed::order_event& event) const {
        orders_.prefetch(event.order_ref);
        if (event.type == 'U') orders_.prefetch(event.new_order_ref);
        if (prefetch_levels_) {
            if (event.type == 'A' || event.type == 'F')
                prefetch_add_levels(event.stock_locate, event.side);
        }
    }
    // The same for an order message read in place (see apply_message).
    void prefetch_message(const uint8_t* message) const {
        orders_.prefetch(base::load_be64(message + 11));  // every order type's reference
        const char type = static_cast<char>(message[0]);
        if (type == 'U') orders_.prefetch(feed::order_replace{message}.new_order_ref());
        if (prefetch_levels_) {
            if (type == 'A' || type == 'F') {
                const feed::add_order add{message};  // F has A's layout, then its MPID
                prefetch_add_levels(add.stock_locate(), add.side());
            }
        }
    }

    // Second stage, a few messages before apply_message: the order's window slot (the line the
    // first stage fetched) names the book, side and level the order rests on, so start loading
    // that level's line, which an E, C, X, D or U updates. No checks: a slot that holds another
    // order (or none, or the message is an add) names some other level, and a prefetch of it
    // is harmless; a slot's fields are always within the tables.
    //
    // Why only with many books (prefetches_levels(), which gates the add's level prefetches
    // too; `level_prefetch_books`, derived from the L2 cache's size): while the books' levels
    // are found cached, the stage is about 20 instructions a message for nothing. Beyond
    // that, the level line was the largest wait of a delete.
    bool prefetches_levels() const { return prefetch_levels_; }
    // The books in use past which prefetches_levels() holds (capacities, or derived).
    uint32_t level_prefetch_books() const { return level_prefetch_books_; }
    void prefetch_message_level(const uint8_t* message) const {
        const order_slot& slot = orders_.window_slot(base::load_be64(message + 11));
        const uint64_t side_index = uint64_t{slot.book} * 2 + static_cast<uint32_t>(slot.side);
        prefetch_line(levels_.data() + side_index * capacities_.levels_per_side + slot.level);
    }

    // Queries (control plane, tests).
    const book_counters& counters() const { return counters_; }
    // The feed's books stopped being valid (a skipped range, a session change...): every BBO
    // update from now on carries bbo_feed_invalid.
    void mark_feed_invalid() { feed_flags_ = bbo_feed_invalid; }
    const book_capacities& capacities() const { return capacities_; }
    const directory_entry& directory(uint16_t locate) const { return directory_[locate]; }
    uint32_t live_orders() const { return orders_.live(); }
    uint32_t books_in_use() const { return books_used_; }
    const order_index& orders() const { return orders_; }
    // Levels of one side, best first; 0 when the locate has no book.
    uint32_t level_count(uint16_t locate, book_side side) const;
    // The i-th best level: price, shares and orders.
    top_level level(uint16_t locate, book_side side, uint32_t i) const;
    top_level top(uint16_t locate, book_side side) const {
        return level_count(locate, side) == 0 ? top_level{} : level(locate, side, 0);
    }
    uint64_t reserved_bytes() const;

    // Recomputes every level from the live orders and checks counts, aggregates, sort order
    // and the reported tops. O(orders + levels): tests and debug builds only. Returns the
    // first problem found, or an empty view.
    std::string_view verify() const;

  private:
    static constexpr uint32_t no_changed_book = ~uint32_t{0};

    // What a message changed: one side of one book (book == no_changed_book: nothing), and
    // whether it touched that side's best level. Why `top`: a change below the best level
    // cannot change the top of book, so only a touched top is read and compared with the one
    // last reported (about a third of messages touch a top).
    // `best`, when `top`: the side's best level after the change if the path holds it (an add,
    // a reduction, a removal that left its level), so report_top does not find it again through
    // the level count and the ranks; nullptr when it must be read (an emptied level, some
    // replaces).
    struct book_change {
        uint32_t book;
        book_side side;
        bool top;
        const price_level* best;
    };
    static constexpr book_change unchanged{no_changed_book, book_side::bid, false, nullptr};

    price_levels side_levels(uint32_t book, book_side side) {
        const uint64_t side_index = uint64_t{book} * 2 + static_cast<uint32_t>(side);
        const uint64_t first = side_index * capacities_.levels_per_side;
        return price_levels(levels_.data() + first, side_keys(side_index),
                            level_ranks_.data() + first, sides_[side_index],
                            capacities_.levels_per_side);
    }
    // Starts loading the top search window of an add's side (its keys and ranks near the best
    // level, where the search nearly always ends) and the first lines of its level pool.
    //
    // Why the pool's first lines: the level an add updates is known only after its search, but
    // a side hands out its pool slots from slot 0 up and reuses the last one freed, so its
    // levels sit in the slots below its peak count. Up to `prefetched_pool_slots` (3 lines)
    // covers most sides at NASDAQ scale; 4 lines gained nothing more (docs/performance.md has
    // the measurements).
    static constexpr uint32_t prefetched_pool_slots = 12;
    void prefetch_add_levels(uint16_t locate, char side_code) const {
        const uint32_t entry_book = directory_[locate].book;
        if (entry_book == 0) [[unlikely]]
            return;
        const uint32_t book = entry_book - 1u;
        const uint32_t s = side_code == 'B' ? 0 : 1;
        const uint64_t side_index = uint64_t{book} * 2 + s;
        const uint32_t count = sides_[side_index].count;
        const uint32_t* keys_end = side_keys(side_index) + count;
        prefetch_line(keys_end - 1);
        prefetch_line(keys_end - price_levels::window);
        const uint32_t* ranks = level_ranks_.data() + side_index * capacities_.levels_per_side;
        prefetch_line(ranks + (count == 0 ? 0 : count - 1));
        // The levels in use and the slot a new level would take (ranks[count]): the lines of
        // slots 0, 4 and 8 while the count reaches them (else the first line again), without a
        // loop.
        static_assert(prefetched_pool_slots == 3 * slots_per_line);
        const price_level* pool = levels_.data() + side_index * capacities_.levels_per_side;
        const uint32_t last = std::min(count, capacities_.levels_per_side - 1);
        prefetch_line(pool);
        prefetch_line(pool + (std::min(last, slots_per_line) & slots_per_line));
        prefetch_line(pool + (std::min(last, 2 * slots_per_line) & (2 * slots_per_line)));
    }
    static constexpr uint32_t slots_per_line = 64 / sizeof(price_level);
    // One side's dense keys, after their `price_levels::window` zero keys of padding.
    uint32_t* side_keys(uint64_t side_index) const {
        const uint64_t stride = uint64_t{price_levels::window} + capacities_.levels_per_side;
        return level_keys_.data() + side_index * stride + price_levels::window;
    }
    // The level of rank `i` (best last) of one side, for the read-only paths.
    const price_level& ranked_level(uint32_t book, book_side side, uint32_t i) const {
        const uint64_t first =
            (uint64_t{book} * 2 + static_cast<uint32_t>(side)) * capacities_.levels_per_side;
        return levels_[first + level_ranks_[first + i]];
    }

    book_change apply_message_event(const uint8_t* message) {
        switch (static_cast<char>(message[0])) {
            case 'A':
            case 'F': {
                const feed::add_order add_message{message};
                return add(add_message.stock_locate(), add_message.order_ref(),
                           add_message.side() == 'B' ? book_side::bid : book_side::ask,
                           add_message.shares(), add_message.price());
            }
            case 'E':
            case 'C': {
                // C's execution price never moves the order: the same fields as E.
                const feed::order_executed executed{message};
                ++counters_.executions;
                return reduce(executed.order_ref(), executed.executed_shares());
            }
            case 'X': {
                const feed::order_cancel cancel{message};
                ++counters_.cancels;
                return reduce(cancel.order_ref(), cancel.cancelled_shares());
            }
            case 'D':
                return remove(feed::order_delete{message}.order_ref());
            case 'U': {
                const feed::order_replace replace_message{message};
                return replace(replace_message.original_order_ref(),
                               replace_message.new_order_ref(), replace_message.shares(),
                               replace_message.price());
            }
            default:
                return unchanged;
        }
    }

    book_change apply_event(const feed::order_event& event) {
        switch (event.type) {
            case 'A':
            case 'F':
                return add(event.stock_locate, event.order_ref,
                           event.side == 'B' ? book_side::bid : book_side::ask, event.shares,
                           event.price);
            case 'E':
            case 'C':
                ++counters_.executions;
                return reduce(event.order_ref, event.shares);
            case 'X':
                ++counters_.cancels;
                return reduce(event.order_ref, event.shares);
            case 'D':
                return remove(event.order_ref);
            case 'U':
                return replace(event.order_ref, event.new_order_ref, event.shares, event.price);
            default:
                return unchanged;
        }
    }

    // The add path is defined here, not in the .cpp, and forced inline into apply() for A and F
    // (the commonest messages: a call saved six register saves and the arguments' spills);
    // replace() calls one out-of-line copy, add_to_book, so apply() does not grow by a second
    // inlined add. Its rare outcomes (a new book, a full table, a duplicate) stay out of line.
    book_change add(uint16_t locate, uint64_t ref, book_side side, uint32_t shares,
                    uint32_t price) {
        const uint32_t book = book_for(locate);
        if (book == no_changed_book) [[unlikely]]
            return unchanged;
        const book_change changed = add_to_book_inline(book, ref, side, shares, price);
        counters_.adds += changed.book != no_changed_book;
        return changed;
    }

    uint32_t book_for(uint16_t locate) {
        const directory_entry& entry = directory_[locate];
        if (entry.book != 0) [[likely]]
            return entry.book - 1u;
        return create_book(locate);
    }
    uint32_t create_book(uint16_t locate);
    static uint32_t derived_level_prefetch_books();

    // The add path for replace(), out of line.
    [[gnu::noinline]] book_change add_to_book(uint32_t book, uint64_t ref, book_side side,
                                              uint32_t shares, uint32_t price) {
        return add_to_book_inline(book, ref, side, shares, price);
    }
    [[gnu::always_inline]] book_change add_to_book_inline(uint32_t book, uint64_t ref,
                                                          book_side side, uint32_t shares,
                                                          uint32_t price) {
        if (shares == 0) [[unlikely]] {
            ++counters_.zero_share_adds;
            return unchanged;
        }
        order_slot* order = nullptr;
        const order_index::insert_result inserted = orders_.insert(ref, order);
        if (inserted != order_index::insert_result::inserted) [[unlikely]]
            return refuse_order(book, inserted);
        price_levels levels = side_levels(book, side);
        const uint32_t i = levels.find_or_insert(level_key(side, price));
        if (i == no_level) [[unlikely]]
            return refuse_level(book, order);
        price_level& level = levels[i];
        ++level.orders;
        level.shares += shares;
        order->shares = shares;
        order->price = price;
        order->book = static_cast<uint16_t>(book);
        order->side = side;
        order->level = levels.slot(i);
        return {book, side, is_top(levels, i), &level};
    }
    [[gnu::cold]] book_change refuse_order(uint32_t book, order_index::insert_result result);
    [[gnu::cold]] book_change refuse_level(uint32_t book, order_slot* order);

    book_change reduce(uint64_t ref, uint32_t shares) {
        order_slot* order = orders_.find(ref);
        if (order == nullptr) [[unlikely]] {
            note_unknown_ref();
            return unchanged;
        }
        if (shares >= order->shares) {
            counters_.over_reductions += shares > order->shares;
            ++counters_.orders_removed_by_reduction;
            return remove_order(order);
        }
        // The order knows its level: a partial reduction needs no search.
        const uint32_t book = order->book;
        price_levels levels = side_levels(book, order->side);
        price_level& level = levels.at_slot(order->level);
        HT_DEBUG_ASSERT(level.key == level_key(order->side, order->price) && level.shares > shares);
        level.shares -= shares;
        order->shares -= shares;
        return {book, order->side, levels.is_top_slot(order->level), &level};
    }

    book_change remove(uint64_t ref) {
        order_slot* order = orders_.find(ref);
        if (order == nullptr) [[unlikely]] {
            note_unknown_ref();
            return unchanged;
        }
        ++counters_.deletes;
        return remove_order(order);
    }

    book_change remove_order(order_slot* order) {
        const uint32_t book = order->book;
        price_levels levels = side_levels(book, order->side);
        price_level& level = levels.at_slot(order->level);
        HT_DEBUG_ASSERT(level.key == level_key(order->side, order->price));
        HT_DEBUG_ASSERT(level.shares >= order->shares && level.orders > 0);
        // Erasing a level below the best one leaves the best one as it was.
        book_change changed{book, order->side, levels.is_top_slot(order->level), &level};
        if (--level.orders == 0) {
            // Only an emptied level needs its rank, to take it out of the sorted order.
            const uint32_t i = levels.find(level.key);
            HT_DEBUG_ASSERT(i != no_level && levels.slot(i) == order->level);
            levels.erase(i);
            changed.best = nullptr;  // the next level, if any, is the best now: read it
        } else {
            level.shares -= order->shares;
        }
        orders_.erase(order);
        return changed;
    }

    book_change replace(uint64_t ref, uint64_t new_ref, uint32_t shares, uint32_t price) {
        order_slot* order = orders_.find(ref);
        if (order == nullptr) [[unlikely]] {
            note_unknown_ref();
            return unchanged;
        }
        ++counters_.replaces;
        const book_change removed = remove_order(order);
        const book_change added = add_to_book(removed.book, new_ref, removed.side, shares, price);
        // Changed by the removal even if the new order could not rest (added is `unchanged`).
        // The new order's level is the best after both steps when the add touched the top.
        return {removed.book, removed.side, removed.top || added.top,
                added.top ? added.best : nullptr};
    }

    // Only the side the message touched can have changed (U stays on its side), so only that
    // side's top is read; the other side's is the one last reported, which is current.
    template <class Sink>
    void report_top(book_change changed, uint64_t timestamp_ns, uint64_t sequence, Sink& sink) {
        book_state& state = books_[changed.book];
        const uint32_t s = static_cast<uint32_t>(changed.side);
        const top_level top = changed.best != nullptr ? top_of(changed.side, *changed.best)
                                                      : current_top(changed.book, changed.side);
        HT_DEBUG_ASSERT(top == current_top(changed.book, changed.side));
        if (top == state.reported[s]) return;
        state.reported[s] = top;
        const top_level& bid = state.reported[0];
        const top_level& ask = state.reported[1];
        ++counters_.bbo_updates;
        counters_.crossed_bbo += bid.orders != 0 && ask.orders != 0 && bid.price >= ask.price;
        bbo_update update;
        update.timestamp_ns = timestamp_ns;
        update.sequence = sequence;
        update.bid = bid;
        update.ask = ask;
        update.locate = state.locate;
        update.symbol = directory_[state.locate].symbol;
        update.flags = static_cast<uint8_t>(
            (directory_[state.locate].degraded != 0 ? bbo_book_degraded : 0) | feed_flags_);
        sink.on_bbo(update);
    }

    static bool is_top(const price_levels& levels, uint32_t i) { return i + 1 == levels.count(); }

    bool top_is_reported(book_change changed) const {
        return current_top(changed.book, changed.side) ==
               books_[changed.book].reported[static_cast<uint32_t>(changed.side)];
    }

    top_level current_top(uint32_t book, book_side side) const {
        const uint64_t side_index = uint64_t{book} * 2 + static_cast<uint32_t>(side);
        const uint32_t top_slot = sides_[side_index].top_slot;
        if (top_slot == no_level) return top_level{};
        return top_of(side, levels_[side_index * capacities_.levels_per_side + top_slot]);
    }
    static top_level top_of(book_side side, const price_level& best) {
        return top_level{level_price(side, best.key), best.orders, best.shares};
    }

    void degrade(uint16_t locate, degraded_reason reason) { directory_[locate].degraded |= reason; }
    // A message named an order the books do not hold: the stream the books saw is not the
    // exchange's, so every later update says so.
    [[gnu::cold]] void note_unknown_ref() {
        ++counters_.unknown_refs;
        feed_flags_ = bbo_feed_invalid;
    }

    book_capacities capacities_{};
    order_index orders_;
    fixed_array<price_level> levels_;
    fixed_array<uint32_t> level_keys_;   // per side: padding, then the keys of levels_ (search)
    fixed_array<uint32_t> level_ranks_;  // per side: levels_ slots by rank, then free slots
    fixed_array<side_state> sides_;      // per side (book * 2 + side): level count, best slot
    fixed_array<book_state> books_;
    symbol_directory directory_;
    uint32_t books_used_ = 0;
    uint32_t level_prefetch_books_ = 0;  // books_used_ beyond which prefetch_levels_ is set
    bool prefetch_levels_ = false;
    uint8_t feed_flags_ = 0;  // bbo_flag bits stamped on every update
    book_counters counters_;
};

}  // namespace hypertick::book
