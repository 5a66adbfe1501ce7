// Sequencing of one MoldUDP64 feed: which messages of a datagram are new, which are
// duplicates, whether a gap opened, session changes and end of session.
//
// The sequencer sees only (session, first sequence, count) per datagram and decides before any
// message is decoded. A gap is declared as soon as a datagram or heartbeat beyond the next
// expected number arrives, and the stream jumps forward; messages that arrive later for numbers
// already passed are duplicates. A feed with two lines or gap recovery puts a LineArbiter
// (line_arbiter.hpp) in front of it, which holds what lies beyond a hole until the hole is filled
// (by the other line or a re-request) or given up, so the sequencer only ever sees a given-up
// hole as a gap. docs/protocol.md gives the full rules.
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>

#include "hypertick/feed/moldudp64.hpp"

namespace hypertick::feed {

// What to do with one datagram: deliver messages [skip, skip + deliver) of it, in order.
struct SequenceDecision {
    uint16_t skip = 0;     // leading messages already delivered (or given up as missing)
    uint16_t deliver = 0;  // new messages following them
    uint64_t gap_first = 0;  // first missing sequence number, when gap_count > 0
    uint64_t gap_count = 0;  // messages lost before this datagram (0: no gap)
    bool session_started = false;  // first datagram, or a new session name: state was reset
    bool end_of_session = false;   // count 0xFFFF
};

struct alignas(64) SequencerCounters {
    uint64_t packets = 0;            // datagrams sequenced (data, heartbeat, end of session)
    uint64_t messages = 0;           // new messages delivered
    uint64_t gaps = 0;               // runs of missing sequence numbers
    uint64_t missing_messages = 0;   // total numbers in those runs
    uint64_t duplicate_messages = 0;  // messages at numbers already passed
    uint64_t duplicate_packets = 0;  // data datagrams with no new message
    uint64_t heartbeats = 0;         // count 0
    uint64_t end_of_session_packets = 0;  // count 0xFFFF
    uint64_t unsequenced_packets = 0;     // sequence number 0 (anonymised captures)
    uint64_t sessions = 0;           // distinct sessions started (first one included)
};

class SessionSequencer {
public:
    // Sessions start at sequence number 1 (MoldUDP64), so joining late reports a gap from 1.
    static constexpr uint64_t first_sequence = 1;

    // `count` is the datagram's raw count (0xFFFF for end of session). The caller has already
    // checked that sequence + count does not wrap.
    SequenceDecision on_datagram(const MoldSession& session, uint64_t sequence, uint16_t count) {
        SequenceDecision decision;
        ++counters_.packets;
        if (!has_session_ || session != session_) {
            start_session(session);
            decision.session_started = true;
        }
        const bool end = count == mold_end_of_session_count;
        const uint16_t messages = end ? 0 : count;
        if (end) {
            ++counters_.end_of_session_packets;
            end_of_session_ = true;
            decision.end_of_session = true;
        } else if (messages == 0) {
            ++counters_.heartbeats;
        }
        // Sequence number 0 never occurs on a live feed; anonymised captures zero it. Deliver
        // such datagrams as they come rather than dropping them all as duplicates.
        if (sequence == 0) {
            ++counters_.unsequenced_packets;
            counters_.messages += messages;
            decision.deliver = messages;
            return decision;
        }
        assert(sequence <= std::numeric_limits<uint64_t>::max() - messages);
        if (sequence > next_) {
            decision.gap_first = next_;
            decision.gap_count = sequence - next_;
            ++counters_.gaps;
            counters_.missing_messages += decision.gap_count;
            next_ = sequence;
        }
        const uint64_t end_sequence = sequence + messages;
        if (end_sequence <= next_) {
            decision.skip = messages;
            counters_.duplicate_messages += messages;
            if (messages != 0) ++counters_.duplicate_packets;
            return decision;
        }
        decision.skip = static_cast<uint16_t>(next_ - sequence);
        decision.deliver = static_cast<uint16_t>(end_sequence - next_);
        counters_.duplicate_messages += decision.skip;
        counters_.messages += decision.deliver;
        next_ = end_sequence;
        assert(decision.skip + decision.deliver == messages);
        return decision;
    }

    // The datagram just decided held only `readable` whole messages (its bytes ran out): the
    // rest were never delivered, so the stream resumes after the last readable one and the
    // next datagram reveals the remainder as a gap.
    void on_datagram_cut(uint64_t sequence, const SequenceDecision& decision, uint16_t readable) {
        assert(readable < decision.skip + decision.deliver);
        const uint16_t delivered = readable > decision.skip ? readable - decision.skip : 0;
        counters_.messages -= decision.deliver - delivered;
        if (sequence == 0 || decision.deliver == 0) return;
        next_ = sequence + (readable > decision.skip ? readable : decision.skip);
    }

    // Expects `next` again (the capture's first number), keeping the session and
    // the counters: for throughput runs over a capture that loops (net_pcap infinite_rx=1), where
    // the numbers return to the top. Never used on a live feed.
    void restart_numbering(uint64_t next) {
        next_ = next;
        end_of_session_ = false;
    }

    uint64_t next_expected() const { return next_; }
    bool has_session() const { return has_session_; }
    const MoldSession& session() const { return session_; }
    bool end_of_session() const { return end_of_session_; }
    const SequencerCounters& counters() const { return counters_; }

private:
    void start_session(const MoldSession& session) {
        session_ = session;
        has_session_ = true;
        next_ = first_sequence;
        end_of_session_ = false;
        ++counters_.sessions;
    }

    MoldSession session_{};
    bool has_session_ = false;
    bool end_of_session_ = false;
    uint64_t next_ = first_sequence;
    SequencerCounters counters_{};
};

}  // namespace hypertick::feed
