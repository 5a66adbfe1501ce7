// Book snapshots as JSON, in the schema outside tools read (docs/book.md):
// {"books": {"SYM": {"locate": L, "bids": [[price, shares, orders], ...], "asks": [...]}, ...},
//  "feed": {"session": "S", "packets": P, "messages": M, "next_seq": N, "gaps": G,
//           "missing_messages": K, ...}}
// plus extra keys: per-book "degraded" reasons, a top-level "degraded" list, "book_counters",
// "order_window", "level_prefetch" and "feed_counters" (every decoder outcome by name).
// Control plane only: builds a std::string.
#pragma once

#include <cstdint>
#include <string>

#include "hypertick/book/book_manager.hpp"
#include "hypertick/book/feed_validity.hpp"
#include "hypertick/feed/feed_counters.hpp"
#include "hypertick/feed/moldudp64.hpp"
#include "hypertick/feed/stream_counters.hpp"

namespace hypertick::book {

// The feed figures of a snapshot, with the meanings of the feed library's stream_counters
// (and of itch_gen --expect), and whether the books can be trusted.
struct feed_summary {
    std::string session;  // trailing spaces removed
    uint64_t packets = 0;
    uint64_t messages = 0;
    uint64_t next_seq = 1;
    uint64_t gaps = 0;
    uint64_t missing_messages = 0;
    uint64_t duplicate_messages = 0;
    uint64_t heartbeats = 0;
    uint64_t end_of_session_packets = 0;
    uint64_t rejected_packets = 0;     // frames or datagrams the decoder counted malformed
    std::string state = "no_session";  // feed::stream_state
    uint32_t invalid_reasons = 0;      // feed::invalid_reason bits; 0: the books are valid
    feed::feed_counters counters;      // every frame, datagram and message outcome counted
};

feed_summary summarize_feed(const feed::mold_session& session, uint64_t next_expected,
                            const feed::stream_counters& s, const feed::feed_counters& counters);

// The summary of a feed::feed_stream and the books it fed.
template <class Stream>
feed_summary summarize_stream(const Stream& stream, const feed::feed_counters& counters,
                              const book_counters& books) {
    feed_summary f =
        summarize_feed(stream.session(), stream.next_expected(), stream.counters(), counters);
    f.state = feed::to_string(stream.state());
    f.invalid_reasons = books_invalid_reasons(stream.invalid_reasons(), books);
    return f;
}

inline constexpr uint32_t all_levels = ~uint32_t{0};

// Appends the snapshot to `out`; at most `depth` levels per side.
void write_snapshot_json(const book_manager& books, const feed_summary& feed, uint32_t depth,
                         std::string& out);

}  // namespace hypertick::book
