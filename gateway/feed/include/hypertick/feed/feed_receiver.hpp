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

// Handler: derive from feed_handler_base (itch_dispatch.hpp) and define the callbacks you need.
// Define `on_order_event(const order_event&, uint64_t sequence)` to receive A F E C X D U as
// normalised events instead of their typed-view callbacks.
template <class Handler>
class feed_receiver {
  public:
    // A capture file replayed as it was recorded: one line, no hold window, sequence-0
    // datagrams accepted, and every jump followed (excerpts skip ahead by design; the
    // gateway's live lines hold implausible jumps back instead).
    feed_receiver(Handler& handler, udp_filter filter)
        : feed_receiver(handler, capture_settings(), nullptr) {
        set_line(line_a, filter, source_filter{});
    }

    static stream_settings capture_settings() {
        stream_settings s;
        s.max_sequence_jump = ~uint64_t{0};
        return s;
    }

    // Any lines; `hold` as feed_stream requires.
    feed_receiver(Handler& handler, const stream_settings& settings, uint8_t* hold)
        : stream_(handler, counters_, settings, hold) {}

    // Which destination (group, port) and source a line's frames must have.
    void set_line(uint32_t line, udp_filter destination, source_filter source) {
        filters_[line] = destination;
        sources_[line] = source;
    }

    void on_frame(const uint8_t* frame, uint32_t frame_length) {
        on_frame(line_a, frame, frame_length, 0);
    }

    void on_frame(uint32_t line, const uint8_t* frame, uint32_t frame_length, uint64_t now_ns) {
        ++counters_.frames;
        udp_datagram datagram;
        const feed_event verdict = parse_udp_frame(frame, frame_length, filters_[line], datagram);
        counters_.count(verdict);
        if (verdict != feed_event::frame_accepted) return;
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

    // See feed_stream::on_timer.
    uint32_t on_timer(uint64_t now_ns, recovery_request* out, uint32_t max) {
        return stream_.on_timer(now_ns, out, max);
    }

    const feed_counters& counters() const { return counters_; }
    const feed_stream<Handler>& stream() const { return stream_; }

  private:
    feed_counters counters_;
    udp_filter filters_[max_feed_lines] = {};
    source_filter sources_[max_feed_lines] = {};
    feed_stream<Handler> stream_;
};

}  // namespace hypertick::feed
