// MoldUDP64 sequencing: duplicates, gaps (also revealed by heartbeats), end of session, new
// sessions, anonymised (sequence 0) captures, and datagrams cut short.
#include <gtest/gtest.h>

#include "hypertick/feed/sequencer.hpp"
#include "test_support.hpp"

namespace {

using namespace feed_test;

const MoldSession session_a = MoldSession::from_text("SESSIONA");
const MoldSession session_b = MoldSession::from_text("SESSIONB");

TEST(Sequencer, InOrderDelivery) {
    SessionSequencer s;
    auto d = s.on_datagram(session_a, 1, 3);
    EXPECT_TRUE(d.session_started);
    EXPECT_EQ(d.skip, 0);
    EXPECT_EQ(d.deliver, 3);
    EXPECT_EQ(d.gap_count, 0u);
    d = s.on_datagram(session_a, 4, 2);
    EXPECT_FALSE(d.session_started);
    EXPECT_EQ(d.deliver, 2);
    EXPECT_EQ(s.next_expected(), 6u);
    EXPECT_EQ(s.counters().packets, 2u);
    EXPECT_EQ(s.counters().messages, 5u);
    EXPECT_EQ(s.counters().sessions, 1u);
}

TEST(Sequencer, DuplicatesWholeAndPartial) {
    SessionSequencer s;
    s.on_datagram(session_a, 1, 5);
    auto d = s.on_datagram(session_a, 1, 5);  // the same datagram again (or from line B)
    EXPECT_EQ(d.skip, 5);
    EXPECT_EQ(d.deliver, 0);
    d = s.on_datagram(session_a, 4, 4);  // overlaps: 4 and 5 seen, 6 and 7 new
    EXPECT_EQ(d.skip, 2);
    EXPECT_EQ(d.deliver, 2);
    EXPECT_EQ(s.next_expected(), 8u);
    EXPECT_EQ(s.counters().duplicate_messages, 7u);
    EXPECT_EQ(s.counters().duplicate_packets, 1u);
    EXPECT_EQ(s.counters().messages, 7u);
    EXPECT_EQ(s.counters().gaps, 0u);
}

TEST(Sequencer, GapIsDetectedAndSkipped) {
    SessionSequencer s;
    s.on_datagram(session_a, 1, 2);
    auto d = s.on_datagram(session_a, 10, 3);
    EXPECT_EQ(d.gap_first, 3u);
    EXPECT_EQ(d.gap_count, 7u);
    EXPECT_EQ(d.deliver, 3);
    EXPECT_EQ(s.next_expected(), 13u);
    // The late datagram 3..9 now counts as duplicates: its numbers were given up.
    d = s.on_datagram(session_a, 3, 7);
    EXPECT_EQ(d.deliver, 0);
    EXPECT_EQ(s.counters().gaps, 1u);
    EXPECT_EQ(s.counters().missing_messages, 7u);
    EXPECT_EQ(s.counters().duplicate_messages, 7u);
}

TEST(Sequencer, JoiningLateIsAGapFromOne) {
    SessionSequencer s;
    const auto d = s.on_datagram(session_a, 100, 1);
    EXPECT_EQ(d.gap_first, 1u);
    EXPECT_EQ(d.gap_count, 99u);
}

TEST(Sequencer, HeartbeatRevealsAGap) {
    SessionSequencer s;
    s.on_datagram(session_a, 1, 4);
    auto d = s.on_datagram(session_a, 5, 0);  // heartbeat, nothing missing
    EXPECT_EQ(d.gap_count, 0u);
    d = s.on_datagram(session_a, 9, 0);  // heartbeat says 9 is next: 5..8 were lost
    EXPECT_EQ(d.gap_first, 5u);
    EXPECT_EQ(d.gap_count, 4u);
    EXPECT_EQ(d.deliver, 0);
    EXPECT_EQ(s.next_expected(), 9u);
    d = s.on_datagram(session_a, 3, 0);  // a stale heartbeat changes nothing
    EXPECT_EQ(d.gap_count, 0u);
    EXPECT_EQ(s.next_expected(), 9u);
    EXPECT_EQ(s.counters().heartbeats, 3u);
    EXPECT_EQ(s.counters().packets, 4u);
}

TEST(Sequencer, EndOfSession) {
    SessionSequencer s;
    s.on_datagram(session_a, 1, 2);
    EXPECT_FALSE(s.end_of_session());
    auto d = s.on_datagram(session_a, 3, mold_end_of_session_count);
    EXPECT_TRUE(d.end_of_session);
    EXPECT_EQ(d.deliver, 0);
    EXPECT_EQ(d.gap_count, 0u);
    EXPECT_TRUE(s.end_of_session());
    d = s.on_datagram(session_a, 5, mold_end_of_session_count);  // ...which may reveal a gap
    EXPECT_EQ(d.gap_count, 2u);
    EXPECT_EQ(s.counters().end_of_session_packets, 2u);
    EXPECT_EQ(s.next_expected(), 5u);
}

TEST(Sequencer, NewSessionResets) {
    SessionSequencer s;
    s.on_datagram(session_a, 1, 50);
    s.on_datagram(session_a, 51, mold_end_of_session_count);
    const auto d = s.on_datagram(session_b, 1, 2);
    EXPECT_TRUE(d.session_started);
    EXPECT_EQ(d.deliver, 2);
    EXPECT_EQ(d.gap_count, 0u);
    EXPECT_EQ(s.session(), session_b);
    EXPECT_EQ(s.next_expected(), 3u);
    EXPECT_FALSE(s.end_of_session());
    EXPECT_EQ(s.counters().sessions, 2u);
}

TEST(Sequencer, UnsequencedCapturesAreDeliveredAsTheyCome) {
    SessionSequencer s;
    for (int i = 0; i < 3; ++i) {
        const auto d = s.on_datagram(MoldSession{}, 0, 1);
        EXPECT_EQ(d.deliver, 1);
    }
    EXPECT_EQ(s.counters().unsequenced_packets, 3u);
    EXPECT_EQ(s.counters().messages, 3u);
    EXPECT_EQ(s.counters().duplicate_messages, 0u);
}

TEST(Sequencer, CutDatagramHandsBackTheUnreadMessages) {
    SessionSequencer s;
    const auto d = s.on_datagram(session_a, 1, 10);
    s.on_datagram_cut(1, d, 4);  // only 4 whole messages were in the datagram
    EXPECT_EQ(s.next_expected(), 5u);
    EXPECT_EQ(s.counters().messages, 4u);
    const auto next = s.on_datagram(session_a, 11, 1);
    EXPECT_EQ(next.gap_first, 5u);
    EXPECT_EQ(next.gap_count, 6u);
}

// The same rules through the whole receive path, with the handler's sequencing callbacks.
TEST(Sequencer, ThroughTheReceiver) {
    RecordingHandler handler;
    FeedReceiver<RecordingHandler> receiver(handler, {});
    auto send = [&](uint64_t seq, std::vector<std::vector<uint8_t>> messages) {
        const auto frame = frame_of(mold_payload("SESSIONA", seq, messages));
        receiver.on_frame(frame.data(), static_cast<uint32_t>(frame.size()));
    };
    send(1, {add_order(1), add_order(2)});
    send(1, {add_order(1), add_order(2)});  // duplicate
    send(5, {add_order(5)});                // gap 3..4
    send(7, {});                            // heartbeat: 6 missing
    MoldPayloadBuilder end;
    end.start(MoldSession::from_text("SESSIONA"), 7);
    end.finish_with_count(mold_end_of_session_count);
    const auto frame = frame_of(end.bytes());
    receiver.on_frame(frame.data(), static_cast<uint32_t>(frame.size()));
    ASSERT_EQ(handler.delivered.size(), 3u);
    EXPECT_EQ(handler.delivered[2].sequence, 5u);
    ASSERT_EQ(handler.gaps.size(), 2u);
    EXPECT_EQ(handler.gaps[0], std::make_pair(uint64_t{3}, uint64_t{2}));
    EXPECT_EQ(handler.gaps[1], std::make_pair(uint64_t{6}, uint64_t{1}));
    EXPECT_EQ(handler.sessions_started, 1u);
    EXPECT_EQ(handler.ends_of_session, 1u);
    const auto& c = receiver.sequencer().counters();
    EXPECT_EQ(c.packets, 5u);
    EXPECT_EQ(c.messages, 3u);
    EXPECT_EQ(c.gaps, 2u);
    EXPECT_EQ(c.missing_messages, 3u);
    EXPECT_EQ(receiver.sequencer().next_expected(), 7u);
}

}  // namespace
