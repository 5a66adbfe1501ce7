// Book snapshots as JSON, in the schema outside tools read (docs/book.md):
// {"books": {"SYM": {"locate": L, "bids": [[price, shares, orders], ...], "asks": [...]}, ...},
//  "feed": {"session": "S", "packets": P, "messages": M, "next_seq": N, "gaps": G,
//           "missing_messages": K, ...}}
// plus extra keys: per-book "degraded" reasons, a top-level "degraded" list and "book_counters".
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

// The feed figures of a snapshot, with the meanings of the feed library's StreamCounters
// (and of itch_gen --expect), and whether the books can be trusted.
struct FeedSummary {
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
    std::string state = "no_session";  // feed::StreamState
    uint32_t invalid_reasons = 0;      // feed::InvalidReason bits; 0: the books are valid
};

FeedSummary summarize_feed(const feed::MoldSession& session, uint64_t next_expected,
                           const feed::StreamCounters& s, const feed::FeedCounters& counters);

// The summary of a feed::FeedStream and the books it fed.
template <class Stream>
FeedSummary summarize_stream(const Stream& stream, const feed::FeedCounters& counters,
                             const BookCounters& books) {
    FeedSummary f =
        summarize_feed(stream.session(), stream.next_expected(), stream.counters(), counters);
    f.state = feed::to_string(stream.state());
    f.invalid_reasons = books_invalid_reasons(stream.invalid_reasons(), books);
    return f;
}

inline constexpr uint32_t all_levels = ~uint32_t{0};

// Appends the snapshot to `out`; at most `depth` levels per side.
void write_snapshot_json(const BookManager& books, const FeedSummary& feed, uint32_t depth,
                         std::string& out);

}  // namespace hypertick::book
