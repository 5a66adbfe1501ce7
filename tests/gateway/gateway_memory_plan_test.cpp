// The start-up memory plan against what DPDK actually made: hypertick-gw compares every mempool
// (mbufs and bytes per mbuf as DPDK laid them out), every worker's books, hold windows, latency
// histograms, executor and event ring with the plan before launch, and stops (exit 1) on a
// difference. These runs cover a publishing feed and a recovery feed without a publisher.
// A plan larger than eal.memory_mb is refused before EAL starts, and a budget just holding the
// plan starts, with and without hugepages.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "gateway_harness.hpp"

using namespace hypertick::gw::test;

namespace {

std::string plan_line(const std::string& output, const std::string& start) {
    const std::size_t at = output.find(start);
    if (at == std::string::npos) return "";
    return output.substr(at, output.find('\n', at) - at);
}

// single_feed_config with eal.memory_mb set and, unless empty, eal.hugepages.
std::string budget_config(const std::string& prefix, unsigned memory_mb,
                          const std::string& hugepages = "") {
    test_config c = single_feed_config(prefix);
    if (!hugepages.empty()) c.hugepages = hugepages;
    std::string y = c.yaml();
    y.replace(y.find("memory_mb: 256"), 14, "memory_mb: " + std::to_string(memory_mb));
    return y;
}

// The value the refusal says to raise eal.memory_mb to; 0 when it says none.
unsigned raise_to(const std::string& output) {
    const std::string says = "raise eal.memory_mb to at least ";
    const std::size_t at = output.find(says);
    return at == std::string::npos ? 0
                                   : static_cast<unsigned>(std::strtoul(
                                         output.c_str() + at + says.size(), nullptr, 10));
}

unsigned free_hugepages() {
    std::ifstream in("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages");
    unsigned pages = 0;
    in >> pages;
    return pages;
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

// The plan of single_feed_config (books for 4096 symbols and 262,144 orders, pools, histograms)
// is larger than 64 MiB: the gateway says so before EAL starts, naming the plan, its largest
// part, the budget and the value that holds it, under --check-config and when it would run.
TEST(GatewayMemoryPlan, PlanAboveTheBudgetIsRefusedBeforeEal) {
    const std::string dir = scratch_dir();
    write_file(dir + "/gw.yaml", budget_config("mp5", 64));
    for (const std::string mode : {" --check-config", ""}) {
        const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml" + mode);
        EXPECT_EQ(r.exit_code, 2) << mode << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, "hypertick-gw: eal.memory_mb: the memory plan needs "))
            << r.output;
        EXPECT_TRUE(contains(r.output, "(books, hold windows and copy rings ")) << r.output;
        EXPECT_TRUE(contains(r.output, "but eal.memory_mb is 64 MiB")) << r.output;
        EXPECT_GT(raise_to(r.output), 64u) << r.output;
        EXPECT_FALSE(contains(r.output, "EAL: ")) << r.output;  // refused before EAL's arguments
    }
}

// The budget the refusal names is enough: one MiB less is refused, that value runs a replay
// over --no-huge 4 KiB pages and, when enough are free, over hugepages.
TEST(GatewayMemoryPlan, BudgetJustHoldingThePlanStarts) {
    const std::string dir = scratch_dir();
    itch_gen("--seed 8 --symbols 4 --messages 2000", dir + "/feed.pcap", dir + "/expect.json");
    write_file(dir + "/small.yaml", budget_config("mp6", 64));
    const unsigned needed = raise_to(
        run(bin("hypertick-gw") + " --config " + dir + "/small.yaml --check-config").output);
    ASSERT_GT(needed, 64u);
    write_file(dir + "/short.yaml", budget_config("mp6", needed - 1));
    const run_result short_by_one =
        run(bin("hypertick-gw") + " --config " + dir + "/short.yaml --check-config");
    EXPECT_EQ(short_by_one.exit_code, 2) << short_by_one.output;
    EXPECT_EQ(raise_to(short_by_one.output), needed) << short_by_one.output;

    write_file(dir + "/no-huge.yaml", budget_config("mp6", needed, "off"));
    const run_result no_huge = run(bin("hypertick-gw") + " --config " + dir +
                                   "/no-huge.yaml --replay " + dir + "/feed.pcap");
    ASSERT_EQ(no_huge.exit_code, 0) << no_huge.output;
    EXPECT_TRUE(contains(no_huge.output, "--no-huge, 4 KiB pages")) << no_huge.output;

    if (free_hugepages() < needed / 2 + 1)
        GTEST_SKIP() << "fewer than " << needed / 2 + 1
                     << " free 2 MB hugepages: the hugepage run cannot be tried here";
    write_file(dir + "/huge.yaml", budget_config("mp6", needed, "on"));
    const run_result huge =
        run(bin("hypertick-gw") + " --config " + dir + "/huge.yaml --replay " + dir + "/feed.pcap");
    ASSERT_EQ(huge.exit_code, 0) << huge.output;
    EXPECT_TRUE(contains(huge.output, "memory plan (2 MB hugepages)")) << huge.output;
}
