// One table of counters (gateway/contract/worker_shared.hpp) and three outputs that read it: DPDK
// telemetry, the final report and the per-second statistics line each carry every counter.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "contract/worker_shared.hpp"
#include "gateway_harness.hpp"

using namespace hypertick::gw::test;
namespace gw = hypertick::gw;

namespace {

// The last line of `text` that contains `marker`.
std::string last_line_with(const std::string& text, const std::string& marker) {
    std::istringstream in(text);
    std::string line, found;
    while (std::getline(in, line))
        if (contains(line, marker)) found = line;
    return found;
}

}  // namespace

TEST(GatewayCounters, TelemetryFinalReportAndPerSecondLineCarryEveryCounter) {
    const std::string client = "/usr/bin/dpdk-telemetry.py";
    if (!std::filesystem::exists(client))
        GTEST_SKIP() << client << " is not installed (Debian package dpdk)";
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 14 --symbols 6 --messages 5000 --end-of-session 0", pcap,
             dir + "/expect.json");
    test_config c = single_feed_config("cnt1");
    c.ports[0].device = "net_pcap_cnt1,rx_pcap=" + pcap;
    write_file(dir + "/gw.yaml", c.yaml());
    std::thread gateway([&] {
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 8 > " + dir +
            "/gw.log");
    });
    const std::string query =
        "printf '/hypertick/stats\\n/hypertick/feeds\\n' | timeout 10 " + client + " -f cnt1";
    run_result telemetry;
    for (int attempt = 0; attempt < 14; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        telemetry = run(query);
        if (contains(telemetry.output, "\"messages\": 5000")) break;
    }
    gateway.join();
    const std::string log = run("cat " + dir + "/gw.log").output;
    const std::string per_second = last_line_with(log, "| stale feeds ");
    const std::string final_lcore =
        last_line_with(log, "lcore 1: " + std::string(gw::worker_counter_table[0].name) + " ");
    const std::string final_feed =
        last_line_with(log, "feed itch: " + std::string(gw::feed_counter_table[0].name) + " ");
    ASSERT_FALSE(per_second.empty()) << log;
    ASSERT_FALSE(final_lcore.empty()) << log;
    ASSERT_FALSE(final_feed.empty()) << log;
    auto check = [&](const char* name, const std::string& final_line) {
        const std::string n = name;
        EXPECT_TRUE(contains(telemetry.output, "\"" + n + "\": "))
            << n << " missing from telemetry\n"
            << telemetry.output;
        EXPECT_TRUE(contains(per_second, " " + n + " "))
            << n << " missing from the per-second line\n"
            << per_second;
        EXPECT_TRUE(contains(final_line, ": " + n + " ") || contains(final_line, ", " + n + " "))
            << n << " missing from the final report\n"
            << final_line;
    };
    for (const auto& counter : gw::worker_counter_table) check(counter.name, final_lcore);
    for (const auto& counter : gw::feed_counter_table) check(counter.name, final_feed);
}
