// What the books did with the order messages, and every way a message could not be applied.
// Written by the one lcore that owns the books, read by the control plane.
#pragma once

#include <cstdint>

namespace hypertick::book {

// Why a symbol is degraded (bit flags): its book no longer matches the exchange's.
enum degraded_reason : uint8_t {
    degraded_no_book = 1,      // the book pool was full: no book for this locate
    degraded_orders_full = 2,  // an add was dropped: the live-order table was full
    degraded_levels_full = 4,  // an add was dropped: this side had no free price level
};

struct alignas(64) book_counters {
    uint64_t adds = 0;                         // A F applied
    uint64_t executions = 0;                   // E C applied
    uint64_t cancels = 0;                      // X applied
    uint64_t deletes = 0;                      // D applied
    uint64_t replaces = 0;                     // U applied (original removed)
    uint64_t orders_removed_by_reduction = 0;  // E C X that took an order to zero shares
    uint64_t over_reductions = 0;    // E C X for more shares than the order had (removed it)
    uint64_t unknown_refs = 0;       // E C X D U for a reference that is not live
    uint64_t duplicate_refs = 0;     // A F or U's new reference already live: dropped
    uint64_t zero_share_adds = 0;    // A F U with zero shares: nothing to rest
    uint64_t book_pool_full = 0;     // R, A or F for a locate without a book, none left
    uint64_t order_table_full = 0;   // an add found the live-order table full
    uint64_t level_side_full = 0;    // an add needed a new level on a full side
    uint64_t directory_entries = 0;  // R messages seen
    uint64_t bbo_updates = 0;        // top-of-book changes emitted
    uint64_t crossed_bbo = 0;        // updates with bid >= ask (never, from a sane feed)
};

}  // namespace hypertick::book
