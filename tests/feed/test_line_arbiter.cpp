// The A/B arbiter and gap recovery state machine (line_arbiter.hpp), driven by hand: every
// message must reach the handler exactly once, in sequence order, whatever the lines do.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "hypertick/feed/line_arbiter.hpp"
#include "test_support.hpp"

namespace {

using namespace feed_test;

constexpr uint32_t line_a = 0, line_b = 1, line_r = 2;
constexpr uint64_t ms = 1'000'000;

// An unknown-type message ('z') carrying its own number, so content and order are both checked.
std::vector<uint8_t> message(uint64_t n) {
    std::vector<uint8_t> m{'z'};
    for (int i = 0; i < 8; ++i) m.push_back(static_cast<uint8_t>(n >> (8 * i)));
    return m;
}

std::vector<uint8_t> datagram(uint64_t first, uint16_t count, const std::string& session = "S1") {
    std::vector<std::vector<uint8_t>> ms_;
    for (uint64_t n = first; n < first + count; ++n) ms_.push_back(message(n));
    return mold_payload(session, first, ms_);
}

struct Fixture {
    explicit Fixture(ArbiterSettings s)
        : settings(s), hold(s.hold_capacity * hold_slot_bytes), release(release_buffer_bytes),
          receiver(handler, UdpFilter{}), arbiter(receiver, settings, hold.data(), release.data()) {}

    void send(uint32_t line, const std::vector<uint8_t>& payload, uint64_t now = 0) {
        const ExactBuffer b(payload);
        arbiter.on_payload(line, b.data.get(), b.size, now);
    }
    void send_range(uint32_t line, uint64_t first, uint64_t last, uint16_t per, uint64_t now = 0) {
        for (uint64_t n = first; n <= last; n += per) send(line, datagram(n, static_cast<uint16_t>(std::min<uint64_t>(per, last - n + 1))), now);
    }
    // The handler saw exactly 1..last, in order, each once.
    void expect_exactly(uint64_t last) const {
        ASSERT_EQ(handler.delivered.size(), last);
        for (uint64_t i = 0; i < last; ++i) {
            ASSERT_EQ(handler.delivered[i].sequence, i + 1);
            ASSERT_EQ(handler.delivered[i].bytes, message(i + 1));
        }
    }

    ArbiterSettings settings;
    std::vector<uint8_t> hold;
    std::vector<uint8_t> release;
    RecordingHandler handler;
    FeedReceiver<RecordingHandler> receiver;
    LineArbiter<RecordingHandler> arbiter;
};

ArbiterSettings with_recovery() {
    ArbiterSettings s;
    s.hold_capacity = 1024;
    s.recovery = true;
    s.line_wait_ns = 2 * ms;
    s.retry_ns = 10 * ms;
    s.timeout_ns = 100 * ms;
    s.max_outstanding = 2;
    s.max_messages_per_request = 5;
    return s;
}

TEST(LineArbiter, IndependentLossesOnTwoLinesLoseNothing) {
    Fixture f(ArbiterSettings{});
    // 100 datagrams of 3 messages; A loses every 4th, B every 4th but others; B runs two behind.
    std::vector<uint64_t> firsts;
    for (uint64_t d = 0; d < 100; ++d) firsts.push_back(1 + 3 * d);
    for (std::size_t i = 0; i < firsts.size() + 2; ++i) {
        if (i < firsts.size() && i % 4 != 0) f.send(line_a, datagram(firsts[i], 3));
        if (i >= 2 && (i - 2) % 4 != 2) f.send(line_b, datagram(firsts[i - 2], 3));
    }
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(300));
    EXPECT_TRUE(f.handler.gaps.empty());
    EXPECT_EQ(f.arbiter.state(), RecoveryState::synchronized);
    EXPECT_TRUE(f.arbiter.books_valid());
    EXPECT_EQ(f.arbiter.line(line_a).datagrams, 75u);
    EXPECT_EQ(f.arbiter.line(line_a).missed_messages, 25u * 3u);
    EXPECT_EQ(f.arbiter.line(line_b).missed_messages, 25u * 3u);
    EXPECT_EQ(f.arbiter.line(line_a).first_arrivals + f.arbiter.line(line_b).first_arrivals, 100u);
    EXPECT_EQ(f.arbiter.line(line_a).duplicates + f.arbiter.line(line_b).duplicates, 50u);
}

TEST(LineArbiter, FloodOfDuplicatesAndReorderingChangesNothing) {
    Fixture f(ArbiterSettings{});
    // Datagrams of 4 in a scrambled order on both lines, each sent three times.
    std::vector<uint64_t> order;
    for (uint64_t d = 0; d < 64; ++d) order.push_back(1 + 4 * d);
    for (std::size_t i = 0; i + 3 < order.size(); i += 4) std::reverse(order.begin() + i, order.begin() + i + 4);
    for (uint64_t first : order)
        for (int copy = 0; copy < 3; ++copy) f.send(copy == 1 ? line_b : line_a, datagram(first, 4));
    f.send(line_b, datagram(5, 8));  // straddling copies
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(256));
    EXPECT_TRUE(f.handler.gaps.empty());
    EXPECT_EQ(f.arbiter.held(), 0u);
}

TEST(LineArbiter, WithoutRecoveryAHoleBothLinesMissedIsSkippedAfterTheWait) {
    ArbiterSettings s;
    s.line_wait_ns = 5 * ms;
    Fixture f(s);
    f.send_range(line_a, 1, 10, 5);
    f.send(line_a, datagram(16, 5));  // 11..15 lost on both lines
    f.send(line_b, datagram(16, 5));
    EXPECT_EQ(f.handler.delivered.size(), 10u);  // held, not delivered out of order
    EXPECT_EQ(f.arbiter.state(), RecoveryState::gap_fill);
    RecoveryRequest r[4];
    EXPECT_EQ(f.arbiter.on_timer(4 * ms, r, 4), 0u);
    EXPECT_EQ(f.handler.delivered.size(), 10u);
    EXPECT_EQ(f.arbiter.on_timer(5 * ms, r, 4), 0u);  // no recovery: no request, the hole is skipped
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{11}, uint64_t{5}));
    EXPECT_EQ(f.handler.delivered.size(), 15u);
    EXPECT_EQ(f.handler.delivered.back().sequence, 20u);
    EXPECT_EQ(f.arbiter.state(), RecoveryState::synchronized);
}

TEST(LineArbiter, RecoveryRequestsCappedAndAppliedInOrderBeforeTheHeldMessages) {
    Fixture f(with_recovery());
    f.send_range(line_a, 1, 10, 5, 0);
    f.send(line_a, datagram(23, 5), 0);  // 11..22 lost on both lines: 12 messages
    f.send(line_b, datagram(23, 5), 0);
    RecoveryRequest r[8];
    EXPECT_EQ(f.arbiter.on_timer(1 * ms, r, 8), 0u);  // the other line gets line_wait first
    ASSERT_EQ(f.arbiter.on_timer(2 * ms, r, 8), 2u);   // max_outstanding 2, 5 messages each
    EXPECT_EQ(r[0].first, 11u);
    EXPECT_EQ(r[0].count, 5u);
    EXPECT_EQ(r[1].first, 16u);
    EXPECT_EQ(r[1].count, 5u);
    EXPECT_EQ(f.arbiter.on_timer(3 * ms, r, 8), 0u);  // outstanding until retry_ms
    f.send(line_r, datagram(11, 5), 4 * ms);
    EXPECT_EQ(f.handler.delivered.size(), 15u);
    EXPECT_EQ(f.arbiter.on_timer(5 * ms, r, 8), 0u);  // progress restarted the clock
    ASSERT_EQ(f.arbiter.on_timer(6 * ms, r, 8), 2u);
    EXPECT_EQ(r[0].first, 16u);
    EXPECT_EQ(r[0].count, 5u);
    EXPECT_EQ(r[1].first, 21u);
    EXPECT_EQ(r[1].count, 2u);
    f.send(line_r, datagram(21, 2), 7 * ms);  // answers may come in any order
    EXPECT_EQ(f.handler.delivered.size(), 15u);
    f.send(line_r, datagram(16, 5), 7 * ms);
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(27));
    EXPECT_TRUE(f.handler.gaps.empty());
    EXPECT_EQ(f.arbiter.state(), RecoveryState::synchronized);
    EXPECT_TRUE(f.arbiter.books_valid());
    EXPECT_EQ(f.arbiter.counters().requests, 4u);
}

TEST(LineArbiter, ServerThatNeverAnswersLeadsToGivenUpAfterTheTimeout) {
    Fixture f(with_recovery());
    f.send_range(line_a, 1, 10, 5, 0);
    f.send(line_a, datagram(13, 3), 0);
    f.send(line_a, mold_payload("S1", 16, {}), 0);  // heartbeat
    RecoveryRequest r[8];
    uint32_t asked = 0;
    for (uint64_t t = 1; t < 100; ++t) asked += f.arbiter.on_timer(t * ms, r, 8);
    EXPECT_EQ(asked, 10u);  // one request every retry_ms from 2 ms on
    EXPECT_EQ(f.arbiter.state(), RecoveryState::gap_fill);
    EXPECT_EQ(f.handler.delivered.size(), 10u);
    (void)f.arbiter.on_timer(100 * ms, r, 8);
    EXPECT_EQ(f.arbiter.state(), RecoveryState::given_up);
    EXPECT_EQ(f.arbiter.give_up_reason(), GiveUpReason::timeout);
    EXPECT_FALSE(f.arbiter.books_valid());
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{11}, uint64_t{2}));
    EXPECT_EQ(f.handler.delivered.size(), 13u);  // the held messages follow, in order
    f.send(line_r, datagram(11, 2), 101 * ms);   // too late: duplicates
    EXPECT_EQ(f.handler.delivered.size(), 13u);
}

TEST(LineArbiter, FullHoldWindowGivesUpAtOnceAndStaysInOrder) {
    ArbiterSettings s = with_recovery();
    s.hold_capacity = 16;
    Fixture f(s);
    f.send(line_a, datagram(1, 4));
    f.send_range(line_a, 6, 40, 5);  // 5 lost; 35 messages cannot all be held behind it
    EXPECT_EQ(f.arbiter.state(), RecoveryState::given_up);
    EXPECT_EQ(f.arbiter.give_up_reason(), GiveUpReason::hold_full);
    EXPECT_FALSE(f.arbiter.books_valid());
    EXPECT_GT(f.arbiter.counters().hold_full, 0u);
    ASSERT_EQ(f.handler.gaps.size(), 1u);
    EXPECT_EQ(f.handler.gaps[0], std::make_pair(uint64_t{5}, uint64_t{1}));
    ASSERT_EQ(f.handler.delivered.size(), 39u);
    for (std::size_t i = 1; i < f.handler.delivered.size(); ++i)
        EXPECT_LT(f.handler.delivered[i - 1].sequence, f.handler.delivered[i].sequence);
}

TEST(LineArbiter, EndOfSessionBeyondAHoleWaitsForIt) {
    Fixture f(ArbiterSettings{});
    f.send(line_a, datagram(1, 3));
    f.send(line_a, mold_payload("S1", 7, {}));  // heartbeat: 4..6 exist
    std::vector<uint8_t> end = mold_payload("S1", 7, {});
    end[18] = 0xFF;
    end[19] = 0xFF;
    f.send(line_a, end);
    EXPECT_FALSE(f.receiver.sequencer().end_of_session());
    f.send(line_b, datagram(4, 3));
    ASSERT_NO_FATAL_FAILURE(f.expect_exactly(6));
    EXPECT_TRUE(f.receiver.sequencer().end_of_session());
    EXPECT_EQ(f.handler.ends_of_session, 1u);
}

TEST(LineArbiter, RerequestEncoding) {
    uint8_t out[20];
    encode_rerequest(MoldSession::from_text("ABC"), RecoveryRequest{0x0102030405060708ull, 0x0A0B}, out);
    const uint8_t want[20] = {'A', 'B', 'C', ' ', ' ', ' ', ' ', ' ', ' ', ' ', 1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0x0B};
    EXPECT_EQ(0, std::memcmp(out, want, 20));
}

}  // namespace
