// hypertick-gw given bad configurations, command lines and network text: every value the loader
// accepts runs, --check-config refuses what the run would (exit 2, the key named, no EAL usage
// text), options that would do nothing are refused, and network text cannot forge log lines.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "gateway/gateway_harness.hpp"

namespace fs = std::filesystem;
using namespace hypertick::gw::test;

namespace {

// A bound on the program's address space, so that reading without a limit would fail fast.
// Not under AddressSanitizer: it reserves terabytes of shadow address space at start-up and
// aborts under any such bound (the bound on the line or file is the program's own, either way).
#if defined(__SANITIZE_ADDRESS__)
constexpr const char* address_space_limit = "";
#else
constexpr const char* address_space_limit = "ulimit -v 4000000; ";
#endif

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// --check-config and a real run both refuse `yaml` with exit 2 and `message`, before EAL.
void expect_refused_alike(const std::string& dir, const std::string& name, const std::string& yaml,
                          const std::string& message) {
    const std::string path = dir + "/" + name + ".yaml";
    write_file(path, yaml);
    for (const char* mode : {" --check-config", " --duration 1"}) {
        const run_result r = run(bin("hypertick-gw") + " --config " + path + mode);
        EXPECT_EQ(r.exit_code, 2) << name << mode << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, message)) << name << mode << "\n" << r.output;
        EXPECT_FALSE(contains(r.output, "EAL: ") || contains(r.output, "Usage:") ||
                     contains(r.output, "rte_eal_init"))
            << name << mode << ": refused before EAL\n"
            << r.output;
    }
}

}  // namespace

TEST(HostileGatewayConfig, CheckConfigRefusesWhatTheRunWouldWithExit2) {
    const std::string dir = scratch_dir();
    const std::string base = single_feed_config("hin1").yaml();
    expect_refused_alike(dir, "symbols",
                         replace_once(base, "max_symbols: 4096", "max_symbols: 65535"),
                         "books.max_symbols: value 65535 is out of range [1, 65534]");
    // Beyond DPDK's RTE_MAX_MEM_MB (524288), rte_eal_init faults walking its memory segments.
    expect_refused_alike(dir, "memory", replace_once(base, "memory_mb: 256", "memory_mb: 1048576"),
                         "eal.memory_mb: value 1048576 is out of range [64, 524288]");
    expect_refused_alike(dir, "loglevel", replace_once(base, "log_level: error", "log_level: loud"),
                         "eal.log_level: unknown log level \"loud\"");
    expect_refused_alike(
        dir, "extra",
        replace_once(base, "log_level: error", "log_level: error\n  extra_args: [\"--bogus\"]"),
        "eal.extra_args[0]: \"--bogus\" is not a DPDK 22.11 EAL option");
    expect_refused_alike(dir, "device",
                         replace_once(base, "device: \"net_null_hin1_in\"", "device: \"\""),
                         "ports[0].device: must not be empty");
    // A CPU this host does not have, and an lcore id beyond DPDK's RTE_MAX_LCORE (128).
    const long cpus = ::sysconf(_SC_NPROCESSORS_CONF);
    const std::string missing_cpu = std::to_string(cpus + 5);
    expect_refused_alike(
        dir, "offline",
        replace_once(base, "lcores: \"0@0,1@1\"", "lcores: \"0@0,1@" + missing_cpu + "\""),
        "eal.lcores: lcore 1 is placed on CPU " + missing_cpu + ", which is not online");
    test_config far = single_feed_config("hin1");
    far.lcores = "0@0,200@0";
    far.feeds[0].lcore = 200;
    expect_refused_alike(dir, "range", far.yaml(),
                         "eal.lcores: lcore 200 is beyond this DPDK's limit (lcore ids 0-127)");
}

TEST(HostileGatewayConfig, FilePrefixesEalCannotUseAreRefusedWithExit2) {
    const std::string dir = scratch_dir();
    const std::string base = single_feed_config("hin9").yaml();
    expect_refused_alike(dir, "slash", replace_once(base, "file_prefix: hin9", "file_prefix: a/b"),
                         "eal.file_prefix: character 2 (0x2f) is not a letter, digit");
    expect_refused_alike(dir, "dots", replace_once(base, "file_prefix: hin9", "file_prefix: .."),
                         "eal.file_prefix: \"..\" is a folder, not a name");
    expect_refused_alike(
        dir, "name_max",
        replace_once(base, "file_prefix: hin9", "file_prefix: " + std::string(242, 'p')),
        "eal.file_prefix: is 242 characters; EAL names hugepage files");
    // The telemetry socket <runtime folder>/<prefix>/dpdk_telemetry.v2 must fit sockaddr_un
    // (107 characters): 90 do not under any runtime folder.
    expect_refused_alike(
        dir, "socket",
        replace_once(base, "file_prefix: hin9", "file_prefix: hin9" + std::string(86, 'q')),
        "eal.file_prefix: the telemetry socket ");
}

TEST(HostileGatewayConfig, AConfigurationThatIsNotAFileOfTextIsRefusedWithoutReadingIt) {
    const std::string dir = scratch_dir();
    const std::string fifo = dir + "/fifo.yaml";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::string large(2 << 20, '#');
    write_file(dir + "/large.yaml", large);
    const std::pair<std::string, std::string> cases[] = {
        {dir, "is a directory, not a regular file"},
        {fifo, "is a FIFO, not a regular file"},
        {"/dev/zero", "is a character device, not a regular file"},
        {dir + "/large.yaml", "is 2097152 bytes, larger than a configuration can be"},
        {dir + "/missing.yaml", "No such file or directory"},
    };
    for (const auto& [path, message] : cases) {
        // Bounded in time and memory: reading a FIFO waits for a writer, /dev/zero never ends.
        const run_result r = run(std::string(address_space_limit) + "timeout 20 " +
                                 bin("hypertick-gw") + " --config " + path + " --check-config");
        EXPECT_EQ(r.exit_code, 2) << path << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, path + ": cannot read the configuration: " + message))
            << path << "\n"
            << r.output;
    }
}

TEST(HostileGatewayCommandLine, VirtualDevicesGivenMoreQueuesThanTheirDriversHaveAreRefused) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 26 --symbols 4 --messages 2000", pcap, dir + "/expect.json");
    // net_pcap and net_ring have at most 16 queues each; 17 made the probe fail ("no DPDK
    // device named") or rte_eth_from_rings refuse, after EAL had started, with exit 1.
    test_config c = single_feed_config("hin10");
    c.ports[0].rx_queues = 17;
    write_file(dir + "/rx.yaml", c.yaml());
    c = single_feed_config("hin10");
    c.ports[1].tx_queues = 17;
    write_file(dir + "/tx.yaml", c.yaml());
    const std::string gw = "timeout 30 " + bin("hypertick-gw") + " --config " + dir;
    const std::pair<std::string, std::string> cases[] = {
        {"/rx.yaml --replay " + pcap,
         "ports[] \"feed0\": 17 RX queues (rx_queues) on a net_pcap device, which has at most 16"},
        {"/rx.yaml --replay " + pcap + " --pace 1m",
         "ports[] \"feed0\": 17 RX queues (rx_queues) on the net_ring device --pace feeds"},
        {"/tx.yaml --replay " + pcap + " --publish-pcap " + dir + "/bbo.pcap",
         "ports[] \"pub0\": 17 TX queues (tx_queues) on a net_pcap device"},
        {"/rx.yaml --replay " + pcap + " --check-config", "ports[] \"feed0\": 17 RX queues"},
    };
    for (const auto& [options, message] : cases) {
        const run_result r = run(gw + options);
        EXPECT_EQ(r.exit_code, 2) << options << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, "hypertick-gw: " + message)) << options << "\n" << r.output;
        EXPECT_FALSE(contains(r.output, "EAL: ")) << options << ": refused before EAL\n"
                                                  << r.output;
    }
}

TEST(HostileGatewayConfig, TheLargestSymbolCountTheLoaderAcceptsRuns) {
    const std::string dir = scratch_dir();
    std::string yaml = single_feed_config("hin2").yaml();
    yaml = replace_once(yaml, "max_symbols: 4096", "max_symbols: 65534");
    yaml = replace_once(yaml, "max_levels_per_side: 256", "max_levels_per_side: 1");
    write_file(dir + "/gw.yaml", yaml);
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 0.5");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "hypertick-gw stopped cleanly")) << r.output;
}

// Books past eal.memory_mb are refused before EAL starts, with the plan's size, the books' share
// of it and the budget that would hold them.
TEST(HostileGatewayConfig, BooksThatDoNotFitMemoryAreNamedWithWhatTheyNeed) {
    const std::string dir = scratch_dir();
    write_file(dir + "/gw.yaml", replace_once(single_feed_config("hin3").yaml(),
                                              "max_orders: 262144", "max_orders: 268435456"));
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 1");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output,
                         "eal.memory_mb: the memory plan needs 16585.5 MiB (books, hold "
                         "windows and copy rings 16561.5 MiB"))
        << r.output;
    EXPECT_TRUE(contains(r.output, "raise eal.memory_mb to at least 16586")) << r.output;
    EXPECT_FALSE(contains(r.output, "worker.max_tasks")) << r.output;
}

// The largest copy ring the loader accepts (2^24 numbers, 256 MiB of socket memory beside the
// hold window) is made, planned and counted like any other, and the feed runs with it.
TEST(HostileGatewayConfig, TheLargestCopyRingTheLoaderAcceptsRuns) {
    const std::string dir = scratch_dir();
    // A 368 MiB plan: eal.memory_mb holds it.
    write_file(dir + "/gw.yaml",
               replace_once(two_line_config("hin5", "    verify_window: 16777216\n"),
                            "memory_mb: 256", "memory_mb: 384"));
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // 65,536 held messages of 64 bytes and 2^24 records of 16 bytes.
    EXPECT_TRUE(contains(r.output, "hold windows and copy rings 266240 KiB")) << r.output;
    EXPECT_TRUE(contains(r.output, "copies of delivered messages: 0 verified")) << r.output;
}

TEST(HostileGatewayConfig, UdpPortWithALeadingZeroIsDecimal) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 22 --symbols 4 --messages 3000 --port 26477", pcap, dir + "/expect.json");
    test_config c = single_feed_config("hin4");
    c.feeds[0].udp_port = "026477";  // octal would be 11583: every datagram filtered out
    write_file(dir + "/gw.yaml", c.yaml());
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + pcap);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "messages 3000,")) << r.output;
}

TEST(HostileGatewayCommandLine, OptionsThatWouldDoNothingAreRefused) {
    const std::string dir = scratch_dir();
    test_config c = single_feed_config("hin5");
    c.publisher_port.clear();
    c.extra = "latency:\n  enabled: false\n";
    write_file(dir + "/gw.yaml", c.yaml());
    // Bounded: an option that is silently ignored leaves the gateway running (net_null never ends).
    const std::string gw = "timeout 20 " + bin("hypertick-gw") + " --config " + dir + "/gw.yaml ";
    const std::pair<std::string, std::string> cases[] = {
        {"--duration nan", "--duration: expected a finite number of seconds"},
        {"--duration inf", "--duration: expected a finite number of seconds"},
        {"--show-symbols 2.5", "--show-symbols: expected a whole number"},
        {"--latency-log " + dir + "/l.hlog", "--latency-log: latency.enabled is false"},
        {"--publish-pcap " + dir + "/p.pcap", "--publish-pcap: the publisher is disabled"},
        {"--replay " + dir + "/a.pcap --replay-b " + dir + "/b.pcap", "--replay-b: no feed"},
    };
    for (const auto& [options, message] : cases) {
        const run_result r = run(gw + options);
        EXPECT_EQ(r.exit_code, 2) << options << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, message)) << options << "\n" << r.output;
    }
}

TEST(HostileGatewayCommandLine, SecondGatewayOnTheSameFilePrefixNamesTheFirst) {
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs root to use hugepages (a shared EAL configuration)";
    const run_result free_pages =
        run("cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages");
    if (std::strtoul(free_pages.output.c_str(), nullptr, 10) < 256)
        GTEST_SKIP() << "fewer than 256 free 2 MB hugepages (tools/setup.sh reserves them as root)";
    const std::string dir = scratch_dir();
    test_config c = single_feed_config("hin6");
    c.hugepages = "on";
    write_file(dir + "/gw.yaml", c.yaml());
    run_result first;
    std::thread running(
        [&] { first = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 6"); });
    // The first holds the prefix once its telemetry socket exists.
    for (int i = 0; i < 100 && !fs::exists("/var/run/dpdk/hin6/dpdk_telemetry.v2"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const run_result second =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 1");
    running.join();
    EXPECT_EQ(first.exit_code, 0) << first.output;
    EXPECT_EQ(second.exit_code, 1) << second.output;
    EXPECT_TRUE(contains(second.output, "another DPDK process (pid ")) << second.output;
    EXPECT_TRUE(contains(second.output, "with eal.file_prefix \"hin6\" is running"))
        << second.output;
    EXPECT_FALSE(contains(second.output, "Success")) << second.output;
}

TEST(HostileGatewayNetworkText, SessionNameCannotForgeALogLine) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 23 --symbols 4 --messages 2000 --session HTGEN00001", pcap,
             dir + "/expect.json");
    // Every datagram's MoldUDP64 session (UDP payload offset 0: frame offset 42, no VLAN)
    // becomes a newline, a forged log line start, an escape and a non-ASCII byte.
    std::string bytes;
    {
        std::ifstream in(pcap, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::string forged("A\nFORGED\x1b\xff", 10);
    std::size_t patched = 0;
    for (auto at = bytes.find("HTGEN00001"); at != std::string::npos;
         at = bytes.find("HTGEN00001", at + 10), ++patched)
        bytes.replace(at, 10, forged);
    ASSERT_GT(patched, 10u);
    write_file(pcap, bytes);
    write_file(dir + "/gw.yaml", single_feed_config("hin7").yaml());
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + pcap);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "MoldUDP64 session \"A\\x0aFORGED\\x1b\\xff\"")) << r.output;
    EXPECT_FALSE(contains(r.output, "\nFORGED")) << r.output;
}

TEST(HostileGatewayNetworkText, FullBooksReportAtMostOnceASecondWithWhatWasHeldBack) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 24 --symbols 50 --messages 100000 --empty-at-end", pcap, dir + "/expect.json");
    write_file(dir + "/gw.yaml", replace_once(single_feed_config("hin8").yaml(),
                                              "max_orders: 262144", "max_orders: 16"));
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " +
                             pcap + " --loop --restart-sequence --duration 3");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::size_t lines = count_of(r.output, "book capacity reached");
    EXPECT_GE(lines, 2u) << r.output;
    EXPECT_LE(lines, 6u) << "one line a second for a 3 s run, and the last one at exit\n"
                         << r.output;
    EXPECT_TRUE(contains(r.output, "similar line(s) suppressed)")) << r.output;
    // The line names the limit that was reached, and only that one.
    EXPECT_TRUE(contains(r.output, "add(s) dropped so far (books.max_orders);")) << r.output;
}

TEST(HostileGatewayNetworkText, ALossyLineLogsAtMostOneGapLineASecondAndLosesNoCount) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    // Every third datagram lost: a gap opens every few datagrams, paced over about 3 seconds.
    itch_gen("--seed 27 --symbols 50 --messages 300000 --drop 0.3", pcap, dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("hin11").yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " +
                             pcap + " --pace 100k");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::vector<std::uint64_t> gap_lines =
        numbers_between(r.output, "GAP: ", " message(s) missing from sequence");
    const std::uint64_t lines = gap_lines.size();
    std::uint64_t missing_in_lines = 0;
    for (const std::uint64_t missing : gap_lines) missing_in_lines += missing;
    const std::vector<std::uint64_t> gaps =
        numbers_between(r.output, "gaps ", ", missing_messages ");
    ASSERT_FALSE(gaps.empty()) << r.output;
    const std::vector<std::uint64_t> missing_messages =
        numbers_between(r.output, "gaps " + std::to_string(gaps[0]) + ", missing_messages ", "");
    ASSERT_FALSE(missing_messages.empty()) << r.output;
    EXPECT_GT(gaps[0], 200u) << "the capture must open many gaps";
    EXPECT_LE(lines, 8u) << "one GAP line a second for a 3 s run, the first, and one at exit\n"
                         << r.output;
    EXPECT_EQ(missing_in_lines, missing_messages[0])
        << "the GAP lines together name every missing message\n"
        << r.output;
    EXPECT_TRUE(contains(r.output, "gaps (at most one GAP line a second)")) << r.output;
}
