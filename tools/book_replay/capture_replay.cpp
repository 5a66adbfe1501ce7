#include "capture_replay.hpp"

#include <chrono>
#include <cstdio>

#include "hypertick/base/assert.hpp"
#include "hypertick/base/byte_order.hpp"
#include "hypertick/book/bbo.hpp"
#include "hypertick/book/book_feed_handler.hpp"
#include "hypertick/book/prefetch.hpp"
#include "hypertick/feed/feed_receiver.hpp"
#include "hypertick/feed/file_bytes.hpp"
#include "hypertick/feed/itch_messages.hpp"

namespace book_replay {

using namespace hypertick;

namespace {

// A datagram holds at most ~70 order messages; a whole frame's updates always fit.
using replay_bbo_buffer = book::bbo_buffer<1024>;
using replay_handler = book::pipelined_book_handler<replay_bbo_buffer>;

// A NASDAQ historical file starts with a length prefix and an ITCH message of exactly that
// length; anything else that is not a capture is refused rather than decoded as noise.
bool looks_historical(const feed::file_image& file, std::string& error) {
    char what[96];
    if (file.size() < 3) {
        std::snprintf(what, sizeof what, "%llu bytes",
                      static_cast<unsigned long long>(file.size()));
    } else {
        const uint16_t length = base::load_be16(file.data());
        const uint8_t type = file.data()[2];
        if (length != 0 && feed::itch_message_lengths[type] == length) return true;
        std::snprintf(what, sizeof what, "a first message of %u bytes with type byte 0x%02x",
                      length, type);
    }
    error =
        std::string(
            "not a pcap, pcapng or NASDAQ historical ITCH file (no capture magic number, and ") +
        what + " is not an ITCH message)";
    return false;
}

struct bbo_drain {
    uint64_t drained = 0;
    uint64_t checksum = 0;

    void drain(replay_bbo_buffer& buffer) {
        for (uint32_t i = 0; i < buffer.size(); ++i) {
            const book::bbo_update& u = buffer[i];
            checksum = checksum * 31 + u.bid.price + u.bid.shares + u.ask.price + u.ask.shares +
                       u.bid.orders + u.ask.orders + u.locate + u.sequence;
        }
        drained += buffer.size();
        buffer.clear();
    }
};

uint64_t now_ns() {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count());
}

replay_result replay_pcap(const loaded_capture& capture, book::book_manager& books,
                          feed::udp_filter filter) {
    replay_bbo_buffer buffer;
    bbo_drain drain;
    replay_handler handler(books, buffer);
    feed::feed_receiver<replay_handler> receiver(handler, filter);
    const uint64_t start = now_ns();
    for (const byte_span& frame : capture.frames) {
        receiver.on_frame(frame.data, frame.length);
        handler.flush();
        drain.drain(buffer);
    }
    replay_result result;
    result.elapsed_ns = now_ns() - start;
    result.feed = book::summarize_stream(receiver.stream(), receiver.counters(), books.counters());
    result.feed_counters = receiver.counters();
    result.messages = result.feed.messages;
    result.bbo_updates_drained = drain.drained;
    result.bbo_checksum = drain.checksum;
    result.bbo_overflowed = buffer.overflowed();
    return result;
}

// A historical file has no MoldUDP64 framing, so there is nothing to sequence: messages are
// numbered 1, 2, ... and decoded exactly as feed_receiver decodes them (decode_itch_message: an
// add with a side other than B or S is counted as malformed_order_side and skipped).
//
// Why the handler is flushed only at the end: a file has no datagrams, so no message has to be
// applied before the next one is read, and without a flush every message keeps the
// pipeline's full prefetch lead (a flush applies its last `Depth` messages with less and less
// lead). The top-of-book updates are still drained every `drain_messages`, in order: a message
// applies one pending message at most, and a directory entry the (at most `depth`) pending
// ones, so the buffer never holds more than drain_messages + depth updates.
replay_result replay_historical(const loaded_capture& capture, book::book_manager& books) {
    constexpr uint32_t drain_messages = 64;
    static_assert(drain_messages + replay_handler::depth <= replay_bbo_buffer::capacity);
    // The file image is read in order, yet the first loads of each message were the loop's
    // largest wait (perf annotate): the line this far ahead is asked for before each message is
    // decoded, about 16 messages (docs/performance.md). A prefetch past the end is harmless.
    constexpr uintptr_t lookahead_bytes = 512;
    replay_bbo_buffer buffer;
    bbo_drain drain;
    replay_handler handler(books, buffer);
    replay_result result;
    uint64_t sequence = 0;
    uint64_t not_decoded = 0;
    // The loader counted the messages: they lie one after another from the start of the image,
    // each after its 2-byte length, up to the end of the last complete one. The loop walks
    // them by their lengths, each step bounded by that end all the same.
    const uint64_t count = capture.messages;
    const uint8_t* block = capture.historical.data();
    const uint8_t* const end = block + capture.messages_bytes;
    const uint64_t start = now_ns();
    while (sequence < count) {
        book::prefetch_line(
            reinterpret_cast<const void*>(reinterpret_cast<uintptr_t>(block) + lookahead_bytes));
        const uint16_t length = base::load_be16(block);
        const uint8_t* const message = block + 2;
        if (end - message < length) [[unlikely]]
            break;
        block = message + length;
        ++sequence;
        // Decoded messages are counted once, after the loop, as the gateway's decoder counts
        // them once per datagram: only the rare other outcomes are counted as they happen.
        const feed::feed_event event =
            feed::decode_itch_message(message, length, sequence, handler);
        if (event != feed::feed_event::message_decoded) [[unlikely]] {
            result.feed_counters.count(event);
            ++not_decoded;
        }
        if (sequence % drain_messages == 0) drain.drain(buffer);
    }
    result.feed_counters.count(feed::feed_event::message_decoded, sequence - not_decoded);
    handler.flush();
    drain.drain(buffer);
    result.elapsed_ns = now_ns() - start;
    HT_ASSERT(sequence == count && block == end);  // the same messages as the loader's
    result.messages = sequence;
    result.feed.messages = sequence;
    result.feed.next_seq = sequence + 1;
    result.feed.rejected_packets = result.feed_counters.malformed_total();
    result.feed.state = "synchronized";  // a historical file is complete by construction
    result.feed.invalid_reasons = book::books_invalid_reasons(0, books.counters());
    result.feed.counters = result.feed_counters;
    result.bbo_updates_drained = drain.drained;
    result.bbo_checksum = drain.checksum;
    result.bbo_overflowed = buffer.overflowed();
    return result;
}

}  // namespace

bool load_capture(const std::string& path, loaded_capture& capture, std::string& error) {
    capture.frames.clear();
    capture.messages = 0;
    capture.messages_bytes = 0;
    capture.stopped.clear();
    feed::file_image probe;
    if (!probe.map(path, error)) return false;
    if (probe.size() == 0) {
        error = "the file is empty (0 bytes), not a capture";
        return false;
    }
    if (feed::has_capture_magic(probe.data(), probe.size())) {
        capture.kind = capture_kind::pcap;
        if (!capture.pcap.open(path)) {
            error = capture.pcap.error();
            return false;
        }
        feed::pcap_record record;
        while (capture.pcap.next(record))
            capture.frames.push_back({record.data, record.captured_length});
        capture.stopped = capture.pcap.error();
        return true;
    }
    if (!looks_historical(probe, error)) return false;
    capture.kind = capture_kind::historical;
    if (!capture.historical.open(path)) {
        error = capture.historical.error();
        return false;
    }
    const uint8_t* message = nullptr;
    uint16_t length = 0;
    while (capture.historical.next(message, length)) {
        ++capture.messages;
        capture.messages_bytes =
            static_cast<uint64_t>(message + length - capture.historical.data());
    }
    capture.stopped = capture.historical.error();
    return true;
}

replay_result replay(const loaded_capture& capture, book::book_manager& books,
                     feed::udp_filter filter) {
    return capture.kind == capture_kind::pcap ? replay_pcap(capture, books, filter)
                                              : replay_historical(capture, books);
}

}  // namespace book_replay
