// Plugs the books into the feed library's receive path: feed_receiver<...> decodes, sequences
// and hands every order message to the books as a normalised order_event (the branch-free
// decoder) and every stock directory entry to the directory.
//
// Two handlers:
// - book_feed_handler applies each message as it arrives (simplest; tests).
// - pipelined_book_handler keeps the last `Depth` order messages in a small ring and prefetches
//   each one's order-table slot when it arrives, applying it `Depth` messages later. The
//   reference lookup is the one cache miss per message; this overlaps those misses instead of
//   paying them one after the other. Messages are still applied strictly in feed order and each
//   BBO update still describes the book after exactly its own message; it is only produced up
//   to `Depth` messages later. The caller must call flush() at the end of every burst (before
//   draining the sink), so nothing waits across bursts.
#pragma once

#include <array>
#include <cstdint>
#include <utility>

#include "hypertick/book/book_manager.hpp"
#include "hypertick/feed/itch_dispatch.hpp"

namespace hypertick::book {

template <class Sink>
struct book_feed_handler : feed::feed_handler_base {
    book_feed_handler(book_manager& books_in, Sink& sink_in) : books(books_in), sink(sink_in) {}

    void on_order_event(const feed::order_event& event, uint64_t sequence) {
        books.apply(event, sequence, sink);
    }
    void on_stock_directory(feed::stock_directory message, uint64_t /*sequence*/) {
        books.on_stock_directory(message.stock_locate(), message.stock());
    }
    void flush() {}

    book_manager& books;
    Sink& sink;
};

// Depth 16: a message waits on at most one line of the order table, so for tables larger than
// the cache (the defaults) more lookups in flight pay off; tables that fit the cache are the
// same at 8 or 16. docs/performance.md ("Pipeline depth 16") has the measurements.
template <class Sink, uint32_t Depth = 16>
class pipelined_book_handler : public feed::feed_handler_base {
    static_assert(Depth > 0 && (Depth & (Depth - 1)) == 0, "Depth must be a power of two");

  public:
    static constexpr uint32_t depth = Depth;

    pipelined_book_handler(book_manager& books, Sink& sink) : books_(books), sink_(sink) {}

    // An order message read in place (feed::decode_itch_message checked it): the ring keeps a
    // pointer to it, valid until flush(), which the caller issues before the datagram (or
    // file) that holds it goes away; the feed stream's own copies (held messages) end with
    // on_message_memory_reused.
    void on_order_message(const uint8_t* message, uint64_t sequence) {
        books_.prefetch_message(message);
        push(message, sequence);
    }
    // A decoded event (tests, callers without the message): written back as its ITCH message
    // into the bytes kept for the ring entry it will take, then handled as one.
    void on_order_event(const feed::order_event& event, uint64_t sequence) {
        if (pending_ == Depth) apply_oldest();  // frees the entry whose bytes are written next
        uint8_t* own = own_[tail_].data();
        if (feed::encode_order_event(event, own) == 0) {
            ++applied_;  // not an order type: nothing for the books, counted as applied
            return;
        }
        books_.prefetch_message(own);
        push(own, sequence);
    }
    // The directory must see every earlier order message first (a locate's book may be created
    // by either), so it waits for the ring to drain. Directory messages come before trading.
    void on_stock_directory(feed::stock_directory message, uint64_t /*sequence*/) {
        flush();
        books_.on_stock_directory(message.stock_locate(), message.stock());
        ++applied_;
    }
    book_manager& books() { return books_; }
    // The feed stream is about to overwrite messages it handed out (held ones): apply the
    // pending messages while their bytes are still theirs.
    void on_message_memory_reused() { flush(); }

    // Applies every pending message, in order. With the second stage on, the first
    // `level_lead` messages' levels are asked for at once, then each message's `level_lead`
    // messages before it is applied (those of a short burst never reached it in push).
    void flush() {
        applied_ += pending_;
        if (books_.prefetches_levels()) {
            for (uint32_t i = 0; i < pending_ && i < level_lead; ++i)
                books_.prefetch_message_level(ring_[(tail_ - pending_ + i) & (Depth - 1)].message);
            for (; pending_ > level_lead; --pending_) {
                books_.prefetch_message_level(
                    ring_[(tail_ - pending_ + level_lead) & (Depth - 1)].message);
                apply_entry(ring_[(tail_ - pending_) & (Depth - 1)]);
            }
        }
        for (; pending_ != 0; --pending_) apply_entry(ring_[(tail_ - pending_) & (Depth - 1)]);
    }

  private:
    // 16 bytes: the ring's index arithmetic is a shift, and four entries share a cache line.
    struct pending_message {
        const uint8_t* message;
        uint64_t sequence;
    };
    // How many messages ahead of its apply the second stage asks for a level line
    // (book_manager::prefetch_message_level): enough for a line from beyond the L2 cache at
    // the books' pace, and far behind the first stage, whose order slot it reads.
    static constexpr uint32_t level_lead = 4;
    static_assert(level_lead < Depth);

    // Out of line: inlined into push, its registers made g++ keep the decode loop's sequence
    // and tail on the stack, about 8 instructions a message where the stage is off.
    [[gnu::noinline]] void prefetch_level_ahead() const {
        books_.prefetch_message_level(ring_[(tail_ + level_lead) & (Depth - 1)].message);
    }
    void apply_entry(const pending_message& entry) {
        books_.apply_message(entry.message, entry.sequence, sink_);
    }

    void apply_oldest() {
        apply_entry(ring_[(tail_ - pending_) & (Depth - 1)]);
        --pending_;
        ++applied_;
    }
    // The entry a message takes is the tail; when the ring is full, that is the oldest entry,
    // applied first.
    void push(const uint8_t* message, uint64_t sequence) {
        pending_message& entry = ring_[tail_];
        if (pending_ == Depth) {
            apply_entry(entry);
            ++applied_;
            // The entry this push applies is the tail; the one `level_lead` pushes from now
            // is as many entries after it.
            if (books_.prefetches_levels()) prefetch_level_ahead();
        } else {
            ++pending_;
        }
        entry.message = message;
        entry.sequence = sequence;
        tail_ = (tail_ + 1) & (Depth - 1);
    }

    book_manager& books_;
    Sink& sink_;
    std::array<pending_message, Depth> ring_{};
    // on_order_event's bytes, one message per ring entry (own_[i] belongs to ring_[i]).
    std::array<std::array<uint8_t, feed::max_order_message_length>, Depth> own_{};
    uint32_t tail_ = 0;     // the entry the next message takes
    uint32_t pending_ = 0;  // entries before the tail not yet applied
    uint64_t applied_ = 0;

  public:
    // The messages applied to the books (order messages and directory entries) since the last
    // call: a caller that flushes per datagram learns how many that datagram's burst applied.
    uint64_t take_applied() { return std::exchange(applied_, 0); }
};

}  // namespace hypertick::book
