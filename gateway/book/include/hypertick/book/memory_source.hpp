// Where the book tables' memory comes from.
//
// By default calloc (fresh zero pages). The gateway passes a source backed by DPDK's
// rte_zmalloc_socket so a worker lcore's books live in its socket's hugepage memory, beside its
// executor and histograms. Either way memory is taken once, by init(), and given back when the
// book manager is destroyed.
#pragma once

#include <cstddef>

namespace hypertick::book {

struct memory_source {
    // Returns `bytes` of zero-filled memory aligned to at least 64 bytes, or nullptr.
    void* (*allocate)(void* context, std::size_t bytes) = nullptr;
    void (*release)(void* context, void* memory) = nullptr;
    void* context = nullptr;
};

// How a table takes its memory: from which source, and whether every page is touched up front.
struct memory_allocation {
    bool prefault = true;
    const memory_source* source = nullptr;  // nullptr: calloc
};

}  // namespace hypertick::book
