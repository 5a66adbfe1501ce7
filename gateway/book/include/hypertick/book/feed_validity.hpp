// When a feed's books are valid (docs/protocol.md, "When the books are valid"): the stream
// delivered every message of the session once and in order, and the books applied every one.
// The stream's reasons (feed::invalid_reason) plus what the books themselves saw.
#pragma once

#include <cstdint>
#include <string>

#include "hypertick/book/book_counters.hpp"
#include "hypertick/feed/stream_counters.hpp"

namespace hypertick::book {

inline uint32_t books_invalid_reasons(uint32_t stream_reasons, const book_counters& c) {
    uint32_t reasons = stream_reasons;
    if (c.book_pool_full + c.order_table_full + c.level_side_full != 0)
        reasons |= feed::invalid_book_capacity;
    // An E/C/X for more shares than the order holds: the exchange's order was larger than
    // ours, so the books already differed from the exchange's.
    if (c.unknown_refs + c.duplicate_refs + c.over_reductions != 0)
        reasons |= feed::invalid_reference_mismatch;
    return reasons;
}

// "gap_skipped, book_capacity" (control plane only: builds a string).
inline std::string invalid_reasons_text(uint32_t reasons) {
    std::string text;
    for (const auto& [bit, name] : feed::invalid_reason_names) {
        if ((reasons & bit) == 0) continue;
        if (!text.empty()) text += ", ";
        text += name;
    }
    return text;
}

}  // namespace hypertick::book
