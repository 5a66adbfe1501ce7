// libFuzzer target for the feed stream (feed_stream.hpp): the input is a small configuration
// and then a sequence of events (a datagram on a line, or time passing), decoded from bytes.
// Built by clang++ directly (see CMakeLists.txt); header-only feed code.
//
// An invariant checker traps when:
//   - a message leaves out of order or twice within a session (numbers strictly increase);
//   - a message leaves that no line carried (its number and bytes were never sent in the
//     stream's session);
//   - the stream says the books are valid although a number was skipped, unsequenced data was
//     applied, or more than one session delivered data;
//   - the hold window holds more than its capacity, or next_expected moves backwards;
//   - two copies of a message are called different (copy_mismatch) although every line carried
//     the same bytes for every number of the session.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hypertick/feed/feed_stream.hpp"

namespace {

using namespace hypertick::feed;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

// Reads the fuzzer's bytes; past the end every read is 0.
struct fuzz_input {
    const uint8_t* data;
    size_t size;
    size_t at = 0;
    uint8_t byte() { return at < size ? data[at++] : 0; }
    uint16_t u16() { return static_cast<uint16_t>(byte() | (byte() << 8)); }
    bool more() const { return at < size; }
};

// A message is 'z', its number (8 bytes LE) and a tag: the tag tells forged copies apart.
std::vector<uint8_t> message(uint64_t n, uint8_t tag) {
    std::vector<uint8_t> m{'z'};
    for (int i = 0; i < 8; ++i) m.push_back(static_cast<uint8_t>(n >> (8 * i)));
    m.push_back(tag);
    return m;
}

struct fuzz_checker : feed_handler_base {
    // Every (session, number) -> the message bytes some line carried for it.
    std::map<std::pair<std::string, uint64_t>, std::set<std::vector<uint8_t>>> carried;
    std::string session;
    uint64_t last = 0;       // last number delivered in this session
    uint64_t next = 1;       // the number that must come next: after the last delivered or skipped
    uint64_t delivered = 0;  // in this session
    uint32_t sessions_with_data = 0;
    bool copies_differ = false;  // some number was carried with two different contents
    bool skipped = false;        // a number of a session was never delivered
    bool unsequenced = false;

    void on_unknown_message(const uint8_t* m, uint16_t length, uint64_t sequence) {
        if (sequence == 0) {
            unsequenced = true;
            return;
        }
        check(sequence > last);   // strictly increasing, so never twice
        check(sequence == next);  // every skip is reported as a gap first
        last = sequence;
        next = sequence + 1;
        if (delivered++ == 0) ++sessions_with_data;
        const auto it = carried.find({session, sequence});
        check(it != carried.end() && it->second.count(std::vector<uint8_t>(m, m + length)) == 1);
    }
    void on_session_start(const mold_session& s) {
        session.assign(s.name.data(), s.name.size());
        last = 0;
        next = 1;
        delivered = 0;
    }
    void on_gap(uint64_t first, uint64_t count) {
        check(count != 0 && first == next);
        next = first + count;
        skipped = true;
    }
};

std::vector<uint8_t> build(const std::string& session, uint64_t sequence, uint16_t count,
                           uint8_t tag, uint16_t messages, fuzz_checker& checker) {
    std::vector<uint8_t> p(session.begin(), session.end());
    for (int i = 0; i < 8; ++i) p.push_back(static_cast<uint8_t>(sequence >> (56 - 8 * i)));
    p.push_back(static_cast<uint8_t>(count >> 8));
    p.push_back(static_cast<uint8_t>(count));
    for (uint16_t i = 0; i < messages; ++i) {
        const std::vector<uint8_t> m = message(sequence + i, tag);
        p.push_back(0);
        p.push_back(static_cast<uint8_t>(m.size()));
        p.insert(p.end(), m.begin(), m.end());
        if (sequence != 0) {
            auto& copies = checker.carried[{session, sequence + i}];
            copies.insert(m);
            checker.copies_differ |= copies.size() > 1;
        }
    }
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 4096) return 0;
    fuzz_input in{data, size};
    const uint8_t config = in.byte();
    stream_settings s;
    s.data_lines = (config & 1) ? 2 : 1;
    s.recovery = (config & 2) != 0;
    s.hold_capacity = (s.data_lines == 2 || s.recovery) ? ((config & 4) ? 16 : 64) : 0;
    s.accept_unsequenced = (config & 8) != 0 && !s.recovery && s.data_lines == 1;
    s.max_sequence_jump = (config & 16) ? 20 : 500;
    s.line_wait_ns = 3;
    s.retry_ns = 5;
    s.timeout_ns = 40;
    s.max_outstanding = 1 + (config >> 5) % 4;
    s.max_messages_per_request = 4;
    s.verify_window = (config & 128) ? 16 : 0;
    s.copy_hash_key = copy_key{{1, 2, 3, 4, 5, 6}};  // any fixed key: runs are reproducible
    std::vector<uint8_t> hold(stream_memory_bytes(s));
    fuzz_checker checker;
    feed_counters counters;
    feed_stream<fuzz_checker> stream(checker, counters, s, hold.empty() ? nullptr : hold.data());
    const std::string sessions[3] = {"SESSIONA  ", "SESSIONB  ",
                                     std::string("\0\0\0\0\0\0\0\0\0\0", 10)};
    uint64_t now = 0;
    uint64_t base = 1;
    uint64_t next_seen = 0;
    recovery_request requests[max_outstanding_requests];
    while (in.more()) {
        const uint8_t op = in.byte();
        if ((op & 7) == 0) {  // time passes; the timer runs
            now += 1 + (op >> 3);
            (void)stream.on_timer(now, requests, max_outstanding_requests);
        } else {
            const uint32_t pick = (op >> 3) % (s.data_lines + (s.recovery ? 1 : 0));
            const uint32_t line = pick == s.data_lines ? recovery_line : pick;
            static constexpr int session_pick[4] = {0, 0, 2, 1};  // mostly the first session
            const std::string& session = sessions[session_pick[(op >> 5) % 4]];
            const uint8_t kind = in.byte();
            uint64_t sequence = base + (in.byte() % 24);
            if (kind % 16 == 0)
                sequence = 0;
            else if (kind % 16 == 1)
                sequence = base + 1000 + in.u16();  // far ahead
            else if (kind % 16 == 2 && base > 8)
                sequence = base - 8;
            uint16_t messages = static_cast<uint16_t>(in.byte() % 6);
            uint16_t count = messages;
            if (kind % 16 == 3) count = mold_end_of_session_count, messages = 0;
            const uint8_t tag = (kind & 0x80) ? 0xEE : 0;  // forged copies carry another tag
            std::vector<uint8_t> payload = build(session, sequence, count, tag, messages, checker);
            if (kind % 16 == 4 && payload.size() > 21)
                payload.resize(payload.size() - 1 - in.byte() % 8);  // cut
            stream.on_datagram(line, payload.data(), static_cast<uint32_t>(payload.size()), now);
            if (sequence != 0 && sequence + messages > base && (kind & 0x40) == 0)
                base = sequence + messages;
        }
        // Invariants after every event.
        check(stream.held() <= s.hold_capacity);
        check(stream.next_expected() >= checker.last + 1 || checker.unsequenced);
        if (stream.counters().sessions == 1) {
            check(stream.next_expected() >= next_seen);
            next_seen = stream.next_expected();
        } else {
            next_seen = 0;
        }
        if (stream.counters().mismatched_messages != 0) check(checker.copies_differ);
        if (stream.books_valid()) {
            check(!checker.skipped && !checker.unsequenced && checker.sessions_with_data <= 1);
        }
    }
    return 0;
}
