// The gateway under abuse and at its edges: garbage floods, signals under load, bad
// configurations, the zero-allocation proof on worker lcores, hugepages, the command line.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "gateway_harness.hpp"

namespace fs = std::filesystem;
using namespace hypertick::gw::test;

namespace {

// A pcap of random frames: random lengths, random bytes, some with valid Ethernet/IPv4/UDP
// headers in front of random payloads so the MoldUDP64 and ITCH layers get garbage too.
void write_garbage_pcap(const std::string& path, int frames, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::uint32_t header[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
    out.write(reinterpret_cast<const char*>(header), sizeof header);
    for (int i = 0; i < frames; ++i) {
        const std::uint32_t len = 14 + rng() % 1400;
        std::vector<std::uint8_t> f(len);
        for (auto& b : f) b = static_cast<std::uint8_t>(rng());
        if (i % 2 == 0 && len >= 42 + 20) {
            f[12] = 0x08, f[13] = 0x00;  // IPv4
            f[14] = 0x45;                // version 4, IHL 5
            const std::uint32_t ip_len = len - 14;
            f[16] = static_cast<std::uint8_t>(ip_len >> 8),
            f[17] = static_cast<std::uint8_t>(ip_len);
            f[20] = 0x40, f[21] = 0;  // DF, no fragment
            f[23] = 17;               // UDP
            const std::uint32_t udp_len = ip_len - 20;
            f[38] = static_cast<std::uint8_t>(udp_len >> 8),
            f[39] = static_cast<std::uint8_t>(udp_len);
        }
        const std::uint32_t rec[4] = {static_cast<std::uint32_t>(i), 0, len, len};
        out.write(reinterpret_cast<const char*>(rec), sizeof rec);
        out.write(reinterpret_cast<const char*>(f.data()), len);
    }
}

// The number just before `label` in the last line that has it ("... 123 frames,").
std::uint64_t number_before(const std::string& text, const std::string& label) {
    auto at = text.rfind(label);
    if (at == std::string::npos) return 0;
    while (at > 0 && text[at - 1] >= '0' && text[at - 1] <= '9') --at;
    return std::strtoull(text.c_str() + at, nullptr, 10);
}

// The number after the last `label` in `text` (0 when there is none).
std::uint64_t number_after(const std::string& text, const std::string& label) {
    const auto at = text.rfind(label);
    return at == std::string::npos ? 0
                                   : std::strtoull(text.c_str() + at + label.size(), nullptr, 10);
}

}  // namespace

TEST(GatewayRobustness, NetNullFloodIsCountedNotFatal) {
    const std::string dir = scratch_dir();
    test_config c = single_feed_config("rb1");
    c.ports[0].device = "net_null_rb1_flood,size=128";  // an endless stream of 128-byte zero frames
    write_file(dir + "/gw.yaml", c.yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 3");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "stopping: --duration reached")) << r.output;
    // Millions of frames, none of them IPv4: all dropped and counted, nothing decoded.
    const std::uint64_t frames = number_after(r.output, "feed itch: frames ");
    EXPECT_GT(frames, 1'000'000u) << r.output;
    EXPECT_EQ(number_before(r.output, " not IPv4"), frames) << r.output;
    EXPECT_TRUE(contains(r.output, "datagrams 0, messages 0,")) << r.output;
}

TEST(GatewayRobustness, RandomGarbageLoopIsCountedNotFatal) {
    const std::string dir = scratch_dir();
    write_garbage_pcap(dir + "/garbage.pcap", 3000, 42);
    write_file(dir + "/gw.yaml", single_feed_config("rb2").yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
                             "/garbage.pcap --loop --duration 3 --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::uint64_t frames = number_after(r.output, "feed itch: frames ");
    EXPECT_GT(frames, 100'000u) << r.output;
    // Random datagrams are counted: as malformed, or as dropped by the stream (another session,
    // an implausible jump), never applied silently.
    EXPECT_TRUE(!contains(r.output, "malformed 0,") ||
                contains(r.output, "line A: dropped: foreign_session"))
        << "random frames must be counted\n"
        << r.output;
    EXPECT_TRUE(fs::exists(dir + "/snap.json"));
}

TEST(GatewayRobustness, SigtermUnderLoadExitsCleanlyWithTheSnapshot) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 9 --symbols 50 --messages 100000 --empty-at-end", pcap, dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("rb3").yaml());
    const std::string pid_file = dir + "/pid";
    // Looping replay: the worker is busy the whole time the signal arrives. --duration is only a
    // safety net so a lost signal cannot hang the test; the assertion below checks SIGTERM won.
    const std::string command = "sh -c 'echo $$ > " + pid_file + "; exec " + bin("hypertick-gw") +
                                " --config " + dir + "/gw.yaml --replay " + pcap +
                                " --loop --restart-sequence --duration 60 --snapshot " + dir +
                                "/snap.json'";
    std::thread killer([&] {
        // Wait (bounded) for the pid file, then let the gateway run under load before signalling.
        pid_t pid = 0;
        for (int i = 0; i < 300 && pid <= 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            std::ifstream in(pid_file);
            in >> pid;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2500));
        if (pid > 0) ::kill(pid, SIGTERM);
    });
    const run_result r = run(command);
    killer.join();
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "stopping: SIGTERM")) << r.output;
    EXPECT_TRUE(contains(r.output, "hypertick-gw stopped cleanly")) << r.output;
    ASSERT_TRUE(fs::exists(dir + "/snap.json"));
    const run_result j = run("python3 -c \"import json; d=json.load(open('" + dir +
                             "/snap.json')); print(d['feed']['messages'] > 100000)\"");
    EXPECT_EQ(j.output, "True\n") << "the loop replayed the capture more than once";
}

TEST(GatewayRobustness, WorkerLcoresMakeNoHeapCallsAfterStartUp) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 10 --symbols 100 --messages 200000 --drop 0.001", pcap, dir + "/expect.json");
    test_config c = single_feed_config("rb4");
    c.lcores = "0@0,1@1,2@1";
    c.ports = {{"feed0", "net_null_rb4_in", 2, 2, 4095}};
    c.feeds = {{"a", "feed0", 0, 1}, {"b", "feed0", 1, 2}};
    c.publisher_port = "feed0";
    c.extra = "latency:\n  log: " + dir + "/latency.hlog\n  interval_ms: 100\n";
    write_file(dir + "/gw.yaml", c.yaml());
    const run_result r = run(bin("hypertick-gw-counted") + " --config " + dir +
                             "/gw.yaml --replay " + pcap + " --publish-pcap " + dir + "/pub.pcap");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // Counted by the interposed allocator around each worker's whole loop: decode, books,
    // publishing, timers, events, latency recording and interval hand-over included.
    EXPECT_TRUE(contains(r.output, "lcore 1: heap calls after start-up: 0")) << r.output;
    EXPECT_TRUE(contains(r.output, "lcore 2: heap calls after start-up: 0")) << r.output;
    EXPECT_TRUE(contains(r.output, "GAP:")) << "the drops must have exercised the gap alarm\n"
                                            << r.output;
    EXPECT_TRUE(fs::exists(dir + "/latency.hlog"));
}

TEST(GatewayRobustness, StaleFeedIsReportedWhenTheFeedGoesQuiet) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 11 --symbols 4 --messages 2000 --end-of-session 0", pcap,
             dir + "/expect.json");
    test_config c = single_feed_config("rb5");
    c.ports[0].device = "net_pcap_rb5,rx_pcap=" + pcap;  // a daemon run, not --replay: it stays up
    write_file(dir + "/gw.yaml", c.yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 1.5");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "feed itch: STALE: no datagram for")) << r.output;
}

TEST(GatewayCommandLine, BadConfigurationsGiveTheirExactErrors) {
    const std::string dir = scratch_dir();
    // hypertick-gw with `arguments` exits 2 and says `expected`.
    const auto refused = [](const std::string& arguments, const std::string& expected) {
        const run_result r = run(bin("hypertick-gw") + arguments);
        EXPECT_EQ(r.exit_code, 2) << arguments;
        EXPECT_TRUE(contains(r.output, expected)) << arguments << "\n" << r.output;
    };
    write_file(dir + "/typo.yaml", single_feed_config("cl1").yaml() + "worker:\n  max_task: 5\n");
    const std::string typo = dir + "/typo.yaml";
    refused(" --config " + typo + " --check-config", "typo.yaml:");
    refused(" --config " + typo + " --check-config",
            ":3: worker.max_task: unknown key (expected one of: max_tasks,");
    test_config c = single_feed_config("cl2");
    c.feeds[0].lcore = 7;
    write_file(dir + "/lcore.yaml", c.yaml());
    const std::string lcore = dir + "/lcore.yaml";
    refused(" --config " + lcore, "feeds[0].lcore: lcore 7 is not in eal.lcores \"0@0,1@1\"");
    refused(" --config " + dir + "/missing.yaml", "cannot read the configuration");
    refused(" --config " + lcore + " --bogus", "unknown option \"--bogus\"");
    // An option given twice is refused, not the last one silently kept (-c is --config).
    refused(" --config " + lcore + " -c " + typo, "--config is given more than once");
    refused(" --config " + lcore + " --duration 1 --duration 2",
            "--duration is given more than once");
    refused("", "--config FILE is required");
    // --name=VALUE is --name VALUE; a flag given a value, or an empty value, is refused.
    refused(" --config=" + typo + " --check-config", ":3: worker.max_task: unknown key");
    refused(" --config=" + typo + " --check-config=yes",
            "--check-config takes no value, got \"yes\"");
    refused(" --config= --check-config", "--config needs a non-empty value");
    refused(" --config=" + typo + " --config " + typo, "--config is given more than once");
}

TEST(GatewayCommandLine, HelpVersionAndCheckConfig) {
    run_result r = run(bin("hypertick-gw") + " --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(contains(r.output, "--replay CAPTURE")) << r.output;
    r = run(bin("hypertick-gw") + " --version");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(contains(r.output, "hypertick-gw ")) << r.output;
    r = run(bin("hypertick-gw") + " --config " + std::string(HYPERTICK_SOURCE_DIR) +
            "/config/feed.yaml --check-config");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output,
                         "feed nasdaq-itch on lcore 1\n    line A: port feed0 queue 0, group any, "
                         "udp port any, source any\n"))
        << r.output;
}

TEST(GatewayHugepages, RunsOnHugepagesWhenTheHostHasThem) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to use hugepages";
    const run_result free_pages =
        run("cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages");
    if (std::strtoul(free_pages.output.c_str(), nullptr, 10) < 128)
        GTEST_SKIP() << "fewer than 128 free 2 MB hugepages (tools/setup.sh reserves them as root)";
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 12 --symbols 8 --messages 10000", pcap, dir + "/expect.json");
    test_config c = single_feed_config("hp1");
    c.hugepages = "on";
    write_file(dir + "/gw.yaml", c.yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " +
                             pcap + " --snapshot " + dir + "/s.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "hugepages: yes")) << r.output;
    EXPECT_TRUE(contains(r.output, "memory plan (2 MB hugepages)")) << r.output;
    EXPECT_EQ(compare("books", dir + "/s.json", dir + "/expect.json").exit_code, 0);
}

TEST(GatewayHugepages, RefusesToStartWhenRequiredHugepagesAreMissing) {
    const std::string dir = scratch_dir();
    test_config c = single_feed_config("hp2");
    c.hugepages = "on";
    c.extra = "";
    std::string yaml = c.yaml();
    // 512 GiB, the most eal.memory_mb allows: never available as hugepages on a test host.
    yaml.replace(yaml.find("memory_mb: 256"), 14, "memory_mb: 524288");
    write_file(dir + "/gw.yaml", yaml);
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 1");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "eal.hugepages is on but hugepages are not available"))
        << r.output;
}

TEST(GatewayTelemetry, StatsFeedsAndBookQueriesAnswerWhileRunning) {
    const std::string client = "/usr/bin/dpdk-telemetry.py";
    if (!fs::exists(client)) GTEST_SKIP() << client << " is not installed (Debian package dpdk)";
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 13 --symbols 6 --messages 20000 --end-of-session 0", pcap,
             dir + "/expect.json");
    test_config c = single_feed_config("tel1");
    c.feeds[0].name = "itch-a";  // a name with a dash: telemetry keys must still work
    c.ports[0].device = "net_pcap_tel1,rx_pcap=" + pcap;
    write_file(dir + "/gw.yaml", c.yaml());
    std::thread gateway([&] {
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 12 > " + dir +
            "/gw.log");
    });
    // The first symbol of the directory, from the expected books.
    const std::string symbol = run("python3 -c \"import json; print(sorted(json.load(open('" + dir +
                                   "/expect.json'))['books'])[0])\"")
                                   .output;
    const std::string query = "printf '/hypertick/stats\\n/hypertick/feeds\\n/hypertick/book," +
                              symbol.substr(0, symbol.size() - 1) + "\\n' | timeout 10 " + client +
                              " -f tel1";
    // Ask until the gateway is up and has consumed its capture (bounded: a loaded machine may
    // take a few seconds to start EAL), then check the answers.
    run_result r;
    for (int attempt = 0; attempt < 20; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        r = run(query);
        if (contains(r.output, "\"messages\": 20000") && contains(r.output, "\"found\": 1")) break;
    }
    gateway.join();
    EXPECT_TRUE(contains(r.output, "\"/hypertick/stats\": {\"lcore1\": {\"rx_packets\""))
        << r.output;
    EXPECT_TRUE(contains(r.output, "\"itch_a\": {\"name\": \"itch-a\"")) << r.output;
    EXPECT_TRUE(contains(r.output, "\"messages\": 20000")) << r.output;
    EXPECT_TRUE(contains(r.output, "\"found\": 1")) << r.output;
    EXPECT_TRUE(contains(r.output, "\"bid_price\": [")) << r.output;
    EXPECT_TRUE(
        contains(r.output, "\"price_unit\": \"0.0001 (ITCH Price(4): 4 implied decimals)\""))
        << r.output;
}

// More tasks than worker.max_tasks: the spawner's own failure is reported, and the run stops
// before launch.
TEST(GatewayRobustness, TooFewTaskSlotsAreReportedBeforeLaunch) {
    const std::string dir = scratch_dir();
    test_config c = single_feed_config("rb9");
    c.ports.clear();
    c.feeds.clear();
    for (int i = 0; i < 6; ++i) {
        const std::string n = std::to_string(i);
        c.ports.push_back({"in" + n, "net_null_rb9_in" + n, 1, 1, 1023});
        c.feeds.push_back({"f" + n, "in" + n});
    }
    c.ports.push_back({"pub0", "net_null_rb9_out", 1, 1, 1023});
    std::string yaml = c.yaml() + "worker:\n  max_tasks: 16\n";
    // Six feeds' books (about 73 MiB each) and seven pools: a 475 MiB plan.
    yaml.replace(yaml.find("memory_mb: 256"), 14, "memory_mb: 512");
    write_file(dir + "/gw.yaml", yaml);
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 1");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(
        r.output, "a worker task could not be spawned (task slab full): raise worker.max_tasks"))
        << r.output;
}
