// A/B line arbitration and MoldUDP64 gap recovery for one feed (issue 8, docs/protocol.md
// "Line arbitration and gap recovery").
//
// Every line of a feed (A, B, and the re-request server's answers) hands its MoldUDP64 payloads
// here. The arbiter keeps the feed's FeedReceiver fed with an in-order, gap-free stream: a
// datagram that continues the stream goes straight through (zero copy); messages beyond a hole
// are copied into a preallocated hold window (one 64-byte slot per sequence number) until the
// hole is filled by another line or by a retransmission, then released in order as synthetic
// datagrams. The receiver's own sequencer therefore only ever sees a gap when the arbiter gives
// one up (no recovery, timeout, or hold window full): never out-of-order data.
//
// State machine: synchronized -> gap_fill (a number beyond the next expected one is known to
// exist) -> synchronized (filled) | given_up (recovery timed out or the hold window overflowed:
// the books are marked invalid, the gap is skipped and stays counted; sticky). Without recovery a
// gap both lines missed is skipped after line_wait_ns, as a single-line feed would.
//
// No heap, no exceptions, no system calls: the caller supplies the memory and the clock.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "hypertick/feed/feed_receiver.hpp"
#include "hypertick/feed/moldudp64.hpp"

namespace hypertick::feed {

inline constexpr uint32_t max_feed_lines = 3;        // A, B and the re-request answers
inline constexpr uint32_t hold_slot_bytes = 64;      // per held message: 2 length + 62 bytes
inline constexpr uint16_t hold_message_bytes_max = hold_slot_bytes - 2;
// Released messages are packed into synthetic datagrams of at most this many messages.
inline constexpr uint32_t release_batch_messages = 512;
inline constexpr uint32_t release_buffer_bytes = mold_header_length + release_batch_messages * hold_slot_bytes;

enum class RecoveryState : uint8_t { synchronized, gap_fill, given_up };

inline const char* to_string(RecoveryState s) {
    switch (s) {
        case RecoveryState::synchronized: return "synchronized";
        case RecoveryState::gap_fill: return "gap_fill";
        case RecoveryState::given_up: return "given_up";
    }
    return "?";
}

// Why the arbiter gave a gap up, when it did.
enum class GiveUpReason : uint8_t { none, timeout, hold_full };

struct LineCounters {
    uint64_t datagrams = 0;        // well-formed MoldUDP64 datagrams of this line
    uint64_t first_arrivals = 0;   // datagrams that brought at least one new message
    uint64_t duplicates = 0;       // data datagrams that brought nothing new
    uint64_t missed_messages = 0;  // numbers this line skipped (its own loss, filled or not)
};

struct ArbiterCounters {
    uint64_t held_messages = 0;      // copied into the hold window
    uint64_t released_messages = 0;  // delivered from the hold window, in order
    uint64_t gaps_opened = 0;        // times the stream entered gap_fill
    uint64_t gaps_skipped = 0;       // holes given up (messages lost to the books)
    uint64_t requests = 0;           // re-request datagrams asked for
    uint64_t hold_full = 0;          // messages that did not fit the hold window
    uint64_t oversize = 0;           // out-of-order messages longer than a slot (treated as lost)
};

struct ArbiterSettings {
    uint32_t hold_capacity = 65536;  // messages; a power of two
    bool recovery = false;           // ask a re-request server for holes both lines missed
    uint64_t line_wait_ns = 20'000'000;   // a hole's age before asking (or skipping it)
    uint64_t retry_ns = 50'000'000;       // between request rounds for the same hole
    uint64_t timeout_ns = 1'000'000'000;  // a hole making no progress this long: given up
    uint32_t max_outstanding = 4;         // requests per round
    uint16_t max_messages_per_request = 40;
};

struct RecoveryRequest {
    uint64_t first = 0;
    uint16_t count = 0;
};

// Encodes the 20-byte MoldUDP64 re-request: session, first sequence (u64 BE), count (u16 BE).
inline void encode_rerequest(const MoldSession& session, const RecoveryRequest& r, uint8_t* out) {
    std::memcpy(out, session.name.data(), mold_session_length);
    for (int i = 0; i < 8; ++i) out[10 + i] = static_cast<uint8_t>(r.first >> (56 - 8 * i));
    out[18] = static_cast<uint8_t>(r.count >> 8);
    out[19] = static_cast<uint8_t>(r.count);
}

template <class Handler>
class LineArbiter {
public:
    // `hold` holds settings.hold_capacity * hold_slot_bytes zeroed bytes, `release` holds
    // release_buffer_bytes; both outlive the arbiter.
    LineArbiter(FeedReceiver<Handler>& receiver, const ArbiterSettings& settings, uint8_t* hold, uint8_t* release)
        : receiver_(receiver), settings_(settings), hold_(hold), release_(release), mask_(settings.hold_capacity - 1) {
        assert(settings.hold_capacity != 0 && (settings.hold_capacity & mask_) == 0);
    }

    void on_frame(uint32_t line, const uint8_t* frame, uint32_t length, UdpFilter filter, uint64_t now_ns) {
        UdpDatagram d;
        if (receiver_.accept_frame(frame, length, filter, d)) on_payload(line, d.payload, d.length, now_ns);
    }

    void on_payload(uint32_t line, const uint8_t* payload, uint32_t length, uint64_t now_ns) {
        assert(line < max_feed_lines);
        if (length < mold_header_length) return receiver_.on_moldudp64(payload, length);  // counted there
        const MoldHeader header{payload};
        const uint64_t sequence = header.sequence();
        const uint16_t count = header.count();
        const uint16_t messages = count == mold_end_of_session_count ? 0 : count;
        if (sequence == 0 || sequence > std::numeric_limits<uint64_t>::max() - messages)
            return receiver_.on_moldudp64(payload, length);  // unsequenced or overflowing: its rules
        if (!has_session_ || header.session() != session_) start_session(header.session());
        LineCounters& lc = lines_[line];
        ++lc.datagrams;
        const uint64_t end = sequence + messages;
        if (sequence > line_next_[line]) lc.missed_messages += sequence - line_next_[line];
        if (end > line_next_[line]) line_next_[line] = end;
        if (messages == 0) return on_control(payload, length, sequence, count == mold_end_of_session_count, now_ns);
        const uint64_t next = next_expected();
        if (end <= next) {  // nothing new: the receiver counts the duplicate messages
            ++lc.duplicates;
            return receiver_.on_moldudp64(payload, length);
        }
        if (held_ == 0 && sequence <= next) {  // continues the stream: straight through
            ++lc.first_arrivals;
            receiver_.on_moldudp64(payload, length);
            note_highest(end);
            after_progress(now_ns);
            return;
        }
        const uint32_t added = hold_datagram(payload, length, sequence, messages, now_ns);
        if (added != 0) ++lc.first_arrivals;
        else ++lc.duplicates;
        release(now_ns);
    }

    // Called every millisecond or so: skips or gives up holes that waited too long, and returns
    // the re-requests due now (at most `max` and settings.max_outstanding).
    uint32_t on_timer(uint64_t now_ns, RecoveryRequest* out, uint32_t max) {
        if (!in_gap()) return 0;
        const uint64_t age = now_ns - gap_since_ns_;
        if (!settings_.recovery || state_ == RecoveryState::given_up) {
            if (age >= settings_.line_wait_ns) skip_hole(now_ns);
            return 0;
        }
        if (age >= settings_.timeout_ns) {
            give_up(GiveUpReason::timeout, now_ns);
            return 0;
        }
        if (age < settings_.line_wait_ns) return 0;
        if (requested_ && now_ns - last_request_ns_ < settings_.retry_ns) return 0;
        requested_ = true;
        last_request_ns_ = now_ns;
        return collect_requests(out, max < settings_.max_outstanding ? max : settings_.max_outstanding);
    }

    [[nodiscard]] bool in_gap() const { return highest_ > next_expected(); }
    [[nodiscard]] RecoveryState state() const { return state_; }
    [[nodiscard]] GiveUpReason give_up_reason() const { return reason_; }
    [[nodiscard]] bool books_valid() const { return books_valid_; }
    [[nodiscard]] uint64_t next_expected() const { return receiver_.sequencer().next_expected(); }
    [[nodiscard]] uint64_t highest() const { return highest_; }
    [[nodiscard]] uint32_t held() const { return held_; }
    [[nodiscard]] const MoldSession& session() const { return session_; }
    [[nodiscard]] const LineCounters& line(uint32_t i) const { return lines_[i]; }
    [[nodiscard]] const ArbiterCounters& counters() const { return counters_; }

private:
    uint8_t* slot(uint64_t sequence) const { return hold_ + (sequence & mask_) * hold_slot_bytes; }
    static uint16_t slot_length(const uint8_t* s) { return static_cast<uint16_t>(s[0] | (s[1] << 8)); }
    // Length 0 marks a free slot, so a stored message's length is kept plus one.
    static bool slot_used(const uint8_t* s) { return slot_length(s) != 0; }

    void start_session(const MoldSession& session) {
        const uint64_t from = next_expected();
        for (uint64_t n = from; held_ != 0 && n < highest_ && n - from < settings_.hold_capacity; ++n) clear_slot(n);
        held_ = 0;
        session_ = session;
        has_session_ = true;
        highest_ = SessionSequencer::first_sequence;
        end_pending_ = false;
        for (uint64_t& n : line_next_) n = SessionSequencer::first_sequence;
        if (state_ == RecoveryState::gap_fill) state_ = RecoveryState::synchronized;
        gap_open_ = false;
        // A new session name after an old one: the receiver's sequencer would start it only when
        // the first datagram reaches it, and until then would expect the old session's numbers.
        // Hand it the session now (an unsequenced, empty datagram) so holding works from 1.
        if (!receiver_.sequencer().has_session()) return;
        write_header(session, 0, 0, release_);
        receiver_.on_moldudp64(release_, mold_header_length);
        receiver_.restart_sequencing(SessionSequencer::first_sequence);
    }

    void clear_slot(uint64_t n) {
        uint8_t* s = slot(n);
        s[0] = 0;
        s[1] = 0;
    }

    void on_control(const uint8_t* payload, uint32_t length, uint64_t sequence, bool end, uint64_t now_ns) {
        note_highest(sequence);
        if (end) {
            end_pending_ = true;
            end_sequence_ = sequence;
        }
        // A heartbeat or end of session beyond a hole would make the receiver jump: hold it back.
        if (!in_gap() || sequence <= next_expected()) receiver_.on_moldudp64(payload, length);
        after_progress(now_ns);
    }

    uint32_t hold_datagram(const uint8_t* payload, uint32_t length, uint64_t sequence, uint16_t messages,
                           uint64_t now_ns) {
        const uint8_t* block = payload + mold_header_length;
        const uint8_t* const stop = payload + length;
        uint32_t added = 0;
        for (uint32_t i = 0; i < messages; ++i) {
            if (stop - block < static_cast<ptrdiff_t>(mold_length_prefix)) break;
            const uint16_t size = load_be16(block);
            const uint8_t* message = block + mold_length_prefix;
            if (stop - message < static_cast<ptrdiff_t>(size)) break;  // the rest never arrived
            block = message + size;
            const uint64_t n = sequence + i;
            if (n < next_expected()) continue;
            if (n - next_expected() >= settings_.hold_capacity && !make_room(n, now_ns)) continue;
            uint8_t* s = slot(n);
            if (slot_used(s)) continue;
            if (size > hold_message_bytes_max) {
                ++counters_.oversize;
                continue;
            }
            const uint16_t stored = static_cast<uint16_t>(size + 1);
            s[0] = static_cast<uint8_t>(stored);
            s[1] = static_cast<uint8_t>(stored >> 8);
            std::memcpy(s + 2, message, size);
            ++held_;
            ++added;
            ++counters_.held_messages;
            note_highest(n + 1);
        }
        return added;
    }

    // Message `n` lies past the hold window: the defined result of a full window is to give the
    // oldest hole up (recovery: the feed goes to given_up) until `n` fits.
    bool make_room(uint64_t n, uint64_t now_ns) {
        ++counters_.hold_full;
        if (settings_.recovery && state_ != RecoveryState::given_up) mark_given_up(GiveUpReason::hold_full);
        while (held_ != 0 && n - next_expected() >= settings_.hold_capacity) skip_hole(now_ns);
        if (n - next_expected() >= settings_.hold_capacity) jump_to(n - settings_.hold_capacity + 1);
        return n - next_expected() < settings_.hold_capacity;
    }

    // Releases the held messages that now continue the stream, in order.
    void release(uint64_t now_ns) {
        while (held_ != 0 && slot_used(slot(next_expected()))) {
            const uint64_t first = next_expected();
            uint8_t* out = release_ + mold_header_length;
            uint32_t k = 0;
            for (uint64_t n = first; k < release_batch_messages && held_ != 0; ++n, ++k) {
                uint8_t* s = slot(n);
                if (!slot_used(s)) break;
                const uint16_t size = static_cast<uint16_t>(slot_length(s) - 1);
                out[0] = static_cast<uint8_t>(size >> 8);
                out[1] = static_cast<uint8_t>(size);
                std::memcpy(out + 2, s + 2, size);
                out += 2 + size;
                clear_slot(n);
                --held_;
            }
            write_header(session_, first, static_cast<uint16_t>(k), release_);
            counters_.released_messages += k;
            receiver_.on_moldudp64(release_, static_cast<uint32_t>(out - release_));
        }
        after_progress(now_ns);
    }

    void after_progress(uint64_t now_ns) {
        const uint64_t next = next_expected();
        if (in_gap()) {
            if (!gap_open_) {
                gap_open_ = true;
                ++counters_.gaps_opened;
                if (state_ == RecoveryState::synchronized) state_ = RecoveryState::gap_fill;
                gap_next_ = ~uint64_t{0};
            }
            if (next != gap_next_) {  // a new hole, or progress on this one: its clock starts now
                gap_next_ = next;
                gap_since_ns_ = now_ns;
                requested_ = false;
            }
            return;
        }
        gap_open_ = false;
        if (state_ == RecoveryState::gap_fill) state_ = RecoveryState::synchronized;
        if (end_pending_ && end_sequence_ <= next && !receiver_.sequencer().end_of_session()) {
            write_header(session_, end_sequence_, mold_end_of_session_count, release_);
            receiver_.on_moldudp64(release_, mold_header_length);
        }
    }

    uint32_t collect_requests(RecoveryRequest* out, uint32_t max) {
        uint32_t n_requests = 0;
        uint64_t n = next_expected();
        while (n < highest_ && n_requests < max) {
            if (n - next_expected() < settings_.hold_capacity && slot_used(slot(n))) {
                ++n;
                continue;
            }
            RecoveryRequest r{n, 0};
            while (n < highest_ && r.count < settings_.max_messages_per_request &&
                   !(n - next_expected() < settings_.hold_capacity && slot_used(slot(n)))) {
                ++r.count;
                ++n;
            }
            out[n_requests++] = r;
        }
        counters_.requests += n_requests;
        return n_requests;
    }

    void mark_given_up(GiveUpReason reason) {
        state_ = RecoveryState::given_up;
        reason_ = reason;
        books_valid_ = false;
    }

    void give_up(GiveUpReason reason, uint64_t now_ns) {
        mark_given_up(reason);
        while (in_gap()) skip_hole(now_ns);
    }

    // Gives up the numbers from the next expected one to the first held message (or to the
    // highest known number): the receiver reports them as a gap and jumps.
    void skip_hole(uint64_t now_ns) {
        // With messages held, the first of them lies inside the window: the scan is bounded.
        uint64_t to = held_ == 0 ? highest_ : next_expected();
        while (to < highest_ && !slot_used(slot(to))) ++to;
        jump_to(to);
        release(now_ns);
    }

    void jump_to(uint64_t to) {
        if (to <= next_expected()) return;
        ++counters_.gaps_skipped;
        write_header(session_, to, 0, release_);  // a heartbeat at `to`: the receiver's gap rules
        receiver_.on_moldudp64(release_, mold_header_length);
    }

    void note_highest(uint64_t end) {
        if (end > highest_) highest_ = end;
    }

    static void write_header(const MoldSession& session, uint64_t sequence, uint16_t count, uint8_t* out) {
        encode_rerequest(session, RecoveryRequest{sequence, count}, out);
    }

    FeedReceiver<Handler>& receiver_;
    ArbiterSettings settings_;
    uint8_t* hold_;
    uint8_t* release_;
    uint64_t mask_;
    MoldSession session_{};
    bool has_session_ = false;
    uint64_t highest_ = SessionSequencer::first_sequence;  // one past the highest number known
    uint32_t held_ = 0;
    uint64_t line_next_[max_feed_lines] = {1, 1, 1};
    LineCounters lines_[max_feed_lines]{};
    RecoveryState state_ = RecoveryState::synchronized;
    GiveUpReason reason_ = GiveUpReason::none;
    bool books_valid_ = true;
    uint64_t gap_next_ = 0;
    uint64_t gap_since_ns_ = 0;
    uint64_t last_request_ns_ = 0;
    bool requested_ = false;
    bool gap_open_ = false;
    bool end_pending_ = false;
    uint64_t end_sequence_ = 0;
    ArbiterCounters counters_{};
};

}  // namespace hypertick::feed
