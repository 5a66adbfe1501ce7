// The feed stream (feed_stream.hpp), driven by hand: every message reaches the handler at most
// once, in sequence order, only if some accepted line carried it, and the books are declared
// invalid whenever a number was given up. Single-line rules, A/B arbitration, recovery, and
// everything a hostile or broken line can send.
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "hypertick/feed/feed_stream.hpp"
#include "test_support.hpp"

namespace {

using namespace feed_test;

constexpr uint32_t line_r = recovery_line;
constexpr uint64_t ms = 1'000'000;

// An unknown-type message ('z') carrying its own number, so content and order are both checked.
std::vector<uint8_t> message(uint64_t n, uint8_t tag = 0) {
    std::vector<uint8_t> m{'z'};
    for (int i = 0; i < 8; ++i) m.push_back(static_cast<uint8_t>(n >> (8 * i)));
    m.push_back(tag);
    return m;
}

std::vector<uint8_t> datagram(uint64_t first, uint16_t count, const std::string& session = "S1",
                              uint8_t tag = 0) {
    std::vector<std::vector<uint8_t>> messages;
    for (uint64_t n = first; n < first + count; ++n) messages.push_back(message(n, tag));
    return mold_payload(session, first, messages);
}

std::vector<uint8_t> control(uint64_t sequence, uint16_t count, const std::string& session = "S1") {
    mold_payload_builder b;
    b.start(mold_session::from_text(session), sequence);
    b.finish_with_count(count);
    return b.bytes();
}

struct books_invalid_recorder : recording_handler {
    std::vector<uint32_t> invalid_reports;
    void on_books_invalid(uint32_t reasons) { invalid_reports.push_back(reasons); }
};

struct stream_fixture {
    explicit stream_fixture(stream_settings s)
        : hold(stream_memory_bytes(s)),
          stream(handler, frame_counters, s, hold.empty() ? nullptr : hold.data()) {}

    void send(uint32_t line, const std::vector<uint8_t>& payload, uint64_t now = 0) {
        const exact_buffer b(payload);
        stream.on_datagram(line, b.data.get(), b.size, now);
    }
    void send_range(uint32_t line, uint64_t first, uint64_t last, uint16_t per, uint64_t now = 0) {
        for (uint64_t n = first; n <= last; n += per)
            send(line, datagram(n, static_cast<uint16_t>(std::min<uint64_t>(per, last - n + 1))),
                 now);
    }
    // The handler saw exactly first..last, in order, each once, with the lines' bytes.
    void expect_exactly(uint64_t last, uint64_t first = 1) const {
        ASSERT_EQ(handler.delivered.size(), last - first + 1);
        for (uint64_t i = 0; i <= last - first; ++i) {
            ASSERT_EQ(handler.delivered[i].sequence, first + i);
            ASSERT_EQ(handler.delivered[i].bytes, message(first + i));
        }
    }

    std::vector<uint8_t> hold;
    books_invalid_recorder handler;
    feed_counters frame_counters;
    feed_stream<books_invalid_recorder> stream;
};

stream_settings two_lines() {
    stream_settings s;
    s.data_lines = 2;
    s.hold_capacity = 1024;
    s.accept_unsequenced = false;
    s.copy_hash_key = fixed_copy_key;
    return s;
}

stream_settings with_recovery() {
    stream_settings s = two_lines();
    s.recovery = true;
    s.line_wait_ns = 2 * ms;
    s.retry_ns = 10 * ms;
    s.timeout_ns = 100 * ms;
    s.max_outstanding = 2;
    s.max_messages_per_request = 5;
    return s;
}

// ---- one line, no hold window ----

// A message of a type that changes the books (A F E C X D U, and R which lists symbols) that
// is too short for its type cannot be applied: the books may differ from the exchange's from
// then on. Other types, too short or unknown, change nothing. (An add without a valid side:
// FeedReceiverLines.AddWithAnUnknownSideIsCountedAndNeverBooked.)
TEST(FeedStreamSingleLine, AMessageTheBooksCannotApplyMarksThemInvalid) {
    const std::vector<uint8_t> short_system_event{'S', 0, 0};
    const std::vector<uint8_t> short_trade{'P', 0, 0, 0};
    const struct {
        const char* what;
        std::vector<uint8_t> message;
        bool applied;
    } cases[] = {
        {"short S", short_system_event, true},
        {"short P", short_trade, true},
        {"unknown type", message(1), true},
        {"short A", {'A', 0, 1, 0, 0}, false},
        {"short D", {'D', 0, 1}, false},
        {"short U", std::vector<uint8_t>(34, 'U'), false},
        {"short R", std::vector<uint8_t>(38, 'R'), false},
        {"empty", {}, false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        for (const uint32_t hold : {0u, 1024u}) {  // in place, and released from the hold
            stream_settings s = two_lines();
            s.data_lines = 1;
            s.hold_capacity = hold;
            stream_fixture f(s);
            f.send(line_a, datagram(1, 1));
            if (hold != 0) f.send(line_a, mold_payload("S1", 3, {message(3)}));  // held
            f.send(line_a, mold_payload("S1", 2, {c.message}));
            EXPECT_EQ(f.stream.next_expected(), hold != 0 ? 4u : 3u);
            EXPECT_EQ(f.stream.invalid_reasons(),
                      c.applied ? 0u : uint32_t{invalid_unapplied_message});
        }
    }
}

TEST(FeedStreamSingleLine, InOrderDeliveryAndDuplicates) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(1, 5));
    f.send(line_a, datagram(1, 5));  // the same datagram again
    f.send(line_a, datagram(4, 4));  // overlaps: 4 and 5 seen, 6 and 7 new
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(7));
    const stream_counters& c = f.stream.counters();
    EXPECT_EQ(c.packets, 3u);
    EXPECT_EQ(c.messages, 7u);
    EXPECT_EQ(c.duplicate_messages, 7u);
    EXPECT_EQ(c.duplicate_packets, 1u);
    EXPECT_EQ(c.sessions, 1u);
    EXPECT_EQ(f.stream.next_expected(), 8u);
    EXPECT_EQ(f.stream.state(), stream_state::synchronized);
    EXPECT_TRUE(f.stream.books_valid());
    EXPECT_EQ(f.frame_counters[feed_event::datagram_accepted], 3u);
}

TEST(FeedStreamSingleLine, GapIsSkippedAtOnceAndTheBooksAreInvalid) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(1, 2));
    f.send(line_a, datagram(10, 3));
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{3}, uint64_t{7}));
    EXPECT_EQ(f.stream.next_expected(), 13u);
    f.send(line_a, datagram(3, 7));  // late: its numbers were given up
    EXPECT_EQ(f.handler.delivered.size(), 5u);
    EXPECT_EQ(f.stream.counters().gaps, 1u);
    EXPECT_EQ(f.stream.counters().missing_messages, 7u);
    EXPECT_FALSE(f.stream.books_valid());
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_gap_skipped});
    ASSERT_EQ(f.handler.invalid_reports.size(), 1u);  // reported once, when it happened
}

TEST(FeedStreamSingleLine, HeartbeatRevealsAGapAndEndOfSessionIsDeliveredOnce) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(1, 2));
    f.send(line_a, control(5, 0));
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{3}, uint64_t{2}));
    f.send(line_a, control(5, 0));  // a stale heartbeat changes nothing
    EXPECT_EQ(f.handler.gaps.size(), 1u);
    for (int i = 0; i < 3; ++i) f.send(line_a, control(5, mold_end_of_session_count));
    EXPECT_TRUE(f.stream.end_of_session());
    EXPECT_EQ(f.handler.ends_of_session, 1u);
    EXPECT_EQ(f.stream.counters().end_of_session_packets, 3u);
    EXPECT_EQ(f.stream.counters().heartbeats, 2u);
}

TEST(FeedStreamSingleLine, CutDatagramDeliversWhatItHoldsAndTheRestIsMissing) {
    stream_fixture f(stream_settings{});
    std::vector<uint8_t> cut = datagram(1, 10);
    cut.resize(mold_header_length + 4 * (2 + 10) + 3);  // 4 whole messages and part of a 5th
    f.send(line_a, cut);
    EXPECT_EQ(f.stream.counters().messages, 4u);
    EXPECT_EQ(f.frame_counters[feed_event::malformed_mold_count_overrun], 1u);
    ASSERT_EQ(f.handler.gaps.size(), 1u);  // the count claimed 1..10: 5..10 are lost
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{5}, uint64_t{6}));
    EXPECT_EQ(f.stream.next_expected(), 11u);
    f.send(line_a, datagram(11, 1));
    EXPECT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_FALSE(f.stream.books_valid());
}

TEST(FeedStreamSingleLine, CountClaimingMoreThanTheDatagramHoldsIsAGapAtOnce) {
    stream_fixture f(stream_settings{});
    std::vector<uint8_t> claims_more = datagram(1, 2);
    hypertick::base::store_be16(claims_more.data() + 18, 0xfffe);  // carries 2, claims 65,534
    f.send(line_a, claims_more);
    f.send(line_a, control(3, 0));  // a heartbeat saying the next number is 3
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(2));
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{3}, uint64_t{0xfffe - 2}));
    EXPECT_EQ(f.stream.counters().missing_messages, uint64_t{0xfffe - 2});
    EXPECT_EQ(f.stream.next_expected(), uint64_t{1 + 0xfffe});
    EXPECT_EQ(f.frame_counters[feed_event::malformed_mold_count_overrun], 1u);
    EXPECT_FALSE(f.stream.books_valid());
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_gap_skipped});
    f.send(line_a, datagram(3, 2));  // a datagram pretending the claim was never made
    EXPECT_EQ(f.handler.delivered.size(), 2u);
    EXPECT_FALSE(f.stream.books_valid());
}

TEST(FeedStreamSingleLine, NothingOfASessionIsAppliedAfterItsEnd) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(1, 2));
    f.send(line_a, control(3, mold_end_of_session_count));
    ASSERT_TRUE(f.stream.end_of_session());
    f.send(line_a, datagram(3, 1, "S1", 0xEE));  // forged: at the end's own number
    f.send(line_a, datagram(4, 2, "S1", 0xEE));  // forged: beyond it
    f.send(line_a, control(9, 0));               // a heartbeat past the end
    f.send(line_a, datagram(2, 1));              // an old message: a duplicate, not a drop
    f.send(line_a, control(3, mold_end_of_session_count));  // the end repeated: harmless
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(2));
    EXPECT_EQ(f.stream.line(line_a).after_end_of_session, 3u);
    EXPECT_EQ(f.stream.counters().duplicate_packets, 1u);
    EXPECT_EQ(f.stream.counters().end_of_session_packets, 2u);
    EXPECT_TRUE(f.handler.gaps.empty());
    EXPECT_EQ(f.stream.next_expected(), 3u);
    // The end or the data past it is false: the books cannot be vouched for.
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_end_of_session_conflict});
    EXPECT_EQ(f.handler.ends_of_session, 1u);
}

TEST(FeedStreamSingleLine, TheEndRepeatedAndHeartbeatsAtItKeepTheBooksValid) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(1, 2));
    for (int i = 0; i < 3; ++i) {
        f.send(line_a, control(3, mold_end_of_session_count));
        f.send(line_a, control(3, 0));
    }
    f.send(line_a, datagram(1, 2));  // a late copy: a duplicate
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(2));
    EXPECT_EQ(f.stream.line(line_a).after_end_of_session, 0u);
    EXPECT_TRUE(f.stream.books_valid());
}

// A forged end at the next expected number: the real session goes on, and its data must not
// leave frozen books that still say valid.
TEST(FeedStreamSingleLine, ForgedEndInMidSessionCannotLeaveFrozenBooksValid) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(1, 2));
    f.send(line_a, control(3, mold_end_of_session_count));  // forged
    f.send(line_a, datagram(3, 2));                         // the real session goes on
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(2));
    EXPECT_EQ(f.stream.line(line_a).after_end_of_session, 1u);
    EXPECT_FALSE(f.stream.books_valid());
    EXPECT_NE(f.stream.invalid_reasons() & invalid_end_of_session_conflict, 0u);
}

TEST(FeedStreamSingleLine, EndBelowNumbersAlreadyDeliveredIsAConflict) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(1, 5));
    f.send(line_a, control(3, mold_end_of_session_count));  // 3..5 were delivered
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_end_of_session_conflict});
    f.send(line_a, control(6, mold_end_of_session_count));  // another end: dropped
    EXPECT_EQ(f.stream.line(line_a).after_end_of_session, 1u);
}

TEST(FeedStreamSingleLine, UnsequencedDataAfterTheEndIsDroppedAndCounted) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(1, 2));
    f.send(line_a, control(3, mold_end_of_session_count));
    f.send(line_a, datagram(0, 3, "S1", 0xEE));
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(2));
    EXPECT_EQ(f.stream.counters().unsequenced_packets, 0u);
    EXPECT_EQ(f.stream.line(line_a).after_end_of_session, 1u);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_end_of_session_conflict});
}

TEST(FeedStreamSingleLine, UnsequencedEndClosesTheSessionForSequencedDataToo) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(0, 2));
    f.send(line_a, control(0, mold_end_of_session_count));
    EXPECT_TRUE(f.stream.end_of_session());
    f.send(line_a, datagram(0, 1, "S1", 0xEE));  // unsequenced after the end
    f.send(line_a, datagram(1, 1, "S1", 0xEE));  // numbered after the end
    EXPECT_EQ(f.handler.delivered.size(), 2u);
    EXPECT_EQ(f.stream.line(line_a).after_end_of_session, 2u);
    EXPECT_EQ(f.stream.invalid_reasons(), invalid_unsequenced | invalid_end_of_session_conflict);
}

TEST(FeedStreamSingleLine, UnsequencedDatagramsAreAppliedAndTheBooksCannotBeVouchedFor) {
    stream_fixture f(stream_settings{});
    for (int i = 0; i < 3; ++i) f.send(line_a, datagram(0, 1));
    EXPECT_EQ(f.stream.counters().unsequenced_packets, 3u);
    EXPECT_EQ(f.stream.counters().messages, 3u);
    EXPECT_EQ(f.handler.delivered.size(), 3u);
    EXPECT_EQ(f.handler.delivered[0].sequence, 0u);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_unsequenced});
}

TEST(FeedStreamSingleLine, UnsequencedDatagramsAreDroppedWhenNotAccepted) {
    stream_settings s;
    s.accept_unsequenced = false;
    stream_fixture f(s);
    f.send(line_a, datagram(0, 3));
    EXPECT_TRUE(f.handler.delivered.empty());
    EXPECT_FALSE(f.stream.has_session());
    EXPECT_EQ(f.stream.line(line_a).unsequenced_dropped, 1u);
    EXPECT_TRUE(f.stream.books_valid());
}

TEST(FeedStreamSingleLine, LateJoinIsFollowedOnceASecondDatagramConfirmsIt) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(5'000'000, 3));
    EXPECT_TRUE(f.handler.delivered.empty());  // too far ahead of 1 to follow on its own word
    EXPECT_EQ(f.stream.line(line_a).implausible_jumps, 1u);
    f.send(line_a, datagram(5'000'003, 2));
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(5'000'004, 5'000'000));
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{1}, uint64_t{4'999'999}));
    EXPECT_EQ(f.stream.counters().jumps_confirmed, 1u);
    EXPECT_FALSE(f.stream.books_valid());  // joined late: the earlier orders are not in the books
}

TEST(FeedStreamSingleLine, OneFarFutureDatagramIsNotFollowedAndKillsNothing) {
    stream_fixture f(stream_settings{});
    f.send_range(line_a, 1, 20, 5);
    f.send(line_a, datagram(1'000'000'000, 3, "S1", 0xEE));  // forged
    f.send_range(line_a, 21, 40, 5);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(40));
    EXPECT_EQ(f.stream.line(line_a).implausible_jumps, 1u);
    EXPECT_EQ(f.stream.counters().jumps_confirmed, 0u);
    EXPECT_TRUE(f.handler.gaps.empty());
    EXPECT_TRUE(f.stream.books_valid());
}

TEST(FeedStreamSingleLine, RealOutageIsFollowedAfterTheSecondDatagram) {
    stream_fixture f(stream_settings{});
    f.send_range(line_a, 1, 10, 5);
    f.send(line_a, datagram(200'001, 5));
    f.send(line_a, datagram(200'006, 5));
    ASSERT_EQ(f.handler.delivered.size(), 20u);
    EXPECT_EQ(f.handler.delivered[10].sequence,
              200'001u);  // the held datagram first, then the next
    EXPECT_EQ(f.handler.delivered[19].sequence, 200'010u);
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{11}, uint64_t{199'990}));
    EXPECT_EQ(f.stream.counters().jumps_confirmed, 1u);
}

TEST(FeedStreamSingleLine, ForeignSessionDatagramIsDroppedAndCounted) {
    stream_fixture f(stream_settings{});
    f.send_range(line_a, 1, 10, 5);
    f.send(line_a, datagram(11, 5, "EVIL"));
    f.send_range(line_a, 11, 20, 5);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(20));
    EXPECT_EQ(f.stream.line(line_a).foreign_session, 1u);
    EXPECT_EQ(f.stream.counters().sessions, 1u);
    EXPECT_TRUE(f.stream.books_valid());
}

TEST(FeedStreamSingleLine, NewSessionAfterEndOfSessionIsAdopted) {
    stream_fixture f(stream_settings{});
    f.send(line_a, datagram(1, 5));
    f.send(line_a, control(6, mold_end_of_session_count));
    f.send(line_a, datagram(1, 2, "S2"));
    EXPECT_EQ(f.stream.session(), mold_session::from_text("S2"));
    EXPECT_EQ(f.stream.next_expected(), 3u);
    EXPECT_FALSE(f.stream.end_of_session());
    EXPECT_EQ(f.stream.counters().sessions, 2u);
    EXPECT_EQ(f.handler.sessions_started, 2u);
    // The books still hold the first session's orders.
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_session_changed});
}

TEST(FeedStreamSingleLine, NewSessionWithoutEndIsAdoptedWhenTheLineKeepsSendingIt) {
    stream_fixture f(stream_settings{});
    f.send_range(line_a, 1, 10, 5);
    f.send(line_a, datagram(7, 2, "S2"));  // one datagram: not enough
    EXPECT_EQ(f.stream.session(), mold_session::from_text("S1"));
    f.send(line_a, datagram(9, 2, "S2"));  // the line insists: a restarted session
    EXPECT_EQ(f.stream.session(), mold_session::from_text("S2"));
    EXPECT_EQ(f.stream.line(line_a).foreign_session, 1u);
    EXPECT_NE(f.stream.invalid_reasons() & invalid_session_changed, 0u);
}

// ---- two lines and the hold window ----

TEST(FeedStreamLines, IndependentLossesOnTwoLinesLoseNothing) {
    stream_fixture f(two_lines());
    // 100 datagrams of 3 messages; A loses every 4th, B every 4th but others; B runs two behind.
    std::vector<uint64_t> firsts;
    for (uint64_t d = 0; d < 100; ++d) firsts.push_back(1 + 3 * d);
    for (std::size_t i = 0; i < firsts.size() + 2; ++i) {
        if (i < firsts.size() && i % 4 != 0) f.send(line_a, datagram(firsts[i], 3));
        if (i >= 2 && (i - 2) % 4 != 2) f.send(line_b, datagram(firsts[i - 2], 3));
    }
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(300));
    EXPECT_TRUE(f.handler.gaps.empty());
    EXPECT_EQ(f.stream.state(), stream_state::synchronized);
    EXPECT_TRUE(f.stream.books_valid());
    EXPECT_EQ(f.stream.line(line_a).datagrams, 75u);
    EXPECT_EQ(f.stream.line(line_a).missed_messages, 25u * 3u);
    EXPECT_EQ(f.stream.line(line_b).missed_messages, 25u * 3u);
    EXPECT_EQ(f.stream.line(line_a).first_arrivals + f.stream.line(line_b).first_arrivals, 100u);
    EXPECT_EQ(f.stream.line(line_a).duplicates + f.stream.line(line_b).duplicates, 50u);
}

TEST(FeedStreamLines, FloodOfDuplicatesAndReorderingChangesNothing) {
    stream_fixture f(two_lines());
    std::vector<uint64_t> order;
    for (uint64_t d = 0; d < 64; ++d) order.push_back(1 + 4 * d);
    for (std::size_t i = 0; i + 3 < order.size(); i += 4)
        std::reverse(order.begin() + i, order.begin() + i + 4);
    for (uint64_t first : order)
        for (int copy = 0; copy < 3; ++copy)
            f.send(copy == 1 ? line_b : line_a, datagram(first, 4));
    f.send(line_b, datagram(5, 8));  // straddling copies
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(256));
    EXPECT_TRUE(f.handler.gaps.empty());
    EXPECT_EQ(f.stream.held(), 0u);
    EXPECT_TRUE(f.stream.books_valid());
}

TEST(FeedStreamLines, WithoutRecoveryAHoleBothLinesMissedIsSkippedAfterTheWait) {
    stream_settings s = two_lines();
    s.line_wait_ns = 5 * ms;
    stream_fixture f(s);
    f.send_range(line_a, 1, 10, 5);
    f.send(line_a, datagram(16, 5));  // 11..15 lost on both lines
    f.send(line_b, datagram(16, 5));
    EXPECT_EQ(f.handler.delivered.size(), 10u);  // held, not delivered out of order
    EXPECT_EQ(f.stream.state(), stream_state::gap_fill);
    recovery_request r[4];
    EXPECT_EQ(f.stream.on_timer(4 * ms, r, 4), 0u);
    EXPECT_EQ(f.handler.delivered.size(), 10u);
    EXPECT_EQ(f.stream.on_timer(5 * ms, r, 4), 0u);  // no recovery: no request, the hole is skipped
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{11}, uint64_t{5}));
    EXPECT_EQ(f.handler.delivered.size(), 15u);
    EXPECT_EQ(f.handler.delivered.back().sequence, 20u);
    EXPECT_EQ(f.stream.state(), stream_state::synchronized);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_gap_skipped});
}

TEST(FeedStreamLines, EndOfSessionBeyondAHoleWaitsForIt) {
    stream_fixture f(two_lines());
    f.send(line_a, datagram(1, 3));
    f.send(line_a, control(7, 0));  // heartbeat: 4..6 exist
    f.send(line_a, control(7, mold_end_of_session_count));
    EXPECT_FALSE(f.stream.end_of_session());
    f.send(line_b, datagram(4, 3));
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(6));
    EXPECT_TRUE(f.stream.end_of_session());
    EXPECT_EQ(f.handler.ends_of_session, 1u);
}

TEST(FeedStreamLines, DataBeyondAKnownEndIsDroppedWhileTheHoleBeforeItFills) {
    stream_fixture f(two_lines());
    f.send(line_a, datagram(1, 2));
    f.send(line_a, control(5, mold_end_of_session_count));  // 3 and 4 still missing
    f.send(line_b, datagram(5, 2, "S1", 0xEE));             // beyond the end: dropped
    f.send(line_b, datagram(3, 2));                         // fills the hole
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(4));
    EXPECT_EQ(f.stream.line(line_b).after_end_of_session, 1u);
    EXPECT_TRUE(f.stream.end_of_session());
    EXPECT_FALSE(f.stream.in_gap());
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_end_of_session_conflict});
}

// Messages held beyond a hole, then an end of session numbered before them: they are never
// released, whichever of the two is false.
TEST(FeedStreamLines, HeldMessagesPastALaterEndAreNeverReleased) {
    stream_fixture f(two_lines());
    f.send(line_a, datagram(1, 2));
    f.send(line_b, datagram(5, 3, "S1", 0xEE));             // held: 3 and 4 are missing
    f.send(line_a, control(5, mold_end_of_session_count));  // the end says 5 never exists
    EXPECT_EQ(f.stream.held(), 0u);
    EXPECT_EQ(f.stream.counters().past_end_messages, 3u);
    f.send(line_b, datagram(3, 2));  // fills the hole
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(4));
    EXPECT_TRUE(f.stream.end_of_session());
    EXPECT_FALSE(f.stream.in_gap());
    EXPECT_EQ(f.handler.ends_of_session, 1u);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_end_of_session_conflict});
}

TEST(FeedStreamLines, TheEndOnBothLinesAfterEveryMessageKeepsTheBooksValid) {
    stream_fixture f(two_lines());
    f.send_range(line_a, 1, 10, 5);
    f.send(line_b, datagram(6, 5));
    f.send(line_a, control(11, mold_end_of_session_count));
    f.send_range(line_b, 1, 5, 5);  // B late: duplicates below the end
    f.send(line_b, control(11, mold_end_of_session_count));
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(10));
    EXPECT_TRUE(f.stream.end_of_session());
    EXPECT_TRUE(f.stream.books_valid());
}

TEST(FeedStreamLines, CountClaimingMoreThanTheDatagramHoldsLeavesAHole) {
    stream_fixture f(two_lines());
    std::vector<uint8_t> claims_more = datagram(3, 2);
    hypertick::base::store_be16(claims_more.data() + 18, 0xfffe);  // carries 3 and 4 only
    f.send(line_a, claims_more);
    f.send(line_a, datagram(1, 2));  // releases 1 to 4
    f.send(line_a, control(5, 0));
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(4));
    EXPECT_TRUE(f.stream.in_gap());  // 5 .. 3 + 0xfffe - 1 were claimed and never came
    EXPECT_EQ(f.stream.highest(), uint64_t{3 + 0xfffe});
    f.stream.on_timer(two_lines().line_wait_ns, nullptr, 0);
    EXPECT_EQ(f.stream.counters().missing_messages, uint64_t{0xfffe - 2});
    EXPECT_FALSE(f.stream.books_valid());
}

TEST(FeedStreamLines, BLineOfAnotherSessionNeverResetsTheStream) {
    stream_fixture f(two_lines());
    for (uint64_t n = 1; n <= 200; n += 5) {
        f.send(line_a, datagram(n, 5));
        f.send(line_b, datagram(n, 5, "OTHER", 0xBB));
    }
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(200));
    EXPECT_EQ(f.stream.counters().sessions, 1u);
    EXPECT_EQ(f.stream.line(line_b).foreign_session, 40u);
    EXPECT_TRUE(f.stream.books_valid());
}

TEST(FeedStreamLines, BLineOfAnotherSessionCannotFillAHoleSoTheBooksAreDeclaredInvalid) {
    stream_settings s = two_lines();
    s.line_wait_ns = 5 * ms;
    stream_fixture f(s);
    for (uint64_t n = 1; n <= 100; n += 5) {
        if (n != 51) f.send(line_a, datagram(n, 5), 0);
        f.send(line_b, datagram(n, 5, "OTHER", 0xBB), 0);
    }
    recovery_request r[4];
    (void)f.stream.on_timer(10 * ms, r, 4);
    for (const auto& d : f.handler.delivered)
        EXPECT_EQ(d.bytes, message(d.sequence));  // never B's bytes
    EXPECT_EQ(f.handler.delivered.size(), 95u);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_gap_skipped});
}

TEST(FeedStreamLines, BothLinesMovingToANewSessionAreFollowed) {
    stream_fixture f(two_lines());
    f.send_range(line_a, 1, 10, 5);
    f.send_range(line_b, 1, 10, 5);
    for (uint64_t n = 3; n <= 9; n += 2) {  // the new session's first datagram was lost on both
        f.send(line_a, datagram(n, 2, "S2"));
        f.send(line_b, datagram(n, 2, "S2"));
    }
    EXPECT_EQ(f.stream.session(), mold_session::from_text("S2"));
    EXPECT_EQ(f.stream.counters().sessions, 2u);
    EXPECT_NE(f.stream.invalid_reasons() & invalid_session_changed, 0u);
}

TEST(FeedStreamLines, FarFutureDatagramOnOneLineIsNotFollowed) {
    stream_fixture f(two_lines());
    f.send_range(line_a, 1, 20, 5);
    f.send(line_b, datagram(987'654'321, 2, "S1", 0xEE));
    f.send_range(line_a, 21, 40, 5);
    f.send_range(line_b, 1, 40, 5);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(40));
    EXPECT_EQ(f.stream.state(), stream_state::synchronized);
    EXPECT_EQ(f.stream.held(), 0u);
    EXPECT_EQ(f.stream.line(line_b).implausible_jumps, 1u);
    EXPECT_TRUE(f.stream.books_valid());
}

// Two lines that follow a jump of more than 100 numbers only once it is confirmed.
stream_settings lines_with_short_jumps() {
    stream_settings s = two_lines();
    s.hold_capacity = 16;
    s.max_sequence_jump = 100;
    return s;
}

TEST(FeedStreamLines, JumpConfirmedByTheOtherLineIsFollowed) {
    stream_fixture f(lines_with_short_jumps());
    f.send_range(line_a, 1, 10, 5);
    f.send(line_a, datagram(5'001, 5));  // both lines lost 11..5000
    EXPECT_EQ(f.handler.delivered.size(), 10u);
    f.send(line_b, datagram(5'001, 5));
    EXPECT_EQ(f.stream.counters().jumps_confirmed, 1u);
    EXPECT_EQ(f.handler.delivered.back().sequence, 5'005u);
    EXPECT_FALSE(f.stream.books_valid());
}

// A jump to the top of the number space is confirmed like any other: the window around the
// held datagram is clamped to [0, 2^64 - 1], never wrapped.
TEST(FeedStreamLines, JumpNearTheEndOfTheNumberSpaceIsConfirmed) {
    stream_fixture f(lines_with_short_jumps());
    const uint64_t top = ~uint64_t{0} - 50;
    f.send_range(line_a, 1, 10, 5);
    f.send(line_a, datagram(top, 5));
    EXPECT_EQ(f.handler.delivered.size(), 10u);
    f.send(line_b, datagram(top, 5));
    EXPECT_EQ(f.stream.counters().jumps_confirmed, 1u);
    ASSERT_FALSE(f.handler.delivered.empty());
    EXPECT_EQ(f.handler.delivered.back().sequence, top + 4);
    f.send(line_a, datagram(top + 5, 45));  // up to the last number there is
    EXPECT_EQ(f.handler.delivered.back().sequence, ~uint64_t{0} - 1);
    EXPECT_FALSE(f.stream.books_valid());  // 11..top-1 were given up
}

// A datagram far below a jump held near 2^64 confirms nothing, however the sums would wrap.
TEST(FeedStreamLines, JumpNearTheEndOfTheNumberSpaceIsNotConfirmedByLowNumbers) {
    stream_fixture f(lines_with_short_jumps());
    f.send_range(line_a, 1, 10, 5);
    f.send(line_a, datagram(~uint64_t{0} - 20, 5));
    f.send(line_b, datagram(5'000, 5));  // also implausible, and nowhere near the first
    EXPECT_EQ(f.stream.counters().jumps_confirmed, 0u);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(10));
}

TEST(FeedStreamLines, SequenceZeroIsDroppedOnAnABFeed) {
    stream_fixture f(two_lines());
    f.send_range(line_a, 1, 10, 5);
    f.send(line_b, datagram(0, 3, "S1", 0xEE));
    EXPECT_EQ(f.handler.delivered.size(), 10u);
    EXPECT_EQ(f.stream.line(line_b).unsequenced_dropped, 1u);
    EXPECT_TRUE(f.stream.books_valid());
}

TEST(FeedStreamLines, LoopingReplayRestartsTheWholeStream) {
    stream_settings s = two_lines();
    s.restart_on_loop = true;
    stream_fixture f(s);
    // Three passes over 1..100 on A; B carries the same passes, lagging by three datagrams.
    std::vector<uint64_t> a;
    for (int pass = 0; pass < 3; ++pass)
        for (uint64_t n = 1; n <= 100; n += 10) a.push_back(n);
    for (std::size_t i = 0; i < a.size() + 3; ++i) {
        if (i < a.size()) f.send(line_a, datagram(a[i], 10));
        if (i >= 3) f.send(line_b, datagram(a[i - 3], 10));
    }
    EXPECT_EQ(f.stream.counters().messages, 300u);
    EXPECT_EQ(f.stream.counters().missing_messages, 0u);
    EXPECT_EQ(f.stream.counters().loop_restarts, 2u);
    EXPECT_GT(f.stream.line(line_b).stale_loop, 0u);
    EXPECT_TRUE(f.stream.books_valid());
}

// ---- comparing copies (verify_window, copy_check.hpp) ----

stream_settings verified_lines(uint32_t window = 64) {
    stream_settings s = two_lines();
    s.verify_window = window;
    return s;
}

// A datagram of `count` messages from `first` whose message `forged` carries other bytes.
std::vector<uint8_t> datagram_with_forged(uint64_t first, uint16_t count, uint64_t forged) {
    std::vector<std::vector<uint8_t>> messages;
    for (uint64_t n = first; n < first + count; ++n)
        messages.push_back(message(n, n == forged ? 0xEE : 0));
    return mold_payload("S1", first, messages);
}

// The forged copy arrives first with the right session and numbers and is applied; the real
// one is a duplicate. On one line the two cannot be told apart; the other line's copy differs
// from the applied one, so the books stop saying valid.
TEST(FeedStreamCopies, ForgedFirstArrivalIsCaughtByTheOtherLinesCopy) {
    for (const uint32_t window : {0u, 64u}) {
        SCOPED_TRACE(window);
        stream_fixture f(verified_lines(window));
        f.send_range(line_a, 1, 10, 5);
        f.send_range(line_b, 1, 10, 5);
        f.send(line_b, datagram(11, 3, "S1", 0xEE));  // forged, first
        f.send(line_a, datagram(11, 3));              // the exchange's, a duplicate now
        f.send_range(line_a, 14, 20, 7);
        f.send_range(line_b, 14, 20, 7);
        EXPECT_EQ(f.handler.delivered.size(), 20u);
        if (window == 0) {  // nothing compared: the forgery stands unseen
            EXPECT_TRUE(f.stream.books_valid());
            EXPECT_EQ(f.stream.counters().verified_messages, 0u);
            continue;
        }
        EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_copy_mismatch});
        EXPECT_EQ(f.stream.counters().mismatched_messages, 3u);
        EXPECT_EQ(f.stream.counters().verified_messages, 17u);
        EXPECT_EQ(f.handler.invalid_reports.size(), 1u);
    }
}

TEST(FeedStreamCopies, IdenticalLinesAreVerifiedAndTheBooksStayValid) {
    stream_fixture f(verified_lines());
    for (uint64_t n = 1; n <= 100; n += 4) {
        f.send(line_a, datagram(n, 4));
        f.send(line_b, datagram(n, 4));
    }
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(100));
    EXPECT_TRUE(f.stream.books_valid());
    EXPECT_EQ(f.stream.counters().verified_messages, 100u);
    EXPECT_EQ(f.stream.counters().mismatched_messages, 0u);
    EXPECT_EQ(f.stream.counters().unverified_messages, 0u);
}

// Copies are compared per message, so lines whose datagrams split the messages differently are
// verified too, including the part of a datagram that overlaps numbers already delivered.
TEST(FeedStreamCopies, LinesWithOtherDatagramBoundariesAreComparedPerMessage) {
    stream_fixture f(verified_lines());
    f.send_range(line_a, 1, 30, 3);
    f.send_range(line_b, 1, 30, 2);
    EXPECT_TRUE(f.stream.books_valid());
    EXPECT_EQ(f.stream.counters().verified_messages, 30u);
    f.send(line_a, datagram(31, 2));
    f.send(line_b, datagram_with_forged(30, 4, 32));  // 30..32 are copies, 33 is new
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(33));
    EXPECT_EQ(f.stream.counters().verified_messages, 32u);
    EXPECT_EQ(f.stream.counters().mismatched_messages, 1u);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_copy_mismatch});
}

// A copy of a message still waiting in the hold window is compared with the held bytes.
TEST(FeedStreamCopies, ACopyOfAHeldMessageIsComparedWithIt) {
    stream_fixture f(verified_lines());
    f.send(line_a, datagram(1, 2));
    f.send(line_a, datagram_with_forged(5, 2, 6));  // held: 3 and 4 are missing
    EXPECT_EQ(f.stream.held(), 2u);
    f.send(line_b, datagram(1, 6));  // 1, 2 delivered, 3, 4 new, 5, 6 held
    EXPECT_EQ(f.handler.delivered.size(), 6u);
    EXPECT_EQ(f.stream.counters().verified_messages, 3u);
    EXPECT_EQ(f.stream.counters().mismatched_messages, 1u);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_copy_mismatch});
}

// The ring remembers the newest `verify_window` numbers: an older copy is counted, not trusted
// or blamed. Numbers given up were never delivered: their late copies are unverified as well.
TEST(FeedStreamCopies, CopiesOlderThanTheWindowAreCountedUnverified) {
    stream_fixture f(verified_lines(16));
    f.send_range(line_a, 1, 40, 4);
    f.send_range(line_b, 1, 40, 4);
    EXPECT_TRUE(f.stream.books_valid());
    EXPECT_EQ(f.stream.counters().verified_messages, 16u);
    EXPECT_EQ(f.stream.counters().unverified_messages, 24u);
}

// A new session numbers from 1 again: nothing remembered from the old one is compared with it.
TEST(FeedStreamCopies, ANewSessionForgetsTheOldSessionsMessages) {
    stream_settings s = verified_lines();
    s.restart_on_loop = true;
    stream_fixture f(s);
    f.send_range(line_a, 1, 20, 5);
    f.send(line_a, control(21, mold_end_of_session_count));
    f.send(line_a, datagram(1, 5, "S2", 0x22));  // another session's messages at the same numbers
    f.send(line_b, datagram(3, 2, "S2", 0x22));
    EXPECT_EQ(f.stream.counters().verified_messages, 2u);
    EXPECT_EQ(f.stream.counters().mismatched_messages, 0u);
    EXPECT_EQ(f.stream.invalid_reasons() & invalid_copy_mismatch, 0u);
}

// A forged datagram on B claims numbers 60,000 ahead (inside max_sequence_jump): the hole
// before it cannot fill until the exchange gets there, and once the feed is quiet for
// line_wait it is skipped. A denial of service, never books that are wrong and say valid:
// they are invalid from the skip on, and the real copies of the forged numbers are mismatches.
TEST(FeedStreamCopies, AForgedClaimOfManyMissingNumbersEndsInInvalidBooksNeverWrongValidOnes) {
    stream_settings s = verified_lines();
    s.hold_capacity = 65536;
    stream_fixture f(s);
    f.send_range(line_a, 1, 10, 5);
    f.send_range(line_b, 1, 10, 5);
    f.send(line_b, datagram(60'000, 2, "S1", 0xEE));
    f.send_range(line_a, 11, 20, 5, 1 * ms);
    f.send_range(line_b, 11, 20, 5, 1 * ms);
    EXPECT_EQ(f.stream.state(), stream_state::gap_fill);
    EXPECT_TRUE(f.stream.books_valid());  // nothing given up yet
    recovery_request none[1];
    f.stream.on_timer(1 * ms + s.line_wait_ns, none, 1);  // a quiet market: the hole is skipped
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_gap_skipped});
    EXPECT_EQ(f.handler.delivered.back().sequence, 60'001u);
    f.send_range(line_a, 21, 60'001, 100, 30 * ms);  // the exchange reaches the claimed numbers
    EXPECT_EQ(f.stream.counters().mismatched_messages, 2u);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_gap_skipped | invalid_copy_mismatch});
}

// A forged answer inside an outstanding request fills the hole first; the lines' copies of the
// same numbers show it.
TEST(FeedStreamCopies, AForgedAnswerIsCaughtByALinesCopy) {
    stream_settings s = with_recovery();
    s.verify_window = 64;
    stream_fixture f(s);
    f.send(line_a, datagram(1, 5));
    f.send(line_a, datagram(9, 2));  // 6..8 missing on A
    recovery_request requests[4];
    ASSERT_EQ(f.stream.on_timer(3 * ms, requests, 4), 1u);
    f.send(line_r, datagram_with_forged(6, 3, 7), 3 * ms);
    EXPECT_EQ(f.handler.delivered.size(), 10u);
    EXPECT_TRUE(f.stream.books_valid());
    f.send(line_b, datagram(6, 3), 3 * ms);
    EXPECT_EQ(f.stream.counters().mismatched_messages, 1u);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_copy_mismatch});
}

// A late answer, for numbers a line already filled and no request covers, is only counted: a
// forger sending from the server's address cannot declare good books invalid with it.
TEST(FeedStreamCopies, ALateAnswerOutsideEveryRequestIsNotCompared) {
    stream_settings s = with_recovery();
    s.verify_window = 64;
    stream_fixture f(s);
    f.send(line_a, datagram(1, 5));
    f.send(line_a, datagram(9, 2));
    recovery_request requests[4];
    ASSERT_EQ(f.stream.on_timer(3 * ms, requests, 4), 1u);
    f.send(line_b, datagram(6, 3), 3 * ms);  // B fills the hole: nothing is asked any more
    f.send(line_r, datagram_with_forged(6, 3, 7), 3 * ms);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(10));
    EXPECT_EQ(f.stream.line(line_r).duplicates, 1u);
    EXPECT_EQ(f.stream.counters().mismatched_messages, 0u);
    EXPECT_TRUE(f.stream.books_valid());
}

// ---- recovery ----

TEST(FeedStreamRecovery, RequestsCappedAndAnswersAppliedInOrderBeforeTheHeldMessages) {
    stream_fixture f(with_recovery());
    f.send_range(line_a, 1, 10, 5, 0);
    f.send(line_a, datagram(23, 5), 0);  // 11..22 lost on both lines: 12 messages
    f.send(line_b, datagram(23, 5), 0);
    recovery_request r[8];
    EXPECT_EQ(f.stream.on_timer(1 * ms, r, 8), 0u);  // the other line gets line_wait first
    ASSERT_EQ(f.stream.on_timer(2 * ms, r, 8), 2u);  // max_outstanding 2, 5 messages each
    EXPECT_EQ(r[0].first, 11u);
    EXPECT_EQ(r[0].count, 5u);
    EXPECT_EQ(r[1].first, 16u);
    EXPECT_EQ(r[1].count, 5u);
    EXPECT_EQ(f.stream.on_timer(3 * ms, r, 8), 0u);  // outstanding until retry_ms
    f.send(line_r, datagram(11, 5), 4 * ms);
    EXPECT_EQ(f.handler.delivered.size(), 15u);
    EXPECT_EQ(f.stream.on_timer(5 * ms, r, 8), 0u);  // progress restarted the clock
    ASSERT_EQ(f.stream.on_timer(6 * ms, r, 8), 2u);
    EXPECT_EQ(r[0].first, 16u);
    EXPECT_EQ(r[1].first, 21u);
    EXPECT_EQ(r[1].count, 2u);
    f.send(line_r, datagram(21, 2), 7 * ms);  // answers may come in any order
    EXPECT_EQ(f.handler.delivered.size(), 15u);
    f.send(line_r, datagram(16, 5), 7 * ms);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(27));
    EXPECT_TRUE(f.handler.gaps.empty());
    EXPECT_EQ(f.stream.state(), stream_state::synchronized);
    EXPECT_TRUE(f.stream.books_valid());
    EXPECT_EQ(f.stream.counters().requests, 4u);
}

TEST(FeedStreamRecovery, AnswersForNothingAskedAreDropped) {
    stream_fixture f(with_recovery());
    f.send_range(line_a, 1, 10, 5, 0);
    // A forged answer replacing message 5, and one for numbers beyond the stream: nothing is
    // outstanding, so neither is taken.
    f.send(line_r, datagram(5, 1, "S1", 0xEE), 0);
    f.send(line_r, datagram(11, 3, "S1", 0xEE), 0);
    f.send_range(line_a, 11, 20, 5, 0);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(20));
    EXPECT_EQ(f.stream.line(line_r).duplicates, 1u);
    EXPECT_EQ(f.stream.line(line_r).unrequested, 1u);
    EXPECT_TRUE(f.stream.books_valid());
}

TEST(FeedStreamRecovery, AnswerMessagesBeyondTheRequestAreDropped) {
    stream_fixture f(with_recovery());
    f.send_range(line_a, 1, 10, 5, 0);
    f.send(line_a, datagram(14, 2), 0);  // 11..13 missing
    recovery_request r[8];
    ASSERT_EQ(f.stream.on_timer(2 * ms, r, 8), 1u);
    EXPECT_EQ(r[0].first, 11u);
    EXPECT_EQ(r[0].count, 3u);
    // The answer carries 11..13 and forged versions of 14..17: only the three asked for count.
    std::vector<std::vector<uint8_t>> messages;
    for (uint64_t n = 11; n <= 13; ++n) messages.push_back(message(n));
    for (uint64_t n = 14; n <= 17; ++n) messages.push_back(message(n, 0xEE));
    f.send(line_r, mold_payload("S1", 11, messages), 3 * ms);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(15));
    EXPECT_EQ(f.stream.line(line_r).beyond_request, 4u);  // 14..17: A's 14 and 15 stay
    f.send(line_a, datagram(16, 2), 4 * ms);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(17));
}

TEST(FeedStreamRecovery, AnswersOfAnotherSessionOrUnsequencedOrControlAreDropped) {
    stream_fixture f(with_recovery());
    f.send_range(line_a, 1, 10, 5, 0);
    f.send(line_a, datagram(14, 2), 0);
    recovery_request r[8];
    ASSERT_EQ(f.stream.on_timer(2 * ms, r, 8), 1u);
    f.send(line_r, datagram(11, 3, "EVIL", 0xEE), 3 * ms);
    f.send(line_r, datagram(0, 3, "S1", 0xEE), 3 * ms);
    f.send(line_r, control(11, 0), 3 * ms);
    f.send(line_r, control(1, mold_end_of_session_count), 3 * ms);
    EXPECT_EQ(f.handler.delivered.size(), 10u);
    EXPECT_FALSE(f.stream.end_of_session());
    EXPECT_EQ(f.stream.line(line_r).foreign_session, 1u);
    EXPECT_EQ(f.stream.line(line_r).unsequenced_dropped, 1u);
    EXPECT_EQ(f.stream.line(line_r).unrequested, 2u);
    EXPECT_EQ(f.stream.counters().sessions, 1u);
    f.send(line_r, datagram(11, 3), 4 * ms);  // the real answer still fills the hole
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(15));
    EXPECT_TRUE(f.stream.books_valid());
}

TEST(FeedStreamRecovery, ServerThatNeverAnswersLeadsToGivenUpAfterTheTimeout) {
    stream_fixture f(with_recovery());
    f.send_range(line_a, 1, 10, 5, 0);
    f.send(line_a, datagram(13, 3), 0);
    f.send(line_a, control(16, 0), 0);
    recovery_request r[8];
    uint32_t asked = 0;
    for (uint64_t t = 1; t < 100; ++t) asked += f.stream.on_timer(t * ms, r, 8);
    EXPECT_EQ(asked, 10u);  // one request every retry_ms from 2 ms on
    EXPECT_EQ(f.stream.state(), stream_state::gap_fill);
    EXPECT_EQ(f.handler.delivered.size(), 10u);
    (void)f.stream.on_timer(100 * ms, r, 8);
    EXPECT_EQ(f.stream.state(), stream_state::given_up);
    EXPECT_EQ(f.stream.invalid_reasons(), uint32_t{invalid_recovery_timeout | invalid_gap_skipped});
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{11}, uint64_t{2}));
    EXPECT_EQ(f.handler.delivered.size(), 13u);  // the held messages follow, in order
    f.send(line_r, datagram(11, 2), 101 * ms);   // too late: duplicates
    EXPECT_EQ(f.handler.delivered.size(), 13u);
}

TEST(FeedStreamRecovery, FullHoldWindowGivesUpAtOnceAndStaysInOrder) {
    stream_settings s = with_recovery();
    s.hold_capacity = 16;
    stream_fixture f(s);
    f.send(line_a, datagram(1, 4));
    f.send_range(line_a, 6, 40, 5);  // 5 lost; 35 messages cannot all be held behind it
    EXPECT_EQ(f.stream.state(), stream_state::given_up);
    EXPECT_NE(f.stream.invalid_reasons() & invalid_hold_full, 0u);
    EXPECT_GT(f.stream.counters().hold_full, 0u);
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{5}, uint64_t{1}));
    ASSERT_EQ(f.handler.delivered.size(), 39u);
    for (std::size_t i = 1; i < f.handler.delivered.size(); ++i)
        EXPECT_LT(f.handler.delivered[i - 1].sequence, f.handler.delivered[i].sequence);
}

// A handler that keeps pointers to order messages (as the books' pipeline does) reads them only
// when it settles: after each datagram, as the gateway flushes, and when the stream says it is
// about to overwrite held messages. Every message it reads must still be its own.
struct pointer_keeping_handler : feed_handler_base {
    std::vector<std::pair<const uint8_t*, uint64_t>> pending;
    std::vector<uint64_t> settled;  // sequences whose message carried their own reference
    void on_order_message(const uint8_t* m, uint64_t sequence) { pending.push_back({m, sequence}); }
    void on_message_memory_reused() { settle(); }
    void settle() {
        for (const auto& [m, sequence] : pending) {
            EXPECT_EQ(hypertick::base::load_be64(m + 11), sequence);
            settled.push_back(sequence);
        }
        pending.clear();
    }
};

// An order delete whose reference is its own sequence number.
std::vector<uint8_t> numbered_delete(uint64_t n) {
    std::vector<uint8_t> m(order_delete::length, 0);
    order_delete_writer{m.data()}.init();
    order_delete_writer{m.data()}.set_order_ref(n);
    return m;
}

TEST(FeedStreamRecovery, HeldMessagesAreNotOverwrittenWhileAHandlerPointsAtThem) {
    stream_settings s = with_recovery();
    s.hold_capacity = 16;
    std::vector<uint8_t> hold(std::size_t{s.hold_capacity} * hold_slot_bytes);
    pointer_keeping_handler handler;
    feed_counters frame_counters;
    feed_stream<pointer_keeping_handler> stream(handler, frame_counters, s, hold.data());
    auto send = [&](uint64_t first, uint16_t count) {
        std::vector<std::vector<uint8_t>> messages;
        for (uint64_t n = first; n < first + count; ++n) messages.push_back(numbered_delete(n));
        const exact_buffer b(mold_payload("S1", first, messages));
        stream.on_datagram(line_a, b.data.get(), b.size, 0);
        handler.settle();  // the datagram goes away
    };
    send(1, 4);
    // 5 is lost; 6..40 cannot all be held behind it, so held messages are released (given up)
    // in the middle of a datagram whose later messages take their slots.
    for (uint64_t n = 6; n <= 40; n += 5) send(n, 5);
    EXPECT_NE(stream.invalid_reasons() & invalid_hold_full, 0u);
    ASSERT_EQ(handler.settled.size(), 39u);
    for (std::size_t i = 1; i < handler.settled.size(); ++i)
        EXPECT_LT(handler.settled[i - 1], handler.settled[i]);
}

TEST(FeedStreamRecovery, RerequestEncoding) {
    uint8_t out[20];
    encode_rerequest(mold_session::from_text("ABC"),
                     recovery_request{0x0102030405060708ull, 0x0A0B}, out);
    const uint8_t want[20] = {'A', 'B', 'C', ' ', ' ', ' ', ' ', ' ', ' ',  ' ',
                              1,   2,   3,   4,   5,   6,   7,   8,   0x0A, 0x0B};
    EXPECT_EQ(0, std::memcmp(out, want, 20));
}

// ---- through the receiver: frames, filters, sources ----

TEST(FeedReceiverLines, FramesFromAnotherSourceAreDroppedAndCounted) {
    recording_handler handler;
    feed_receiver<recording_handler> receiver(handler, stream_settings{}, nullptr);
    receiver.set_line(line_a, udp_filter{}, source_filter{0x0a000001, 26400});
    auto send = [&](uint32_t source_ip, uint16_t source_port, uint64_t sequence) {
        frame_address address;
        address.source_ip = source_ip;
        address.source_port = source_port;
        const auto payload = datagram(sequence, 2);
        const auto frame =
            build_udp_frame(address, payload.data(), static_cast<uint32_t>(payload.size()));
        receiver.on_frame(line_a, frame.data(), static_cast<uint32_t>(frame.size()), 0);
    };
    send(0x0a000001, 26400, 1);
    send(0x0a000099, 26400, 3);  // another host
    send(0x0a000001, 9999, 3);   // another port
    send(0x0a000001, 26400, 3);
    ASSERT_EQ(handler.delivered.size(), 4u);
    EXPECT_EQ(receiver.stream().line(line_a).wrong_source, 2u);
    EXPECT_TRUE(receiver.stream().books_valid());
}

TEST(FeedReceiverLines, SingleLineReceiverThroughFrames) {
    recording_handler handler;
    feed_receiver<recording_handler> receiver(handler, {});
    auto send = [&](const std::vector<uint8_t>& payload) {
        const auto frame = frame_of(payload);
        receiver.on_frame(frame.data(), static_cast<uint32_t>(frame.size()));
    };
    send(mold_payload("SESSIONA", 1, {add_order_bytes(1), add_order_bytes(2)}));
    send(mold_payload("SESSIONA", 1, {add_order_bytes(1), add_order_bytes(2)}));  // duplicate
    send(mold_payload("SESSIONA", 5, {add_order_bytes(5)}));                      // gap 3..4
    send(control(7, 0, "SESSIONA"));  // heartbeat: 6 missing
    send(control(7, mold_end_of_session_count, "SESSIONA"));
    ASSERT_EQ(handler.delivered.size(), 3u);
    ASSERT_EQ(handler.gaps.size(), 2u);
    EXPECT_EQ(handler.gaps[0], std::make_pair(uint64_t{3}, uint64_t{2}));
    EXPECT_EQ(handler.gaps[1], std::make_pair(uint64_t{6}, uint64_t{1}));
    EXPECT_EQ(handler.sessions_started, 1u);
    EXPECT_EQ(handler.ends_of_session, 1u);
    const auto& c = receiver.stream().counters();
    EXPECT_EQ(c.packets, 5u);
    EXPECT_EQ(c.messages, 3u);
    EXPECT_EQ(c.gaps, 2u);
    EXPECT_EQ(c.missing_messages, 3u);
    EXPECT_EQ(receiver.stream().next_expected(), 7u);
}

struct order_event_recorder : feed_handler_base {
    std::vector<order_event> events;
    void on_order_event(const order_event& e, uint64_t) { events.push_back(e); }
};

TEST(FeedReceiverLines, AddWithAnUnknownSideIsCountedAndNeverBooked) {
    order_event_recorder handler;
    feed_receiver<order_event_recorder> receiver(handler, {});
    std::vector<uint8_t> bad = add_order_bytes(7);
    bad[19] = 'X';
    const auto frame =
        frame_of(mold_payload("S1", 1, {add_order_bytes(6), bad, add_order_bytes(8)}));
    receiver.on_frame(frame.data(), static_cast<uint32_t>(frame.size()));
    ASSERT_EQ(handler.events.size(), 2u);
    EXPECT_EQ(handler.events[0].order_ref, 6u);
    EXPECT_EQ(handler.events[1].order_ref, 8u);
    EXPECT_EQ(receiver.counters()[feed_event::malformed_order_side], 1u);
    EXPECT_EQ(receiver.stream().counters().messages, 3u);  // its number was consumed
    EXPECT_EQ(receiver.stream().invalid_reasons(), uint32_t{invalid_unapplied_message});
}

// A handler that reads order messages in place gets the same messages, checked the same way.
struct order_message_recorder : feed_handler_base {
    std::vector<uint64_t> refs;
    void on_order_message(const uint8_t* m, uint64_t) {
        refs.push_back(hypertick::base::load_be64(m + 11));
    }
};

TEST(FeedReceiverLines, OrderMessagesInPlaceAreCheckedAsOrderEvents) {
    order_message_recorder handler;
    feed_receiver<order_message_recorder> receiver(handler, {});
    std::vector<uint8_t> bad = add_order_bytes(7);
    bad[19] = 'X';
    std::vector<uint8_t> short_add = add_order_bytes(9);
    short_add.resize(add_order::length - 1);
    const auto frame =
        frame_of(mold_payload("S1", 1, {add_order_bytes(6), bad, short_add, add_order_bytes(8)}));
    receiver.on_frame(frame.data(), static_cast<uint32_t>(frame.size()));
    EXPECT_EQ(handler.refs, (std::vector<uint64_t>{6, 8}));
    EXPECT_EQ(receiver.counters()[feed_event::malformed_order_side], 1u);
    EXPECT_EQ(receiver.counters()[feed_event::malformed_message_too_short], 1u);
    EXPECT_EQ(receiver.stream().counters().messages, 4u);
}

}  // namespace
