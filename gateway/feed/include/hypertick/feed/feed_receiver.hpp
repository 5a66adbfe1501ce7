// The receive path of one feed: frame -> per-line UDP and source filters -> the feed stream
// (sequencing, arbitration, holding, recovery) -> ITCH decode into the handler. No heap, no
// exceptions, no syscalls: the gateway hands it mbuf data as (pointer, length), book_replay
// hands it pcap records.
#pragma once

#include <cstdint>

#include "hypertick/feed/ethernet_ipv4_udp.hpp"
#include "hypertick/feed/feed_counters.hpp"
#include "hypertick/feed/feed_stream.hpp"

namespace hypertick::feed {

// Handler: derive from FeedHandlerBase (itch_dispatch.hpp) and define the callbacks you need.
// Define `on_order_event(const OrderEvent&, uint64_t sequence)` to receive A F E C X D U as
// normalised events instead of their typed-view callbacks.
template <class Handler>
class FeedReceiver {
  public:
    // A capture file replayed as it was recorded: one line, no hold window, sequence-0
    // datagrams accepted, and every jump followed (excerpts skip ahead by design; the
    // gateway's live lines hold implausible jumps back instead).
    FeedReceiver(Handler& handler, UdpFilter filter)
        : FeedReceiver(handler, capture_settings(), nullptr) {
        set_line(line_a, filter, SourceFilter{});
    }

    static StreamSettings capture_settings() {
        StreamSettings s;
        s.max_sequence_jump = ~uint64_t{0};
        return s;
    }

    // Any lines; `hold` as FeedStream requires.
    FeedReceiver(Handler& handler, const StreamSettings& settings, uint8_t* hold)
        : stream_(handler, counters_, settings, hold) {}

    // Which destination (group, port) and source a line's frames must have.
    void set_line(uint32_t line, UdpFilter destination, SourceFilter source) {
        filters_[line] = destination;
        sources_[line] = source;
    }

    void on_frame(const uint8_t* frame, uint32_t frame_length) {
        on_frame(line_a, frame, frame_length, 0);
    }

    void on_frame(uint32_t line, const uint8_t* frame, uint32_t frame_length, uint64_t now_ns) {
        ++counters_.frames;
        UdpDatagram datagram;
        const FeedEvent verdict = parse_udp_frame(frame, frame_length, filters_[line], datagram);
        counters_.count(verdict);
        if (verdict != FeedEvent::frame_accepted) return;
        if (!sources_[line].admits(datagram)) [[unlikely]] {
            stream_.count_wrong_source(line);
            return;
        }
        stream_.on_datagram(line, datagram.payload, datagram.length, now_ns);
    }

    // A bare MoldUDP64 payload of line A (the UDP payload of a frame).
    void on_moldudp64(const uint8_t* payload, uint32_t length) {
        stream_.on_datagram(line_a, payload, length, 0);
    }

    // See FeedStream::on_timer.
    uint32_t on_timer(uint64_t now_ns, RecoveryRequest* out, uint32_t max) {
        return stream_.on_timer(now_ns, out, max);
    }

    const FeedCounters& counters() const { return counters_; }
    const FeedStream<Handler>& stream() const { return stream_; }

  private:
    FeedCounters counters_;
    UdpFilter filters_[max_feed_lines] = {};
    SourceFilter sources_[max_feed_lines] = {};
    FeedStream<Handler> stream_;
};

}  // namespace hypertick::feed
