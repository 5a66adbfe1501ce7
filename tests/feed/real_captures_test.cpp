// Bytes nobody on this project wrote: the public NASDAQ/BX/PSX captures in
// ../shared/data/nasdaq-itch50-captures (see its README). Skipped, saying why, when absent.
#include <gtest/gtest.h>

#include <filesystem>

#include "hypertick/feed/pcap_file.hpp"
#include "test_support.hpp"

namespace {

using namespace feed_test;
namespace fs = std::filesystem;

const fs::path captures_dir = HT_CAPTURES_DIR;

#define SKIP_WITHOUT_CAPTURES()                                            \
    if (!fs::is_directory(captures_dir))                                   \
    GTEST_SKIP() << "real captures not found at " << captures_dir.string() \
                 << " (the shared nasdaq-itch50-captures folder is not beside this clone)"

struct replayed {
    feed_counters counters;
    stream_counters sequencer;
    std::vector<recording_handler::delivered_message> delivered;
    uint32_t frames = 0;
};

replayed replay(const fs::path& file) {
    pcap_reader reader;
    EXPECT_TRUE(reader.open(file.string())) << reader.error();
    recording_handler handler;
    feed_receiver<recording_handler> receiver(handler, {});  // group/port "any": some are zeroed
    pcap_record record;
    replayed out;
    while (reader.next(record)) {
        receiver.on_frame(record.data, record.captured_length);
        ++out.frames;
    }
    EXPECT_TRUE(reader.error().empty()) << reader.error();
    out.counters = receiver.counters();
    out.sequencer = receiver.stream().counters();
    out.delivered = handler.delivered;
    return out;
}

TEST(RealCaptures, EveryFileDecodesWithZeroMalformed) {
    SKIP_WITHOUT_CAPTURES();
    uint32_t files = 0;
    uint64_t messages = 0;
    for (const auto& entry : fs::recursive_directory_iterator(captures_dir)) {
        if (entry.path().extension() != ".pcap") continue;
        SCOPED_TRACE(entry.path().string());
        const replayed r = replay(entry.path());
        ++files;
        EXPECT_GT(r.frames, 0u);
        EXPECT_EQ(r.counters.malformed_total(), 0u);
        EXPECT_EQ(r.counters[feed_event::frame_accepted], r.frames);  // all VLAN tagged
        EXPECT_EQ(r.counters[feed_event::message_unknown_type], 0u);
        EXPECT_GT(r.counters[feed_event::message_decoded], 0u);
        messages += r.counters[feed_event::message_decoded];
    }
    EXPECT_EQ(files, 49u);
    EXPECT_GT(messages, 200u);
}

TEST(RealCaptures, MultiplePacketsKnownFields) {
    SKIP_WITHOUT_CAPTURES();
    const replayed r =
        replay(captures_dir / "Nasdaq.Equities.TotalView.Itch.v5.0" / "Multiple.Packets.pcap");
    // Two datagrams of session 000010059B: one 'D' at 14764496, then 38 adds at 19009117 (a
    // gap in between, as the capture skips ahead).
    ASSERT_EQ(r.delivered.size(), 39u);
    EXPECT_EQ(r.sequencer.packets, 2u);
    EXPECT_EQ(r.sequencer.gaps, 2u);  // from 1 to the first, and between the two
    const auto& d = r.delivered[0];
    EXPECT_EQ(d.sequence, 14764496u);
    const order_delete del{d.bytes.data()};
    EXPECT_EQ(del.type, static_cast<char>(d.bytes[0]));
    EXPECT_EQ(del.stock_locate(), 2737);
    EXPECT_EQ(del.timestamp_ns(), 34200007495351ull);
    EXPECT_EQ(del.order_ref(), 0x1665d6aull);

    const add_order first{r.delivered[1].bytes.data()};
    EXPECT_EQ(r.delivered[1].sequence, 19009117u);
    EXPECT_EQ(first.type, static_cast<char>(r.delivered[1].bytes[0]));
    EXPECT_EQ(first.stock_locate(), 6514);
    EXPECT_EQ(first.timestamp_ns(), 34238952381153ull);
    EXPECT_EQ(first.order_ref(), 7942047u);
    EXPECT_EQ(first.side(), 'B');
    EXPECT_EQ(first.shares(), 1u);
    EXPECT_EQ(first.stock(), "META    ");
    EXPECT_EQ(first.price(), 805200u);

    const add_order last{r.delivered[38].bytes.data()};
    EXPECT_EQ(r.delivered[38].sequence, 19009117u + 37);
    EXPECT_EQ(last.order_ref(), 5325319u);
    EXPECT_EQ(last.side(), 'S');
    EXPECT_EQ(last.price(), 3580000u);
    uint32_t with_mpid = 0;
    for (const auto& m : r.delivered) with_mpid += m.bytes[0] == 'F';
    EXPECT_EQ(with_mpid, 2u);
}

TEST(RealCaptures, AnonymisedVlanCapturesKnownFields) {
    SKIP_WITHOUT_CAPTURES();
    const fs::path dir = captures_dir / "Nasdaq.Equities.TotalView.Itch.v5.0.20230822";
    const replayed replace = replay(dir / "OrderReplace.pcap");
    ASSERT_EQ(replace.delivered.size(), 5u);  // sequence 0 in every frame: all delivered
    EXPECT_EQ(replace.sequencer.unsequenced_packets, 5u);
    const order_replace u{replace.delivered[0].bytes.data()};
    EXPECT_EQ(replace.delivered[0].bytes[0], 'U');
    EXPECT_EQ(u.stock_locate(), 7603);
    EXPECT_EQ(u.timestamp_ns(), 34199999836649ull);
    EXPECT_EQ(u.original_order_ref(), 15108479u);
    EXPECT_EQ(u.new_order_ref(), 21361351u);
    EXPECT_EQ(u.shares(), 100u);
    EXPECT_EQ(u.price(), 1062600u);

    const replayed system = replay(dir / "SystemEvent.pcap");
    ASSERT_EQ(system.delivered.size(), 1u);
    const system_event s{system.delivered[0].bytes.data()};
    EXPECT_EQ(s.stock_locate(), 0);
    EXPECT_EQ(s.event_code(), 'Q');
    EXPECT_EQ(s.timestamp_ns(), 34200000070384ull);

    const replayed cross = replay(dir / "CrossTrade.pcap");
    ASSERT_FALSE(cross.delivered.empty());
    const cross_trade q{cross.delivered[0].bytes.data()};
    EXPECT_EQ(q.stock_locate(), 983);
    EXPECT_EQ(q.stock(), "BAC-Q   ");
    EXPECT_EQ(q.match_number(), 255550u);
    EXPECT_EQ(q.cross_type(), 'O');

    const replayed noii_replay = replay(captures_dir / "Nasdaq.Equities.TotalView.Itch.v5.0" /
                                        "NetOrderImbalanceIndicatorMessage.pcap");
    ASSERT_EQ(noii_replay.delivered.size(), 1u);
    const noii i{noii_replay.delivered[0].bytes.data()};
    EXPECT_EQ(i.stock_locate(), 6462);
    EXPECT_EQ(i.paired_shares(), 1u);
    EXPECT_EQ(i.imbalance_direction(), 'N');
    EXPECT_EQ(i.stock(), "MDC     ");
    EXPECT_EQ(i.far_price(), 464400u);
    EXPECT_EQ(i.cross_type(), 'O');
    EXPECT_EQ(i.price_variation_indicator(), 'L');
}

}  // namespace
