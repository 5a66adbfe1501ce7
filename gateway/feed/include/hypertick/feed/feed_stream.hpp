// The one owner of a feed's message stream: which MoldUDP64 messages are real, new and next.
//
// Every accepted datagram of every line of a feed (A, B, the re-request answers) comes here,
// and only messages this machine releases, strictly in sequence order and each once, reach the
// decoder and the books. It owns the session, the next expected number, the hold window, the
// outstanding re-requests and the validity of the books; nothing else moves them. The
// operations (docs/protocol.md, "The feed stream", has the state diagram):
//
//   adopt a session   the first datagram of line A (of line B once A has been silent for
//                     line_wait), or a plausible new session: on line A after end of session
//                     or numbered 1, or every data line sending it twice in a row
//   deliver in order  a datagram that continues the stream is decoded in place (zero copy)
//   hold              messages beyond a hole wait in the hold window for another line or the
//                     re-request server, and are released in order when the hole fills
//   skip              a hole given up (single line: at once; otherwise after line_wait without
//                     recovery, or on recovery timeout or a full hold window): counted as a gap,
//                     and the books are marked invalid
//   end of session    delivered once the stream reaches its number
//
// What is never followed: a datagram of another session (counted, dropped), a datagram far
// ahead of everything known until a second one confirms it, answers that were not asked for,
// sequence-0 datagrams where they are not accepted.
//
// A single-line feed is the same machine with hold_capacity 0. No heap, no exceptions, no
// system calls: the caller supplies the hold memory and the clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "hypertick/base/assert.hpp"
#include "hypertick/feed/copy_check.hpp"
#include "hypertick/feed/feed_counters.hpp"
#include "hypertick/feed/message_decoder.hpp"
#include "hypertick/feed/moldudp64.hpp"
#include "hypertick/feed/rerequest.hpp"
#include "hypertick/feed/stream_counters.hpp"

namespace hypertick::feed {

inline constexpr uint32_t hold_slot_bytes = 64;  // per held message: 2 length + 62 bytes
inline constexpr uint16_t hold_message_bytes_max = hold_slot_bytes - 2;
inline constexpr uint64_t first_sequence_number = 1;  // MoldUDP64 sessions start at 1

// The memory a stream needs from its owner: the hold window, then the copy ring.
inline uint64_t stream_memory_bytes(const stream_settings& s) {
    return uint64_t{s.hold_capacity} * hold_slot_bytes +
           uint64_t{s.verify_window} * sizeof(copy_record);
}

template <class Handler>
class feed_stream {
  public:
    // `hold` holds stream_memory_bytes(settings) zeroed bytes, 16-byte aligned (null when 0),
    // and outlives the stream: the hold window, then the copy ring (copy_check.hpp).
    // `frame_counters` receives the datagram and message outcomes.
    feed_stream(Handler& handler, feed_counters& frame_counters, const stream_settings& settings,
                uint8_t* hold)
        : decoder_(handler, frame_counters),
          frame_counters_(frame_counters),
          settings_(settings),
          hold_(hold),
          mask_(settings.hold_capacity == 0 ? 0 : settings.hold_capacity - 1),
          copies_(settings.verify_window == 0
                      ? nullptr
                      : hold + uint64_t{settings.hold_capacity} * hold_slot_bytes,
                  settings.verify_window, settings.copy_hash_key) {
        HT_ASSERT((settings.hold_capacity & mask_) == 0);
        HT_ASSERT(stream_memory_bytes(settings) == 0 || hold != nullptr);
        HT_ASSERT(!settings.recovery || settings.hold_capacity != 0);
        HT_ASSERT(settings.data_lines >= 1 && settings.data_lines <= max_data_lines);
        HT_ASSERT(settings.max_outstanding <= max_outstanding_requests);
    }

    // One UDP payload from `line`, whose frame and source were already accepted.
    void on_datagram(uint32_t line, const uint8_t* payload, uint32_t length, uint64_t now_ns) {
        HT_ASSERT(line < max_feed_lines);
        if (length < mold_header_length) [[unlikely]] {
            frame_counters_.count(feed_event::malformed_mold_header_short);
            return;
        }
        const mold_header header{payload};
        const uint64_t sequence = header.sequence();
        const uint16_t count = header.count();
        const uint16_t messages = count == mold_end_of_session_count ? 0 : count;
        if (sequence > std::numeric_limits<uint64_t>::max() - messages) [[unlikely]] {
            frame_counters_.count(feed_event::malformed_mold_sequence_overflow);
            return;
        }
        ++counters_.packets;
        line_counters& lc = lines_[line];
        if (sequence == 0 && (line == recovery_line || !settings_.accept_unsequenced))
            [[unlikely]] {
            ++lc.unsequenced_dropped;
            return;
        }
        if (!accept_session(line, payload, sequence, now_ns)) [[unlikely]]
            return;
        if (sequence == 0) [[unlikely]]
            return on_unsequenced(lc, payload, length, count);
        if (line == recovery_line) return on_answer(payload, length, sequence, messages, now_ns);
        if (settings_.restart_on_loop && !follow_loop(line, sequence)) return;
        const uint64_t known = frontier();
        if (sequence > known && sequence - known > settings_.max_sequence_jump) [[unlikely]] {
            if (!confirm_jump(line, payload, length, sequence, messages, now_ns)) return;
        }
        on_sequenced(line, payload, length, sequence, count, now_ns);
    }

    // A frame of `line` came from another source than the line's: counted, dropped.
    void count_wrong_source(uint32_t line) { ++lines_[line].wrong_source; }

    // Called every millisecond or so on arbitrated feeds: skips or gives up holes that waited
    // too long, and returns the re-requests due now (at most `max` and max_outstanding). The
    // returned requests become the outstanding ones: answers are accepted inside them only.
    uint32_t on_timer(uint64_t now_ns, recovery_request* out, uint32_t max) {
        if (!in_gap()) return 0;
        const uint64_t age = now_ns - gap_since_ns_;
        if (!settings_.recovery || state_ == stream_state::given_up) {
            if (age >= settings_.line_wait_ns) skip_hole(invalid_gap_skipped, now_ns);
            return 0;
        }
        if (age >= settings_.timeout_ns) {
            give_up(invalid_recovery_timeout, now_ns);
            return 0;
        }
        if (age < settings_.line_wait_ns) return 0;
        if (requested_ && now_ns - last_request_ns_ < settings_.retry_ns) return 0;
        requested_ = true;
        last_request_ns_ = now_ns;
        const uint32_t limit = max < settings_.max_outstanding ? max : settings_.max_outstanding;
        return collect_requests(out, limit);
    }

    [[nodiscard]] stream_state state() const { return state_; }
    [[nodiscard]] bool in_gap() const { return highest_ > next_; }
    [[nodiscard]] uint32_t invalid_reasons() const { return invalid_; }
    [[nodiscard]] bool books_valid() const { return invalid_ == 0; }
    [[nodiscard]] uint64_t next_expected() const { return next_; }
    [[nodiscard]] uint64_t highest() const { return highest_; }
    [[nodiscard]] uint32_t held() const { return held_; }
    [[nodiscard]] bool has_session() const { return has_session_; }
    [[nodiscard]] const mold_session& session() const { return session_; }
    [[nodiscard]] bool end_of_session() const { return ended_; }
    [[nodiscard]] const stream_counters& counters() const { return counters_; }
    [[nodiscard]] const line_counters& line(uint32_t i) const { return lines_[i]; }
    [[nodiscard]] const stream_settings& settings() const { return settings_; }

  private:
    // ---- sessions ----

    // Whether the datagram belongs to the feed's session, adopting a new one where plausible.
    bool accept_session(uint32_t line, const uint8_t* payload, uint64_t sequence, uint64_t now_ns) {
        if (has_session_ && std::memcmp(payload, session_.name.data(), mold_session_length) == 0)
            [[likely]] {
            candidate_runs_[line] = 0;
            return true;
        }
        const mold_session session = mold_session::from_bytes(payload);
        if (line == recovery_line) {  // answers never start or change a session
            if (has_session_)
                ++lines_[line].foreign_session;
            else
                ++lines_[line].unrequested;
            return false;
        }
        if (!has_session_) {
            // Line A names the session; line B only once A has been silent for line_wait (A
            // down), so a B line of another session cannot win the start-up race.
            if (!heard_ns_valid_) {
                heard_ns_valid_ = true;
                first_heard_ns_ = now_ns;
            }
            if (line != line_a && now_ns - first_heard_ns_ < settings_.line_wait_ns) {
                ++lines_[line].before_session;
                return false;
            }
            start_session(session);
            return true;
        }
        if (candidate_runs_[line] != 0 && candidates_[line] == session)
            ++candidate_runs_[line];
        else {
            candidates_[line] = session;
            candidate_runs_[line] = 1;
        }
        bool agreed = true;
        for (uint32_t l = 0; l < settings_.data_lines; ++l)
            agreed = agreed && candidate_runs_[l] >= 2 && candidates_[l] == session;
        if ((line == line_a && (ended_ || sequence == first_sequence_number)) || agreed) {
            start_session(session);
            return true;
        }
        ++lines_[line].foreign_session;
        return false;
    }

    void start_session(const mold_session& session) {
        if (has_session_ && delivered_in_session_ != 0) invalidate(invalid_session_changed);
        rewind_to(first_sequence_number);
        session_ = session;
        has_session_ = true;
        ++counters_.sessions;
        first_sequence_ = 0;
        delivered_in_session_ = 0;
        state_ = stream_state::synchronized;
        for (uint32_t l = 0; l < max_feed_lines; ++l) {
            line_next_[l] = first_sequence_number;
            candidate_runs_[l] = 0;
        }
        decoder_.handler().on_session_start(session_);
    }

    // ---- the data lines ----

    void on_sequenced(uint32_t line, const uint8_t* payload, uint32_t length, uint64_t sequence,
                      uint16_t count, uint64_t now_ns) {
        line_counters& lc = lines_[line];
        const uint16_t messages = count == mold_end_of_session_count ? 0 : count;
        const uint64_t end = sequence + messages;
        if (past_end_of_session(line, end)) [[unlikely]]
            return;
        ++lc.datagrams;
        if (first_sequence_ == 0) first_sequence_ = sequence;
        if (sequence > line_next_[line]) lc.missed_messages += sequence - line_next_[line];
        if (end > line_next_[line]) line_next_[line] = end;
        if (messages == 0)
            return on_control(payload, length, sequence, count == mold_end_of_session_count,
                              now_ns);
        if (end <= next_) {  // nothing new
            ++lc.duplicates;
            ++counters_.duplicate_packets;
            counters_.duplicate_messages += messages;
            const block_walk walk = copies_.enabled()
                                        ? compare_copies(payload, length, sequence, messages)
                                        : walk_blocks(payload, length, messages);
            count_outcome(payload, length, walk, messages);
            return;
        }
        if (held_ == 0 && sequence <= next_) [[likely]] {
            ++lc.first_arrivals;
            deliver_in_place(payload, length, sequence, messages);
            after_progress(now_ns);
            return;
        }
        if (settings_.hold_capacity == 0) {  // single line: the hole is lost at once
            skip_to(sequence, invalid_gap_skipped);
            ++lc.first_arrivals;
            deliver_in_place(payload, length, sequence, messages);
            return;
        }
        const uint32_t added =
            hold_datagram(lc, payload, length, sequence, messages, false, now_ns);
        if (added != 0)
            ++lc.first_arrivals;
        else
            ++lc.duplicates;
        release(now_ns);
    }

    // Decodes the datagram's new messages where it lies; a datagram cut short delivers what it
    // holds, and the rest of the numbers its count claims are missing.
    void deliver_in_place(const uint8_t* payload, uint32_t length, uint64_t sequence,
                          uint16_t messages) {
        const uint16_t skip = static_cast<uint16_t>(next_ - sequence);
        const block_walk walk =
            copies_.enabled()
                ? decoder_.decode(payload, length, sequence, skip, messages,
                                  [this](const uint8_t* m, uint16_t size, uint64_t n) {
                                      copies_.remember(n, m, size);
                                  })
                : decoder_.decode(payload, length, sequence, skip, messages);
        check_applied();
        if (skip != 0 && copies_.enabled()) [[unlikely]]
            compare_copies(payload, length, sequence, skip);
        const uint32_t delivered = walk.readable > skip ? walk.readable - skip : 0;
        counters_.duplicate_messages += skip;
        counters_.messages += delivered;
        delivered_in_session_ += delivered;
        next_ = sequence + (walk.readable > skip ? walk.readable : skip);
        note_highest(sequence + messages);
        count_outcome(payload, length, walk, messages);
        // The count is authoritative: numbers it claims that the bytes did not hold are missing.
        // A single line cannot get them back, so they are a gap at once.
        if (walk.readable < messages && settings_.hold_capacity == 0) [[unlikely]]
            skip_to(sequence + messages, invalid_gap_skipped);
    }

    // Once an end of session is known, the session has no numbers at or past it: a datagram
    // that claims one (data reaching past the end, a heartbeat or another end beyond it) is
    // dropped whole and counted. Data below the end still fills the holes before it. `end` is
    // one past the datagram's last number (its sequence for a heartbeat or an end).
    //
    // On a data line such a datagram contradicts the end: one of the two is false and nothing
    // tells which. A forged end in mid-session would otherwise freeze books that still say
    // valid while the real session goes on, so the books are no longer vouched for.
    bool past_end_of_session(uint32_t line, uint64_t end) {
        if (!end_pending_ || end <= end_sequence_) [[likely]]
            return false;
        ++lines_[line].after_end_of_session;
        if (line != recovery_line) invalidate(invalid_end_of_session_conflict);
        return true;
    }

    // An end of session at `sequence` arrived. The first end named stands; an end that
    // disagrees with it, or with numbers already delivered or held at or past it, is a
    // contradiction (see past_end_of_session). Held messages at or past the first end are
    // never released: they are discarded and counted.
    void note_end_of_session(uint64_t sequence) {
        if (end_pending_) {
            if (sequence != end_sequence_) invalidate(invalid_end_of_session_conflict);
            return;
        }
        end_pending_ = true;
        end_sequence_ = sequence;
        if (next_ > sequence) invalidate(invalid_end_of_session_conflict);
        if (highest_ <= sequence) return;
        invalidate(invalid_end_of_session_conflict);
        for (uint64_t n = sequence > next_ ? sequence : next_;
             held_ != 0 && n < highest_ && n - next_ < settings_.hold_capacity; ++n) {
            if (!slot_used(slot(n))) continue;
            clear_slot(n);
            --held_;
            ++counters_.past_end_messages;
        }
        highest_ = sequence > next_ ? sequence : next_;
    }

    // Heartbeat (count 0) or end of session (0xFFFF): they only reveal numbers.
    void on_control(const uint8_t* payload, uint32_t length, uint64_t sequence, bool end,
                    uint64_t now_ns) {
        count_outcome(payload, length, block_walk{0, payload + mold_header_length}, 0);
        if (end) {
            ++counters_.end_of_session_packets;
            note_end_of_session(sequence);
        } else {
            ++counters_.heartbeats;
        }
        if (sequence > next_) {
            if (settings_.hold_capacity == 0)
                skip_to(sequence, invalid_gap_skipped);
            else
                note_highest(sequence);
        }
        after_progress(now_ns);
    }

    // Sequence 0 on a line that accepts it: applied as it comes, and the books can no longer
    // be vouched for. Once the session has ended (or an end is known), unsequenced data has
    // no place in it: dropped and counted like any data past the end.
    void on_unsequenced(line_counters& lc, const uint8_t* payload, uint32_t length,
                        uint16_t count) {
        const uint16_t messages = count == mold_end_of_session_count ? 0 : count;
        if (messages != 0 && (ended_ || end_pending_)) [[unlikely]] {
            ++lc.after_end_of_session;
            invalidate(invalid_end_of_session_conflict);
            return;
        }
        ++lc.datagrams;
        ++counters_.unsequenced_packets;
        if (count == mold_end_of_session_count) {
            ++counters_.end_of_session_packets;
            note_end_of_session(end_pending_ ? end_sequence_ : next_);  // it names no number
            if (!ended_) {
                ended_ = true;
                decoder_.handler().on_end_of_session(next_);
            }
        } else if (messages == 0) {
            ++counters_.heartbeats;
        }
        const block_walk walk = decoder_.decode(payload, length, 0, 0, messages);
        check_applied();
        counters_.messages += walk.readable;
        delivered_in_session_ += walk.readable;
        if (walk.readable != 0) invalidate(invalid_unsequenced);
        count_outcome(payload, length, walk, messages);
    }

    // ---- implausible jumps ----

    uint64_t frontier() const { return highest_ > next_ ? highest_ : next_; }

    // The datagram starts more than max_sequence_jump past everything known. It is followed
    // only when a different datagram (another line, or a later one) lands near it; until then
    // it waits in the jump buffer. Returns true when the jump is confirmed: the held datagram
    // has been processed and the caller goes on with this one.
    bool confirm_jump(uint32_t line, const uint8_t* payload, uint32_t length, uint64_t sequence,
                      uint16_t messages, uint64_t now_ns) {
        const uint64_t jump = settings_.max_sequence_jump;
        const bool same_datagram = jump_line_ == line && jump_sequence_ == sequence;
        // Within `jump` of the held datagram, the bounds clamped to the number space.
        const uint64_t low = jump_sequence_ > jump ? jump_sequence_ - jump : 0;
        const uint64_t top = std::numeric_limits<uint64_t>::max();
        const uint64_t high = jump_end_ > top - jump ? top : jump_end_ + jump;
        if (jump_valid_ && !same_datagram && sequence >= low && sequence <= high) {
            ++counters_.jumps_confirmed;
            jump_valid_ = false;
            if (jump_length_ != 0)
                on_sequenced(jump_line_, jump_buffer_, jump_length_, jump_sequence_, jump_count_,
                             now_ns);
            return true;
        }
        ++lines_[line].implausible_jumps;
        jump_valid_ = true;
        jump_line_ = line;
        jump_sequence_ = sequence;
        jump_end_ = sequence + messages;
        jump_count_ = mold_header{payload}.count();
        jump_length_ =
            length <= jump_buffer_bytes ? length : 0;  // too long to keep: confirmed, it is a loss
        if (jump_length_ != 0) {
            decoder_.handler().on_message_memory_reused();  // an earlier jump's messages
            std::memcpy(jump_buffer_, payload, length);
        }
        return false;
    }

    // ---- looping benchmark replays ----

    // A line that starts again at the session's first number has begun a new pass; the stream
    // restarts with the first line to do so, and the other lines' datagrams of the old pass are
    // dropped until they wrap too.
    bool follow_loop(uint32_t line, uint64_t sequence) {
        if (sequence == first_sequence_ && line_next_[line] > first_sequence_) {
            line_next_[line] = first_sequence_;
            if (++line_pass_[line] > pass_) {
                pass_ = line_pass_[line];
                restart_pass();
            }
        }
        if (line_pass_[line] < pass_) {
            ++lines_[line].stale_loop;
            return false;
        }
        return true;
    }

    void restart_pass() {
        ++counters_.loop_restarts;
        rewind_to(first_sequence_);
        if (state_ == stream_state::gap_fill) state_ = stream_state::synchronized;
    }

    // Expects `next` again with nothing held, nothing asked and no end seen.
    void rewind_to(uint64_t next) {
        clear_hold();
        copies_.clear();
        next_ = next;
        highest_ = next;
        ended_ = false;
        end_pending_ = false;
        gap_open_ = false;
        requested_ = false;
        request_count_ = 0;
        jump_valid_ = false;
    }

    // ---- the recovery line ----

    void on_answer(const uint8_t* payload, uint32_t length, uint64_t sequence, uint16_t messages,
                   uint64_t now_ns) {
        line_counters& lc = lines_[recovery_line];
        const uint64_t end = sequence + messages;
        if (past_end_of_session(recovery_line, end)) [[unlikely]]
            return;
        if (messages == 0) {  // a server answers with data only
            ++lc.unrequested;
            return;
        }
        if (end <= next_) {  // a late answer for numbers already delivered: not compared
            ++lc.duplicates;
            return;
        }
        if (!overlaps_request(sequence, end)) {
            ++lc.unrequested;
            return;
        }
        ++lc.datagrams;
        if (hold_datagram(lc, payload, length, sequence, messages, true, now_ns) != 0)
            ++lc.first_arrivals;
        else
            ++lc.duplicates;
        release(now_ns);
    }

    bool overlaps_request(uint64_t first, uint64_t end) const {
        for (uint32_t i = 0; i < request_count_; ++i) {
            const recovery_request& r = requests_[i];
            if (first < r.first + r.count && end > r.first) return true;
        }
        return false;
    }

    bool requested(uint64_t n) const {
        for (uint32_t i = 0; i < request_count_; ++i)
            if (requests_[i].contains(n)) return true;
        return false;
    }

    uint32_t collect_requests(recovery_request* out, uint32_t max) {
        uint32_t n_requests = 0;
        uint64_t n = next_;
        while (n < highest_ && n_requests < max) {
            if (is_held(n)) {
                ++n;
                continue;
            }
            recovery_request r{n, 0};
            while (n < highest_ && r.count < settings_.max_messages_per_request && !is_held(n)) {
                ++r.count;
                ++n;
            }
            out[n_requests] = r;
            requests_[n_requests] = r;
            ++n_requests;
        }
        request_count_ = n_requests;
        counters_.requests += n_requests;
        return n_requests;
    }

    // ---- the hold window ----

    uint8_t* slot(uint64_t sequence) const { return hold_ + (sequence & mask_) * hold_slot_bytes; }
    static uint16_t slot_length(const uint8_t* s) {
        return static_cast<uint16_t>(s[0] | (s[1] << 8));
    }
    // Length 0 marks a free slot, so a stored message's length is kept plus one.
    static bool slot_used(const uint8_t* s) { return slot_length(s) != 0; }
    bool is_held(uint64_t n) const {
        return n - next_ < settings_.hold_capacity && slot_used(slot(n));
    }

    void clear_slot(uint64_t n) {
        uint8_t* s = slot(n);
        s[0] = 0;
        s[1] = 0;
    }

    void clear_hold() {
        for (uint64_t n = next_; held_ != 0 && n < highest_ && n - next_ < settings_.hold_capacity;
             ++n) {
            if (slot_used(slot(n))) --held_;
            clear_slot(n);
        }
        HT_ASSERT(held_ == 0);
        held_ = 0;
    }

    // Copies the datagram's messages at or beyond next_ into their slots (answers: only those
    // inside an outstanding request). Returns how many were new.
    uint32_t hold_datagram(line_counters& lc, const uint8_t* payload, uint32_t length,
                           uint64_t sequence, uint16_t messages, bool answer, uint64_t now_ns) {
        const uint8_t* block = payload + mold_header_length;
        const uint8_t* const stop = payload + length;
        uint32_t added = 0;
        uint32_t i = 0;
        for (; i < messages; ++i) {
            if (stop - block < static_cast<ptrdiff_t>(mold_length_prefix)) break;
            const uint16_t size = base::load_be16(block);
            const uint8_t* message = block + mold_length_prefix;
            if (stop - message < static_cast<ptrdiff_t>(size)) break;  // the rest never arrived
            block = message + size;
            const uint64_t n = sequence + i;
            if (n < next_) {
                ++counters_.duplicate_messages;
                if (copies_.enabled() && (!answer || requested(n)))
                    note_copy(copies_.compare(n, message, size));
                continue;
            }
            if (answer && !requested(n)) {
                ++lc.beyond_request;
                continue;
            }
            if (n - next_ >= settings_.hold_capacity && !make_room(n, now_ns)) continue;
            uint8_t* s = slot(n);
            if (slot_used(s)) {
                ++counters_.duplicate_messages;
                if (copies_.enabled()) note_copy(held_copy(s, message, size));
                continue;
            }
            if (size > hold_message_bytes_max) {
                ++counters_.oversize;
                continue;
            }
            const uint16_t stored = static_cast<uint16_t>(size + 1);
            // The slot may hold a message released a moment ago (make_room, or the release of
            // an earlier datagram) that the handler still points to.
            decoder_.handler().on_message_memory_reused();
            s[0] = static_cast<uint8_t>(stored);
            s[1] = static_cast<uint8_t>(stored >> 8);
            std::memcpy(s + 2, message, size);
            ++held_;
            ++added;
            ++counters_.held_messages;
            note_highest(n + 1);
        }
        count_outcome(payload, length, block_walk{i, block}, messages);
        note_highest(sequence + messages);  // numbers claimed but not carried are a hole
        return added;
    }

    // Message `n` lies past the hold window: the defined result of a full window is to give
    // the oldest holes up until `n` fits.
    bool make_room(uint64_t n, uint64_t now_ns) {
        ++counters_.hold_full;
        if (settings_.recovery && state_ != stream_state::given_up)
            mark_given_up(invalid_hold_full);
        while (held_ != 0 && n - next_ >= settings_.hold_capacity)
            skip_hole(invalid_hold_full, now_ns);
        if (n - next_ >= settings_.hold_capacity)
            skip_to(n - settings_.hold_capacity + 1, invalid_hold_full);
        return n - next_ < settings_.hold_capacity;
    }

    // Releases the held messages that now continue the stream, in order.
    void release(uint64_t now_ns) {
        while (held_ != 0) {
            uint8_t* s = slot(next_);
            if (!slot_used(s)) break;
            const uint16_t size = static_cast<uint16_t>(slot_length(s) - 1);
            decoder_.decode_message(s + 2, size, next_);
            check_applied();
            if (copies_.enabled()) copies_.remember(next_, s + 2, size);
            clear_slot(next_);
            --held_;
            ++next_;
            ++counters_.messages;
            ++counters_.released_messages;
            ++delivered_in_session_;
        }
        after_progress(now_ns);
    }

    void after_progress(uint64_t now_ns) {
        if (in_gap()) {
            if (!gap_open_) {
                gap_open_ = true;
                ++counters_.gaps_opened;
                if (state_ == stream_state::synchronized) state_ = stream_state::gap_fill;
                gap_next_ = ~uint64_t{0};
            }
            if (next_ != gap_next_) {  // a new hole, or progress on this one: its clock restarts
                gap_next_ = next_;
                gap_since_ns_ = now_ns;
                requested_ = false;
            }
            return;
        }
        if (gap_open_) {
            gap_open_ = false;
            request_count_ = 0;  // nothing is missing: no answer is wanted any more
            if (state_ == stream_state::gap_fill) state_ = stream_state::synchronized;
        }
        if (end_pending_ && end_sequence_ <= next_ && !ended_) {
            ended_ = true;
            decoder_.handler().on_end_of_session(next_);
        }
    }

    // ---- comparing copies (copy_check.hpp) ----
    //
    // Every copy of a delivered or held message that a data line brings is compared with the
    // one the books applied (or will apply); so is an answer inside an outstanding request.
    // Late answers outside every request are not: anyone who can send from the server's
    // address could otherwise declare good books invalid, and the data lines' own copies
    // already show a forged first arrival.

    // The datagram's first `messages` blocks, as far as they can be read, are copies of
    // messages already delivered: each is compared with the one the books applied. Returns
    // how far the walk got (walk_blocks).
    block_walk compare_copies(const uint8_t* payload, uint32_t length, uint64_t sequence,
                              uint16_t messages) {
        const uint8_t* block = payload + mold_header_length;
        const uint8_t* const stop = payload + length;
        uint32_t i = 0;
        for (; i < messages; ++i) {
            if (stop - block < static_cast<ptrdiff_t>(mold_length_prefix)) break;
            const uint16_t size = base::load_be16(block);
            const uint8_t* message = block + mold_length_prefix;
            if (stop - message < static_cast<ptrdiff_t>(size)) break;
            note_copy(copies_.compare(sequence + i, message, size));
            block = message + size;
        }
        return block_walk{i, block};
    }

    // A copy of a message still in the hold window, against the held bytes.
    static copy_ring::verdict held_copy(const uint8_t* s, const uint8_t* message, uint16_t size) {
        const bool same = slot_length(s) == size + 1 && std::memcmp(s + 2, message, size) == 0;
        return same ? copy_ring::verdict::same : copy_ring::verdict::different;
    }

    // Two copies of one number that differ: one of them is false and nothing tells which, so
    // the books (which applied the first) are no longer vouched for.
    [[gnu::always_inline]] void note_copy(copy_ring::verdict v) {
        if (v == copy_ring::verdict::same) [[likely]]
            ++counters_.verified_messages;
        else if (v == copy_ring::verdict::forgotten)
            ++counters_.unverified_messages;
        else
            note_mismatch();
    }

    [[gnu::cold, gnu::noinline]] void note_mismatch() {
        ++counters_.mismatched_messages;
        invalidate(invalid_copy_mismatch);
    }

    // ---- giving numbers up ----

    void mark_given_up(uint32_t reason) {
        state_ = stream_state::given_up;
        invalidate(reason);
    }

    void give_up(uint32_t reason, uint64_t now_ns) {
        mark_given_up(reason);
        while (in_gap()) skip_hole(reason, now_ns);
    }

    // Gives up the numbers from next_ to the first held message (or to the highest known one).
    void skip_hole(uint32_t reason, uint64_t now_ns) {
        uint64_t to = held_ == 0 ? highest_ : next_;
        while (to < highest_ && !slot_used(slot(to)))
            ++to;  // bounded: a held message lies in the window
        skip_to(to, reason);
        release(now_ns);
    }

    void skip_to(uint64_t to, uint32_t reason) {
        if (to <= next_) return;
        ++counters_.gaps;
        counters_.missing_messages += to - next_;
        decoder_.handler().on_gap(next_, to - next_);
        invalidate(reason | invalid_gap_skipped);
        next_ = to;
        note_highest(to);
    }

    // A message that changes the books and could not be decoded leaves books that may differ
    // from the exchange's (message_decoder.hpp, books_missed). Checked once per datagram: the
    // datagram's other messages are decoded before the books hear of it.
    void check_applied() {
        if (decoder_.unapplied() != 0) [[unlikely]]
            invalidate(invalid_unapplied_message);
    }

    void invalidate(uint32_t reasons) {
        if ((invalid_ & reasons) == reasons) return;
        invalid_ |= reasons;
        decoder_.handler().on_books_invalid(invalid_);
    }

    void note_highest(uint64_t end) {
        if (settings_.hold_capacity != 0 && end > highest_) highest_ = end;
    }

    // The datagram's outcome, from how far its blocks could be read.
    void count_outcome(const uint8_t* payload, uint32_t length, const block_walk& walk,
                       uint16_t messages) {
        if (walk.readable < messages)
            frame_counters_.count(feed_event::malformed_mold_count_overrun);
        else if (walk.end != payload + length)
            frame_counters_.count(feed_event::malformed_mold_trailing_bytes);
        else
            frame_counters_.count(feed_event::datagram_accepted);
    }

    static block_walk walk_blocks(const uint8_t* payload, uint32_t length, uint16_t messages) {
        const uint8_t* block = payload + mold_header_length;
        const uint8_t* const stop = payload + length;
        uint32_t i = 0;
        for (; i < messages; ++i) {
            if (stop - block < static_cast<ptrdiff_t>(mold_length_prefix)) break;
            const uint8_t* message = block + mold_length_prefix;
            if (stop - message < static_cast<ptrdiff_t>(base::load_be16(block))) break;
            block = message + base::load_be16(block);
        }
        return block_walk{i, block};
    }

    message_decoder<Handler> decoder_;
    feed_counters& frame_counters_;
    stream_settings settings_;
    uint8_t* hold_;
    uint64_t mask_;
    copy_ring copies_;

    stream_state state_ = stream_state::no_session;
    uint32_t invalid_ = 0;
    mold_session session_{};
    bool has_session_ = false;
    bool heard_ns_valid_ = false;
    uint64_t first_heard_ns_ = 0;  // the first datagram of any line, before a session
    bool ended_ = false;
    bool end_pending_ = false;
    uint64_t end_sequence_ = 0;
    uint64_t next_ = first_sequence_number;     // the next number to deliver
    uint64_t highest_ = first_sequence_number;  // one past the highest number known (hold window)
    uint64_t first_sequence_ = 0;               // of the session's first sequenced datagram
    uint64_t delivered_in_session_ = 0;
    uint32_t held_ = 0;

    // The hole being filled.
    bool gap_open_ = false;
    bool requested_ = false;
    uint64_t gap_next_ = 0;
    uint64_t gap_since_ns_ = 0;
    uint64_t last_request_ns_ = 0;
    recovery_request requests_[max_outstanding_requests] = {};
    uint32_t request_count_ = 0;

    // Per line.
    uint64_t line_next_[max_feed_lines] = {1, 1, 1};
    uint64_t line_pass_[max_feed_lines] = {};
    uint64_t pass_ = 0;
    mold_session candidates_[max_feed_lines] = {};
    uint32_t candidate_runs_[max_feed_lines] = {};
    line_counters lines_[max_feed_lines] = {};
    stream_counters counters_{};

    // The datagram held back as an implausible jump.
    bool jump_valid_ = false;
    uint32_t jump_line_ = 0;
    uint64_t jump_sequence_ = 0;
    uint64_t jump_end_ = 0;
    uint16_t jump_count_ = 0;
    uint32_t jump_length_ = 0;
    uint8_t jump_buffer_[jump_buffer_bytes];
};

}  // namespace hypertick::feed
