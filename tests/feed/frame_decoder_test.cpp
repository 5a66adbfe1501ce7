// The malformed-input corpus: every way a frame, datagram or message can be broken is counted
// under its own reason, and nothing is read past the frame (each frame sits in an exact-size
// heap buffer, so the asan preset turns any overrun into a failure).
#include <gtest/gtest.h>

#include "hypertick/base/byte_order.hpp"
#include "hypertick/feed/ethernet_ipv4_udp.hpp"
#include "test_support.hpp"

namespace {

using namespace feed_test;

constexpr uint32_t ip = ethernet_header_length;  // untagged frames
constexpr uint32_t udp = ip + ipv4_header_length_min;
constexpr uint32_t mold = udp + udp_header_length;

struct decode_outcome {
    feed_counters counters;
    std::vector<recording_handler::delivered_message> delivered;
};

decode_outcome receive(const std::vector<uint8_t>& frame, udp_filter filter = {}) {
    recording_handler handler;
    feed_receiver<recording_handler> receiver(handler, filter);
    const exact_buffer exact(frame);
    receiver.on_frame(exact.data.get(), exact.size);
    return {receiver.counters(), handler.delivered};
}

std::vector<uint8_t> good_frame() {
    return frame_of(mold_payload("S1", 1, {add_order_bytes(1), add_order_bytes(2)}));
}

// Expects `frame` to be counted under `reason` and to deliver nothing.
void expect_rejected(const std::vector<uint8_t>& frame, feed_event reason) {
    const decode_outcome out = receive(frame);
    EXPECT_EQ(out.counters[reason], 1u) << feed_event_names[static_cast<uint32_t>(reason)];
    EXPECT_EQ(out.counters[feed_event::message_decoded], 0u);
    EXPECT_TRUE(out.delivered.empty());
    EXPECT_EQ(out.counters.frames, 1u);
}

TEST(FrameDecoder, GoodFrameDecodes) {
    const decode_outcome out = receive(good_frame());
    EXPECT_EQ(out.counters[feed_event::frame_accepted], 1u);
    EXPECT_EQ(out.counters[feed_event::datagram_accepted], 1u);
    EXPECT_EQ(out.counters[feed_event::message_decoded], 2u);
    EXPECT_EQ(out.counters.malformed_total(), 0u);
    ASSERT_EQ(out.delivered.size(), 2u);
    EXPECT_EQ(out.delivered[1].sequence, 2u);
}

TEST(FrameDecoder, VlanAndQinQTagsAreAccepted) {
    EXPECT_EQ(receive(frame_of(mold_payload("S1", 1, {add_order_bytes(1)}), 141))
                  .counters[feed_event::message_decoded],
              1u);
    auto tagged = frame_of(mold_payload("S1", 1, {add_order_bytes(1)}), 141);
    // Wrap in an outer 802.1ad tag: two tags in all.
    const uint8_t outer[4] = {0x88, 0xa8, 0x00, 0x05};
    tagged.insert(tagged.begin() + 12, outer, outer + 4);
    EXPECT_EQ(receive(tagged).counters[feed_event::message_decoded], 1u);
}

TEST(FrameDecoder, EthernetPaddingAfterIpIsIgnored) {
    auto frame = good_frame();
    frame.resize(frame.size() + 6, 0);
    EXPECT_EQ(receive(frame).counters[feed_event::message_decoded], 2u);
}

TEST(FrameDecoder, ShortFrames) {
    const auto good = good_frame();
    for (uint32_t n : {0u, 1u, 13u}) {
        expect_rejected(std::vector<uint8_t>(good.begin(), good.begin() + n),
                        feed_event::malformed_ethernet_short);
    }
    auto tagged = frame_of(mold_payload("S1", 1, {}), 141);
    tagged.resize(16);  // the tag itself is cut
    expect_rejected(tagged, feed_event::malformed_ethernet_short);
    auto cut = good_frame();
    cut.resize(ip + 10);  // inside the IPv4 header
    expect_rejected(cut, feed_event::malformed_ip_header_length);
}

TEST(FrameDecoder, OtherTrafficIsNotMalformed) {
    auto arp = good_frame();
    hypertick::base::store_be16(arp.data() + 12, 0x0806);
    expect_rejected(arp, feed_event::frame_not_ipv4);
    auto igmp = good_frame();
    igmp[ip + 9] = 2;
    expect_rejected(igmp, feed_event::frame_not_udp);
    EXPECT_EQ(receive(arp).counters.malformed_total(), 0u);
}

TEST(FrameDecoder, BadIpv4Headers) {
    auto version = good_frame();
    version[ip] = 0x65;
    expect_rejected(version, feed_event::malformed_ip_version);
    auto ihl_small = good_frame();
    ihl_small[ip] = 0x44;
    expect_rejected(ihl_small, feed_event::malformed_ip_header_length);
    auto ihl_past = frame_of(mold_payload("S1", 1, {}));
    ihl_past[ip] = 0x4f;  // 60-byte header in a 62-byte frame's 48 bytes of IP
    ihl_past.resize(ip + 48);
    expect_rejected(ihl_past, feed_event::malformed_ip_header_length);
    auto total_small = good_frame();
    hypertick::base::store_be16(total_small.data() + ip + 2, 19);
    expect_rejected(total_small, feed_event::malformed_ip_total_length);
    auto total_past = good_frame();
    hypertick::base::store_be16(total_past.data() + ip + 2,
                                static_cast<uint16_t>(total_past.size() - ip + 1));
    expect_rejected(total_past, feed_event::malformed_ip_total_length);
}

TEST(FrameDecoder, FragmentsAreDropped) {
    auto more_fragments = good_frame();
    hypertick::base::store_be16(more_fragments.data() + ip + 6, 0x2000);
    expect_rejected(more_fragments, feed_event::ip_fragment);
    auto offset = good_frame();
    hypertick::base::store_be16(offset.data() + ip + 6, 0x0010);
    expect_rejected(offset, feed_event::ip_fragment);
}

TEST(FrameDecoder, BadUdpLengths) {
    auto too_small = good_frame();
    hypertick::base::store_be16(too_small.data() + udp + 4, 7);
    expect_rejected(too_small, feed_event::malformed_udp_length);
    auto too_large = good_frame();
    hypertick::base::store_be16(too_large.data() + udp + 4,
                                static_cast<uint16_t>(too_large.size() - udp + 1));
    expect_rejected(too_large, feed_event::malformed_udp_length);
    auto no_room = good_frame();
    hypertick::base::store_be16(no_room.data() + ip + 2,
                                24);  // IP payload of 4 bytes: no UDP header fits
    expect_rejected(no_room, feed_event::malformed_udp_length);
}

TEST(FrameDecoder, FilterOnGroupAndPort) {
    const auto frame = good_frame();
    const frame_address address;
    EXPECT_EQ(receive(frame, {address.group, address.port}).counters[feed_event::message_decoded],
              2u);
    EXPECT_EQ(receive(frame, {address.group, 0}).counters[feed_event::message_decoded], 2u);
    EXPECT_EQ(receive(frame, {address.group + 1, 0}).counters[feed_event::frame_filtered], 1u);
    EXPECT_EQ(receive(frame, {0, static_cast<uint16_t>(address.port + 1)})
                  .counters[feed_event::frame_filtered],
              1u);
}

// Shrinks the UDP payload to `length` bytes, fixing the IPv4 and UDP lengths to match.
std::vector<uint8_t> with_udp_payload_length(std::vector<uint8_t> frame, uint32_t length) {
    frame.resize(mold + length);
    hypertick::base::store_be16(
        frame.data() + ip + 2,
        static_cast<uint16_t>(ipv4_header_length_min + udp_header_length + length));
    hypertick::base::store_be16(frame.data() + udp + 4,
                                static_cast<uint16_t>(udp_header_length + length));
    return frame;
}

TEST(FrameDecoder, MoldHeaderShort) {
    expect_rejected(with_udp_payload_length(good_frame(), 19),
                    feed_event::malformed_mold_header_short);
    expect_rejected(with_udp_payload_length(good_frame(), 0),
                    feed_event::malformed_mold_header_short);
}

TEST(FrameDecoder, CountPastDatagramKeepsTheMessagesBeforeIt) {
    auto frame = good_frame();
    hypertick::base::store_be16(frame.data() + mold + 18, 3);  // claims 3, carries 2
    const decode_outcome out = receive(frame);
    EXPECT_EQ(out.counters[feed_event::malformed_mold_count_overrun], 1u);
    EXPECT_EQ(out.counters[feed_event::message_decoded], 2u);
    // A length prefix running past the end: the first message stands, the second is cut.
    auto prefix = good_frame();
    const uint32_t second = mold + 20 + 2 + add_order::length;
    hypertick::base::store_be16(prefix.data() + second, add_order::length + 1);
    const decode_outcome cut = receive(prefix);
    EXPECT_EQ(cut.counters[feed_event::malformed_mold_count_overrun], 1u);
    EXPECT_EQ(cut.counters[feed_event::message_decoded], 1u);
    // A prefix cut in half at the very end.
    auto half = with_udp_payload_length(good_frame(), 20 + 2 + add_order::length + 1);
    const decode_outcome half_out = receive(half);
    EXPECT_EQ(half_out.counters[feed_event::malformed_mold_count_overrun], 1u);
    EXPECT_EQ(half_out.counters[feed_event::message_decoded], 1u);
}

TEST(FrameDecoder, TrailingBytesAfterTheLastMessage) {
    auto frame = good_frame();
    hypertick::base::store_be16(frame.data() + mold + 18, 1);  // claims 1, carries 2
    const decode_outcome out = receive(frame);
    EXPECT_EQ(out.counters[feed_event::malformed_mold_trailing_bytes], 1u);
    EXPECT_EQ(out.counters[feed_event::message_decoded], 1u);
}

TEST(FrameDecoder, MessageShorterThanItsTypeIsSkippedOthersDecode) {
    auto short_add = add_order_bytes(1);
    short_add.resize(20);
    const std::vector<uint8_t> empty;
    const decode_outcome out =
        receive(frame_of(mold_payload("S1", 1, {short_add, empty, add_order_bytes(2)})));
    EXPECT_EQ(out.counters[feed_event::malformed_message_too_short], 2u);
    EXPECT_EQ(out.counters[feed_event::message_decoded], 1u);
    EXPECT_EQ(out.counters[feed_event::datagram_accepted], 1u);
    ASSERT_EQ(out.delivered.size(), 1u);
    EXPECT_EQ(out.delivered[0].sequence, 3u);
}

TEST(FrameDecoder, UnknownTypeSkippedByLength) {
    const std::vector<uint8_t> future = {'~', 0, 1, 0, 2, 9, 9, 9, 9, 9, 9, 42, 43};
    const decode_outcome out =
        receive(frame_of(mold_payload("S1", 1, {future, add_order_bytes(2)})));
    EXPECT_EQ(out.counters[feed_event::message_unknown_type], 1u);
    EXPECT_EQ(out.counters[feed_event::message_decoded], 1u);
    EXPECT_EQ(out.counters.malformed_total(), 0u);
}

TEST(FrameDecoder, SequenceOverflowIsRejected) {
    auto frame = good_frame();
    hypertick::base::store_be64(frame.data() + mold + 10, ~uint64_t{0});
    expect_rejected(frame, feed_event::malformed_mold_sequence_overflow);
}

// Every prefix of a good frame, and every single-byte corruption of it, is handled without a
// read past the end (ASan) and with consistent counters.
TEST(FrameDecoder, EveryTruncationAndByteFlipIsSafe) {
    const auto frame =
        frame_of(mold_payload("S1", 7, {add_order_bytes(1), add_order_bytes(2), {'~', 1}}), 141);
    recording_handler handler;
    feed_receiver<recording_handler> receiver(handler, {});
    for (uint32_t n = 0; n <= frame.size(); ++n) {
        const exact_buffer exact(std::vector<uint8_t>(frame.begin(), frame.begin() + n));
        receiver.on_frame(exact.data.get(), exact.size);
    }
    for (uint32_t i = 0; i < frame.size(); ++i) {
        for (uint8_t flip : {0x01, 0x80, 0xff}) {
            auto damaged = frame;
            damaged[i] ^= flip;
            const exact_buffer exact(damaged);
            receiver.on_frame(exact.data.get(), exact.size);
        }
    }
    const feed_counters& c = receiver.counters();
    uint64_t outcomes = 0;
    for (uint32_t e = 0; e <= static_cast<uint32_t>(feed_event::ip_fragment); ++e)
        outcomes += c.by_event[e];
    for (auto e : {feed_event::malformed_ethernet_short, feed_event::malformed_ip_version,
                   feed_event::malformed_ip_header_length, feed_event::malformed_ip_total_length,
                   feed_event::malformed_udp_length}) {
        outcomes += c[e];
    }
    EXPECT_EQ(outcomes, c.frames);  // every frame has exactly one frame-level outcome
}

}  // namespace
