// The whole receive path for one feed line: frame -> UDP filter -> MoldUDP64 validation ->
// sequencing -> ITCH dispatch into the handler. No heap, no exceptions, no syscalls: the
// gateway hands it mbuf data as (pointer, length), book_replay hands it pcap records.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "hypertick/feed/ethernet_ipv4_udp.hpp"
#include "hypertick/feed/feed_counters.hpp"
#include "hypertick/feed/itch_dispatch.hpp"
#include "hypertick/feed/moldudp64.hpp"
#include "hypertick/feed/order_event.hpp"
#include "hypertick/feed/sequencer.hpp"

namespace hypertick::feed {

template <class Handler>
concept wants_order_events = requires(Handler& h, const OrderEvent& e) {
    h.on_order_event(e, uint64_t{0});
};

// Handler: derive from FeedHandlerBase (itch_dispatch.hpp) and define the callbacks you need.
// Define `on_order_event(const OrderEvent&, uint64_t sequence)` to receive A F E C X D U as
// normalised events instead of their typed-view callbacks.
template <class Handler>
class FeedReceiver {
public:
    FeedReceiver(Handler& handler, UdpFilter filter) : handler_(handler), filter_(filter) {}

    void on_frame(const uint8_t* frame, uint32_t frame_length) {
        UdpDatagram datagram;
        if (accept_frame(frame, frame_length, filter_, datagram)) on_moldudp64(datagram.payload, datagram.length);
    }

    // The frame-level half of on_frame, with a per-line filter: counts the frame's outcome and
    // returns its UDP payload when accepted (the line arbiter takes it from there).
    bool accept_frame(const uint8_t* frame, uint32_t frame_length, UdpFilter filter, UdpDatagram& datagram) {
        ++counters_.frames;
        const FeedEvent verdict = parse_udp_frame(frame, frame_length, filter, datagram);
        counters_.count(verdict);
        return verdict == FeedEvent::frame_accepted;
    }

    // Entry point for a bare MoldUDP64 payload (the UDP payload of a frame).
    //
    // One pass: the sequencer decides from the header, then the blocks are walked, bounds-checked
    // and dispatched together. If a length prefix runs past the datagram, the messages before it
    // stand, the rest are handed back to the sequencer as never received (the next datagram then
    // reveals them as a gap), and the datagram is counted malformed.
    void on_moldudp64(const uint8_t* payload, uint32_t length) {
        if (length < mold_header_length) {
            counters_.count(FeedEvent::malformed_mold_header_short);
            return;
        }
        const MoldHeader header{payload};
        const uint16_t count = header.count();
        const uint64_t sequence = header.sequence();
        const uint16_t messages = count == mold_end_of_session_count ? 0 : count;
        if (sequence > std::numeric_limits<uint64_t>::max() - messages) {
            counters_.count(FeedEvent::malformed_mold_sequence_overflow);
            return;
        }
        const SequenceDecision decision = sequencer_.on_datagram(header.session(), sequence, count);
        if (decision.session_started) handler_.on_session_start(sequencer_.session());
        if (decision.gap_count != 0) handler_.on_gap(decision.gap_first, decision.gap_count);
        const uint32_t readable = deliver(payload, length, decision, sequence, messages);
        if (readable < messages) {
            counters_.count(FeedEvent::malformed_mold_count_overrun);
            sequencer_.on_datagram_cut(sequence, decision, static_cast<uint16_t>(readable));
        } else if (readable_end_ != payload + length) {
            counters_.count(FeedEvent::malformed_mold_trailing_bytes);
        } else {
            counters_.count(FeedEvent::datagram_accepted);
        }
        if (decision.end_of_session) handler_.on_end_of_session(sequencer_.next_expected());
    }

    const FeedCounters& counters() const { return counters_; }
    const SessionSequencer& sequencer() const { return sequencer_; }
    // See SessionSequencer::restart_numbering (benchmark replays of a looping capture only).
    void restart_sequencing(uint64_t next) { sequencer_.restart_numbering(next); }

private:
    // Walks all `messages` blocks, dispatching [skip, skip + deliver). Returns how many blocks
    // lay wholly inside the payload; readable_end_ is where the last of them ended.
    uint32_t deliver(const uint8_t* payload, uint32_t length, const SequenceDecision& decision,
                     uint64_t sequence, uint16_t messages) {
        const uint8_t* block = payload + mold_header_length;
        const uint8_t* const end = payload + length;
        // Sequence 0 (anonymised capture) stays 0 for every message: there is no numbering.
        const uint64_t step = sequence == 0 ? 0 : 1;
        uint64_t message_sequence = sequence;
        uint32_t dispatched = 0;
        uint32_t not_decoded = 0;
        uint32_t i = 0;
        for (; i < messages; ++i, message_sequence += step) {
            if (end - block < static_cast<ptrdiff_t>(mold_length_prefix)) break;
            const uint16_t message_length = load_be16(block);
            const uint8_t* message = block + mold_length_prefix;
            if (end - message < static_cast<ptrdiff_t>(message_length)) break;
            block = message + message_length;
            if (i < decision.skip) continue;
            const FeedEvent event = decode_one(message, message_length, message_sequence);
            ++dispatched;
            if (event != FeedEvent::message_decoded) [[unlikely]] {
                counters_.count(event);
                ++not_decoded;
            }
        }
        assert(dispatched <= decision.deliver);
        counters_.count(FeedEvent::message_decoded, dispatched - not_decoded);
        readable_end_ = block;
        return i;
    }

    // Handlers that accept OrderEvent get the seven order types through the branch-free
    // decoder (order_event.hpp) and everything else through the typed views.
    FeedEvent decode_one(const uint8_t* message, uint16_t length, uint64_t sequence) {
        if constexpr (wants_order_events<Handler>) {
            OrderEvent event;
            if (decode_order_event(message, length, event)) [[likely]] {
                handler_.on_order_event(event, sequence);
                return FeedEvent::message_decoded;
            }
        }
        return dispatch_itch_message(message, length, sequence, handler_);
    }

    Handler& handler_;
    UdpFilter filter_;
    SessionSequencer sequencer_;
    const uint8_t* readable_end_ = nullptr;
    FeedCounters counters_;
};

}  // namespace hypertick::feed
