// Replays through the real binary over DPDK's net_pcap device: the snapshot must equal the books
// itch_gen built itself (without the gateway's book code), under every kind of feed trouble.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway_harness.hpp"

namespace fs = std::filesystem;
using namespace hypertick::gw::test;

namespace {

// Generates a capture, replays it, and compares the snapshot with itch_gen's expectation.
// Returns the snapshot's path.
std::string replay_and_compare(const std::string& prefix, const std::string& gen_args,
                               int max_frame_bytes = 2048, const std::string& books_extra = "") {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap", expect = dir + "/expect.json",
                      snap = dir + "/snapshot.json";
    itch_gen(gen_args, pcap, expect);
    test_config c = single_feed_config(prefix);
    c.ports[0].max_frame_bytes = max_frame_bytes;
    c.books_extra = books_extra;
    write_file(dir + "/gw.yaml", c.yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " +
                             pcap + " --snapshot " + snap);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "stopping: end of replay")) << r.output;
    const run_result same = compare("books", snap, expect);
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
    return snap;
}

}  // namespace

TEST(GatewayReplay, SmallFeedManyMessagesPerDatagram) {
    replay_and_compare("rp1", "--seed 1 --symbols 8 --messages 20000 --per-packet 40");
}

TEST(GatewayReplay, OneMessagePerDatagramWithHeartbeats) {
    replay_and_compare(
        "rp2", "--seed 2 --symbols 32 --messages 30000 --per-packet 1 --heartbeat-every 50");
}

TEST(GatewayReplay, ManySymbolsJumboDatagrams) {
    replay_and_compare(
        "rp3", "--seed 3 --symbols 500 --messages 150000 --per-packet 200 --mtu 9000", 9216);
}

// books.level_prefetch_books: 1 runs both level prefetch stages from the second book on, which
// the derived default (hundreds of books) leaves off on a file this size: the books stay exact
// through datagram-sized bursts and their flushes, and the snapshot says the stages ran.
TEST(GatewayReplay, LevelPrefetchesFromTheSecondBookKeepTheBooksExact) {
    const std::string snap =
        replay_and_compare("rp9", "--seed 9 --symbols 64 --messages 60000 --per-packet 5", 2048,
                           "  level_prefetch_books: 1\n");
    std::ifstream file(snap);
    std::stringstream text;
    text << file.rdbuf();
    EXPECT_TRUE(contains(text.str(), "\"level_prefetch\": {\"books\": 1, \"on\": true}"))
        << text.str().substr(0, 400);
}

TEST(GatewayReplay, JumboFramesBeyondTheBufferAreDroppedAndCounted) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 3 --symbols 50 --messages 20000 --per-packet 200 --mtu 9000", pcap,
             dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("rp9").yaml());
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + pcap);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // Frames over the 2048-byte buffers are cut by net_pcap (a NIC drops them and counts
    // ierrors): the decoder rejects every cut frame as malformed, reads nothing past the buffer,
    // and the sequencer reports the messages they carried as a gap.
    EXPECT_TRUE(contains(r.output, "malformed 100,")) << r.output;
    EXPECT_TRUE(contains(r.output, "GAP: 20000 message(s) missing from sequence 1")) << r.output;
}

TEST(GatewayReplay, GapsDuplicatesReorderingAndDamagedFrames) {
    replay_and_compare(
        "rp4",
        "--seed 4 --symbols 40 --messages 80000 --drop 0.01 --duplicate 0.01 --reorder 0.01 "
        "--truncate 0.005 --corrupt 0.005");
}

TEST(GatewayReplay, VlanTaggedFeedEndingWithEmptyBooks) {
    replay_and_compare("rp5", "--seed 5 --symbols 16 --messages 40000 --vlan 141 --empty-at-end");
}

TEST(GatewayReplay, TwoWorkerLcoresEachWithItsOwnFeed) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap", expect = dir + "/expect.json",
                      snap = dir + "/snapshot.json";
    itch_gen("--seed 6 --symbols 24 --messages 50000", pcap, expect);
    test_config c;
    c.prefix = "rp6";
    c.lcores = "0@0,1@1,2@1";  // two worker lcores sharing this machine's second CPU
    c.ports = {{"feed0", "net_null_rp6_in", 2, 2, 4095}};
    c.feeds = {{"line1", "feed0", 0, 1}, {"line2", "feed0", 1, 2}};
    c.publisher_port = "feed0";  // two workers: TX queues 0 and 1
    write_file(dir + "/gw.yaml", c.yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " +
                             pcap + " --snapshot " + snap + " --publish-pcap " + dir + "/pub.pcap");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "lcore 1: worker running")) << r.output;
    EXPECT_TRUE(contains(r.output, "lcore 2: worker running")) << r.output;
    // Each RX queue replays the whole capture: each feed's books match on their own.
    EXPECT_EQ(compare("books", snap, expect).exit_code, 0) << compare("books", snap, expect).output;
    const std::string second = dir + "/snapshot.line2.json";
    ASSERT_TRUE(fs::exists(second)) << r.output;
    EXPECT_EQ(compare("books", second, expect).exit_code, 0)
        << compare("books", second, expect).output;
    // Each worker published on its own TX queue (its own file); both decode cleanly.
    for (const std::string& pub : {dir + "/pub.pcap", dir + "/pub.pcap.1"}) {
        const run_result d = run(bin("bbo_dump") + " --quiet " + pub);
        EXPECT_EQ(d.exit_code, 0) << d.output;
        EXPECT_EQ(bbo_dump_count(d.output, "publishers"), 1) << d.output;
        EXPECT_EQ(bbo_dump_count(d.output, "sequence gaps"), 0) << d.output;
        EXPECT_EQ(bbo_dump_count(d.output, "malformed"), 0) << d.output;
    }
}

TEST(GatewayReplay, PublishedTopOfBookDecodesToTheFinalBooks) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap", expect = dir + "/expect.json",
                      snap = dir + "/snapshot.json";
    itch_gen("--seed 7 --symbols 30 --messages 60000", pcap, expect);
    write_file(dir + "/gw.yaml", single_feed_config("rp7").yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " +
                             pcap + " --snapshot " + snap + " --publish-pcap " + dir + "/pub.pcap");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const run_result d =
        run("{ " + bin("bbo_dump") + " --final " + dir + "/pub.pcap > " + dir + "/final.json; }");
    ASSERT_EQ(d.exit_code, 0) << d.output;
    EXPECT_EQ(bbo_dump_count(d.output, "sequence gaps"), 0) << d.output;
    EXPECT_EQ(bbo_dump_count(d.output, "malformed"), 0) << d.output;
    // Record by record: a header line, then decimal prices and clock times beside the ns.
    const run_result rows = run(bin("bbo_dump") + " " + dir + "/pub.pcap");
    ASSERT_EQ(rows.exit_code, 0) << rows.output;
    EXPECT_EQ(rows.output.rfind("pub  datagram symbol", 0), 0u) << rows.output.substr(0, 400);
    // (grep -E, not std::regex: g++ 12 warns inside <regex> under the sanitizer preset)
    const run_result row = run(bin("bbo_dump") + " " + dir +
                               "/pub.pcap | grep -cE '^ +[0-9]+ +[0-9]+ [^ ]+ +[0-9]+ +[0-9]+ "
                               "[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{9} +[0-9]+[.][0-9]{4} '");
    EXPECT_NE(row.output, "0\n") << rows.output.substr(0, 400);
    const run_result c = compare("bbo", dir + "/final.json", snap);
    EXPECT_EQ(c.exit_code, 0) << c.output;
    EXPECT_EQ(compare("books", snap, expect).exit_code, 0);
}

TEST(GatewayReplay, RealNasdaqCapturesDecodeCleanly) {
    const fs::path data = HYPERTICK_CAPTURES_DIR;
    if (!fs::is_directory(data)) GTEST_SKIP() << "the real captures are not here: " << data;
    const std::string dir = scratch_dir();
    // The excerpts skip millions of numbers between datagrams (Multiple.Packets: 14764496, then
    // 19009117): allow such jumps, which a live line would hold back until confirmed.
    std::string yaml = single_feed_config("rp8").yaml();
    yaml.replace(yaml.find("    udp_port: any\n"), 18,
                 "    udp_port: any\n    max_sequence_jump: 100000000\n");
    write_file(dir + "/gw.yaml", yaml);
    int replayed = 0;
    for (const char* name :
         {"Nasdaq.Equities.TotalView.Itch.v5.0/Multiple.Packets.pcap",
          "Nasdaq.Equities.TotalView.Itch.v5.0.20230822/AddOrderWithMPID.pcap",
          "Bx.Equities.TotalView.Itch.v5.0.20230822/OrderExecutedWithPriceMessage.pcap",
          "Psx.Equities.TotalView.Itch.v5.0.20230822/TradeMessageNon-cross.pcap"}) {
        const fs::path capture = data / name;
        ASSERT_TRUE(fs::exists(capture)) << capture;
        const std::string snap = dir + "/snap" + std::to_string(replayed++) + ".json";
        const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " +
                                 capture.string() + " --snapshot " + snap);
        ASSERT_EQ(r.exit_code, 0) << r.output;
        EXPECT_TRUE(contains(r.output, "malformed 0, filtered 0, unknown_types 0")) << name << "\n"
                                                                                    << r.output;
        EXPECT_TRUE(fs::exists(snap));
    }
    // Multiple.Packets: a D, then one datagram of 36 A and 2 F (real NASDAQ bytes).
    const run_result r = run("python3 -c \"import json; f=json.load(open('" + dir +
                             "/snap0.json'))['feed']; print(f['packets'], f['messages'])\"");
    EXPECT_EQ(r.output, "2 39\n");
}

// The .hlog a replay writes decodes with hdr-histogram-js (an independent
// implementation) to the same counts and percentiles hdr_report prints, tag by tag.
TEST(GatewayReplay, LatencyLogOfAReplayReadsTheSameInHdrHistogramJs) {
    const std::string hdr_js = std::string(HYPERTICK_SOURCE_DIR) + "/tools/hdr-js";
    if (run("node --version").exit_code != 0)
        GTEST_SKIP() << "node is not installed (tools/setup.sh installs it)";
    if (!fs::exists(hdr_js + "/node_modules/hdr-histogram-js/package.json"))
        GTEST_SKIP() << "hdr-histogram-js is not installed in " << hdr_js
                     << " (tools/setup.sh installs it)";
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 14 --symbols 40 --messages 100000", pcap, dir + "/expect.json");
    test_config c = single_feed_config("rp10");
    c.extra = "latency:\n  interval_ms: 20\n";
    write_file(dir + "/gw.yaml", c.yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " +
                             pcap + " --latency-log " + dir + "/latency.hlog");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const run_result js =
        run("node " + std::string(HYPERTICK_SOURCE_DIR) + "/tests/stats/js/decode_hlog.js " +
            hdr_js + " " + dir + "/latency.hlog " + dir + "/js-distribution.txt");
    ASSERT_EQ(js.exit_code, 0) << js.output;
    // hdr_report --summary --csv --all: a header line, then tag,count,p50,...,max in integer
    // nanoseconds, a row per tag and the "all" row, as the JS script prints them.
    const run_result ours =
        run(bin("hdr_report") + " --summary --csv --all " + dir + "/latency.hlog");
    ASSERT_EQ(ours.exit_code, 0) << ours.output;
    EXPECT_EQ(ours.output.substr(ours.output.find('\n') + 1), js.output);
    // One rx_to_book sample per message the books apply (order messages and directory
    // entries), counted independently from the capture.
    const run_result applied =
        run("python3 " + std::string(HYPERTICK_SOURCE_DIR) + "/tests/gateway/forge_feed.py count " +
            pcap + " --types AFECXDUR");
    ASSERT_EQ(applied.exit_code, 0) << applied.output;
    const std::string count = applied.output.substr(0, applied.output.find('\n'));
    EXPECT_GT(std::stoul(count), 90000u) << count;
    EXPECT_TRUE(contains(js.output, "lcore1.rx_to_book," + count + ",")) << js.output;
    EXPECT_TRUE(contains(js.output, "lcore1.rx_to_bbo_tx,")) << js.output;
    EXPECT_TRUE(contains(js.output, "lcore1.task_poll,")) << js.output;
}
