// Every table of the book library has a capacity fixed here, before the first message.
#pragma once

#include <cstdint>

#include "hypertick/book/memory_source.hpp"

namespace hypertick::book {

// The most books one manager holds: book indices are 16-bit and 0xffff means "no book".
inline constexpr uint32_t max_symbols = 0xfffe;

// book_capacities::level_prefetch_books: derived from the cache at init.
inline constexpr uint32_t derive_level_prefetch_books = ~uint32_t{0};

struct book_capacities {
    // Books (stock locates with a directory entry or an order). A real NASDAQ day has about
    // 9 000 locates; 16 384 leaves room.
    uint32_t symbols = 16'384;
    // Live orders across all books. A busy NASDAQ day peaks at a few million resting orders.
    uint32_t orders = 4'000'000;
    // Slots of the direct-mapped window over the most recent order references (a power of
    // two; order_index.hpp), or 0: the power of two at or above `orders`, at most
    // `default_order_window_max` (so 4 194 304 for the default `orders`). Orders whose
    // references the window has moved past live on in the hashed table, which holds `orders`;
    // this only sets how many recent references are found without hashing.
    uint32_t order_window = 0;
    // Price levels per side of each book. Most books keep a few dozen; deeper ones are
    // reported degraded (book_replay --levels, or the gateway config, raises it).
    uint32_t levels_per_side = 128;
    // Books in use beyond which the pipeline prefetches levels: an add's search keys, ranks and
    // first pool lines on arrival, and each order message's level line a few messages before
    // applying it (a second stage, through the order slot the first one fetched).
    // `derive_level_prefetch_books`: from the L2 cache's size (book_manager.cpp).
    uint32_t level_prefetch_books = derive_level_prefetch_books;
    // Touch every page at construction so the hot path never takes a page fault.
    bool prefault = true;
    // Where the tables live (nullptr: calloc). Must outlive the book manager.
    const memory_source* memory = nullptr;

    memory_allocation allocation() const { return memory_allocation{prefault, memory}; }
};

// The largest window that `order_window = 0` derives: 4 Mi references, 128 MiB.
inline constexpr uint32_t default_order_window_max = 1u << 22;

// The window's slots for `capacities` (order_window, or the one derived from `orders`).
inline uint32_t order_window_slots(const book_capacities& capacities) {
    if (capacities.order_window != 0) return capacities.order_window;
    uint32_t slots = 2;  // the smallest window order_index takes
    while (slots < capacities.orders && slots < default_order_window_max) slots *= 2;
    return slots;
}

// Bytes the book library reserves for `capacities` (the stock directory and books index
// included); the resident figure is this when prefaulted.
uint64_t reserved_bytes(const book_capacities& capacities);

}  // namespace hypertick::book
