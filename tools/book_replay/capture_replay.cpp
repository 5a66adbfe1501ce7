#include "capture_replay.hpp"

#include <chrono>

#include "hypertick/book/bbo.hpp"
#include "hypertick/book/book_feed_handler.hpp"
#include "hypertick/feed/byte_order.hpp"
#include "hypertick/feed/feed_receiver.hpp"
#include "hypertick/feed/file_bytes.hpp"

namespace book_replay {

using namespace hypertick;

namespace {

// A datagram holds at most ~70 order messages; a whole frame's updates always fit.
using ReplayBboBuffer = book::BboBuffer<1024>;
using ReplayHandler = book::PipelinedBookHandler<ReplayBboBuffer>;

bool is_pcap(const std::vector<uint8_t>& bytes) {
    if (bytes.size() < 4) return false;
    const uint32_t big = feed::load_be32(bytes.data());
    for (uint32_t magic : {feed::pcap_magic_microseconds, feed::pcap_magic_nanoseconds}) {
        if (big == magic || __builtin_bswap32(big) == magic) return true;
    }
    return false;
}

struct BboDrain {
    uint64_t drained = 0;
    uint64_t checksum = 0;

    void drain(ReplayBboBuffer& buffer) {
        for (uint32_t i = 0; i < buffer.size(); ++i) {
            const book::BboUpdate& u = buffer[i];
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

ReplayResult replay_pcap(const LoadedCapture& capture, book::BookManager& books, feed::UdpFilter filter) {
    ReplayBboBuffer buffer;
    BboDrain drain;
    ReplayHandler handler(books, buffer);
    feed::FeedReceiver<ReplayHandler> receiver(handler, filter);
    const uint64_t start = now_ns();
    for (const Span& frame : capture.items) {
        receiver.on_frame(frame.data, frame.length);
        handler.flush();
        drain.drain(buffer);
    }
    ReplayResult result;
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
// numbered 1, 2, ... and decoded exactly as FeedReceiver decodes them (order messages through
// the branch-free decoder, the rest through the typed dispatch).
ReplayResult replay_historical(const LoadedCapture& capture, book::BookManager& books) {
    constexpr uint32_t burst_messages = 64;
    ReplayBboBuffer buffer;
    BboDrain drain;
    ReplayHandler handler(books, buffer);
    ReplayResult result;
    uint64_t sequence = 0;
    const uint64_t start = now_ns();
    for (const Span& message : capture.items) {
        ++sequence;
        const uint16_t length = static_cast<uint16_t>(message.length);
        feed::OrderEvent event;
        feed::FeedEvent outcome = feed::FeedEvent::message_decoded;
        if (feed::decode_order_event(message.data, length, event)) {
            handler.on_order_event(event, sequence);
        } else {
            outcome = feed::dispatch_itch_message(message.data, length, sequence, handler);
        }
        result.feed_counters.count(outcome);
        if (sequence % burst_messages == 0) {
            handler.flush();
            drain.drain(buffer);
        }
    }
    handler.flush();
    drain.drain(buffer);
    result.elapsed_ns = now_ns() - start;
    result.messages = sequence;
    result.feed.messages = sequence;
    result.feed.next_seq = sequence + 1;
    result.feed.rejected_packets = result.feed_counters.malformed_total();
    result.feed.state = "synchronized";  // a historical file is complete by construction
    result.feed.invalid_reasons = book::books_invalid_reasons(0, books.counters());
    result.bbo_updates_drained = drain.drained;
    result.bbo_checksum = drain.checksum;
    result.bbo_overflowed = buffer.overflowed();
    return result;
}

}  // namespace

bool load_capture(const std::string& path, LoadedCapture& capture, std::string& error) {
    std::vector<uint8_t> bytes;
    if (!feed::read_whole_file(path, bytes, error)) return false;
    capture.items.clear();
    if (is_pcap(bytes)) {
        capture.kind = CaptureKind::pcap;
        if (!capture.pcap.open_bytes(std::move(bytes))) {
            error = capture.pcap.error();
            return false;
        }
        feed::PcapRecord record;
        while (capture.pcap.next(record)) capture.items.push_back({record.data, record.captured_length});
        error = capture.pcap.error();
        return error.empty();
    }
    capture.kind = CaptureKind::historical;
    if (!capture.historical.open_bytes(std::move(bytes))) {
        error = capture.historical.error();
        return false;
    }
    const uint8_t* message = nullptr;
    uint16_t length = 0;
    while (capture.historical.next(message, length)) capture.items.push_back({message, length});
    error = capture.historical.error();
    return error.empty();
}

ReplayResult replay(const LoadedCapture& capture, book::BookManager& books, feed::UdpFilter filter) {
    return capture.kind == CaptureKind::pcap ? replay_pcap(capture, books, filter)
                                             : replay_historical(capture, books);
}

}  // namespace book_replay
