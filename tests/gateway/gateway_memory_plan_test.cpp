// The start-up memory plan against what DPDK actually made: hypertick-gw compares every mempool
// (mbufs and bytes per mbuf as DPDK laid them out), every worker's books, hold windows, latency
// histograms, executor and event ring with the plan before launch, and stops (exit 1) on a
// difference. These runs cover a publishing feed and a recovery feed without a publisher.
#include <gtest/gtest.h>

#include "gateway_harness.hpp"

using namespace hypertick::gw::test;

namespace {

std::string plan_line(const std::string& output, const std::string& start) {
    const std::size_t at = output.find(start);
    if (at == std::string::npos) return "";
    return output.substr(at, output.find('\n', at) - at);
}

}  // namespace

TEST(GatewayMemoryPlan, PublishingFeedAllocatesWhatThePlanSays) {
    const std::string dir = scratch_dir();
    itch_gen("--seed 5 --symbols 4 --messages 2000", dir + "/feed.pcap", dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("mp1").yaml());
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir + "/feed.pcap");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_FALSE(contains(r.output, "memory plan differs")) << r.output;
    EXPECT_TRUE(contains(r.output, "checked against what was made")) << r.output;
    EXPECT_TRUE(contains(plan_line(r.output, "mempool ht_rx_feed0"), " 4095 mbufs x 2368 B"))
        << r.output;
    const std::string lcore = plan_line(r.output, "lcore 1 (socket ");
    EXPECT_TRUE(contains(lcore, "TX pool 2047 mbufs")) << r.output;
    EXPECT_FALSE(contains(lcore, "latency histograms 0 KiB")) << r.output;
}

// EAL's -n changes how DPDK pads every mbuf (to a number of cache lines sharing no factor with
// the channels): the plan follows it, so the allocation check still agrees and start-up goes on.
TEST(GatewayMemoryPlan, MemoryChannelsFromExtraArgsChangeThePlannedMbuf) {
    const std::string dir = scratch_dir();
    itch_gen("--seed 7 --symbols 4 --messages 2000", dir + "/feed.pcap", dir + "/expect.json");
    test_config c = single_feed_config("mp3");
    c.ports[0].max_frame_bytes = 1472;  // 28 cache lines: padded to 29 for 4 channels, not for 3
    std::string y = c.yaml();
    y.replace(y.find("  log_level: error\n"), 19,
              "  log_level: error\n  extra_args: [\"-n\", \"3\"]\n");
    write_file(dir + "/gw.yaml", y);
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir + "/feed.pcap");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_FALSE(contains(r.output, "memory plan differs")) << r.output;
    EXPECT_TRUE(contains(plan_line(r.output, "mempool ht_rx_feed0"), " 4095 mbufs x 1792 B"))
        << r.output;
}

TEST(GatewayMemoryPlan, RecoveryWithoutPublisherAllocatesWhatThePlanSays) {
    const std::string dir = scratch_dir();
    itch_gen("--seed 6 --symbols 4 --messages 2000", dir + "/A.pcap", dir + "/A.json");
    std::string y = two_line_config(
        "mp2",
        "    recovery: {port: rr0, server_ip: 127.0.0.1, server_port: 26500, source_ip: 127.0.0.2, "
        "source_port: 26501}\n");
    y.replace(y.find("publisher:\n  port: pub0\n"), 24, "publisher:\n  enabled: false\n");
    // The re-request port reads an empty capture (net_null would receive without end).
    write_empty_pcap(dir + "/empty.pcap");
    y.replace(y.find("ports:\n"), 7,
              "ports:\n  - {name: rr0, device: \"net_pcap_mp2_rr,rx_pcap=" + dir +
                  "/empty.pcap,tx_pcap=" + dir +
                  "/requests.pcap\", mempool_mbufs: 1023, mempool_cache: 64}\n");
    write_file(dir + "/gw.yaml", y);
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
                             "/A.pcap --replay-b " + dir + "/A.pcap");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_FALSE(contains(r.output, "memory plan differs")) << r.output;
    const std::string lcore = plan_line(r.output, "lcore 1 (socket ");
    EXPECT_TRUE(contains(lcore, "TX pool 2047 mbufs")) << r.output;  // the re-requests' pool
    EXPECT_FALSE(contains(lcore, "hold windows 0 KiB")) << r.output;
}
