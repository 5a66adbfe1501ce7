// Runs the real hypertick-gw (and the tools) as a user would, for the gateway tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace hypertick::gw::test {

struct run_result {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

inline run_result run(const std::string& command) {
    run_result r;
    std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return r;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) r.output.append(buffer, n);
    const int status = ::pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

inline std::string bin(const std::string& name) {
    return std::string(HYPERTICK_BIN_DIR) + "/" + name;
}

// A fresh folder per test under the build tree.
inline std::string scratch_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::filesystem::path dir = std::filesystem::path(HYPERTICK_TEST_TMP) /
                                      (std::string(info->test_suite_name()) + "." + info->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// One count of bbo_dump's summary (a line "  NAME   VALUE"); -1 when there is no such line.
// (Parsed by hand, not with std::regex: g++ 12 warns inside <regex> under the sanitizer preset.)
inline long long bbo_dump_count(const std::string& output, const std::string& name) {
    const std::string key = "  " + name + " ";
    for (std::size_t at = 0; at < output.size();) {
        const std::size_t end = std::min(output.find('\n', at), output.size());
        const std::string line = output.substr(at, end - at);
        at = end + 1;
        if (line.rfind(key, 0) != 0) continue;
        const std::size_t digits = line.find_first_not_of(' ', key.size());
        if (digits == std::string::npos ||
            line.find_first_not_of("0123456789", digits) != std::string::npos)
            continue;
        return std::stoll(line.substr(digits));
    }
    return -1;
}

// Every whole number in `text` that follows `before` and is followed by `after`, in order.
// (Parsed by hand, not with std::regex: g++ 12 warns inside <regex> under the sanitizer preset.)
inline std::vector<std::uint64_t> numbers_between(const std::string& text,
                                                  const std::string& before,
                                                  const std::string& after) {
    std::vector<std::uint64_t> found;
    for (std::size_t at = text.find(before); at != std::string::npos;
         at = text.find(before, at + 1)) {
        const std::size_t digits = at + before.size();
        const std::size_t end = std::min(text.find_first_not_of("0123456789", digits), text.size());
        if (end == digits || end - digits > 19 || text.compare(end, after.size(), after) != 0)
            continue;
        found.push_back(std::stoull(text.substr(digits, end - digits)));
    }
    return found;
}

struct test_port {
    std::string name;
    std::string device;
    int rx_queues = 1;
    int tx_queues = 1;
    int mbufs = 4095;
    int max_frame_bytes = 2048;
};

struct test_feed {
    std::string name;
    std::string port;
    int rx_queue = 0;
    int lcore = 1;
    std::string group = "any";
    std::string udp_port = "any";
};

// A configuration for tests: its own EAL file prefix (tests run in parallel), small capacities,
// hugepages when the host has them.
struct test_config {
    std::string prefix;
    std::string lcores = "0@0,1@1";
    std::vector<test_port> ports;
    std::vector<test_feed> feeds;
    std::string publisher_port;  // empty: no publisher
    std::string hugepages = "auto";
    std::string extra;        // more YAML sections
    std::string books_extra;  // more keys of the books section, each "  key: value\n"

    std::string yaml() const {
        std::string y = "eal:\n  lcores: \"" + lcores +
                        "\"\n  main_lcore: 0\n  hugepages: " + hugepages +
                        "\n  memory_mb: 256\n  file_prefix: " + prefix + "\n  log_level: error\n";
        y += "ports:\n";
        for (const test_port& p : ports)
            y += "  - name: " + p.name + "\n    device: \"" + p.device +
                 "\"\n    rx_queues: " + std::to_string(p.rx_queues) +
                 "\n    tx_queues: " + std::to_string(p.tx_queues) +
                 "\n    mempool_mbufs: " + std::to_string(p.mbufs) +
                 "\n    mempool_cache: 64\n    max_frame_bytes: " +
                 std::to_string(p.max_frame_bytes) + "\n";
        y += "feeds:\n";
        for (const test_feed& f : feeds)
            y += "  - name: " + f.name + "\n    port: " + f.port +
                 "\n    rx_queue: " + std::to_string(f.rx_queue) +
                 "\n    lcore: " + std::to_string(f.lcore) + "\n    group: " + f.group +
                 "\n    udp_port: " + f.udp_port + "\n";
        y += "books:\n  max_symbols: 4096\n  max_orders: 262144\n  max_levels_per_side: 256\n" +
             books_extra;
        if (!publisher_port.empty()) y += "publisher:\n  port: " + publisher_port + "\n";
        y += "timers:\n  heartbeat_ms: 100\n  stale_after_ms: 300\n  stats_interval_ms: 500\n  "
             "replay_idle_ms: 300\n";
        y += "logging:\n  level: info\n";
        y += extra;
        return y;
    }
};

// One feed on lcore 1 reading port "feed0" (the --replay capture replaces its device), and a
// publisher on a net_null port.
inline test_config single_feed_config(const std::string& prefix) {
    test_config c;
    c.prefix = prefix;
    c.ports = {{"feed0", "net_null_" + prefix + "_in", 1, 1, 4095},
               {"pub0", "net_null_" + prefix + "_out", 1, 1, 1023}};
    c.feeds = {{"itch", "feed0"}};
    c.publisher_port = "pub0";
    return c;
}

inline std::string itch_gen(const std::string& args, const std::string& out_pcap,
                            const std::string& expect_json) {
    const run_result r =
        run(bin("itch_gen") + " " + args + " --out " + out_pcap + " --expect " + expect_json);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.output;
}

inline run_result compare(const std::string& mode, const std::string& a, const std::string& b) {
    return run("python3 " + std::string(HYPERTICK_SOURCE_DIR) +
               "/tests/gateway/compare_snapshot.py " + mode + " " + a + " " + b);
}

// The books and the delivered-message figures of two snapshots must be equal (packet counts
// differ by design: two lines deliver more datagrams than one).
inline run_result same_books(const std::string& actual, const std::string& expected) {
    return run("python3 -c \"import json,sys; a=json.load(open('" + actual +
               "')); e=json.load(open('" + expected +
               "')); k=['messages','next_seq']; d=[x for x in k if a['feed'][x]!=e['feed'][x]]; "
               "sys.exit('feed differs: '+str(d)) if d else None; "
               "sys.exit('books differ') if a['books']!=e['books'] else print('ok', "
               "len(e['books']), 'books')\"");
}

// One feed with lines A (port feedA) and B (port feedB) on lcore 1.
// `line_extra` is added to both lines' keys (", source: ...").
inline std::string two_line_config(const std::string& prefix, const std::string& feed_extra = "",
                                   const std::string& line_extra = "") {
    test_config c;
    c.prefix = prefix;
    c.ports = {{"feedA", "net_null_" + prefix + "_a", 1, 1, 4095},
               {"feedB", "net_null_" + prefix + "_b", 1, 1, 4095},
               {"pub0", "net_null_" + prefix + "_out", 1, 1, 1023}};
    c.publisher_port = "pub0";
    std::string y = c.yaml();
    const std::string feeds =
        "feeds:\n  - name: itch\n    lcore: 1\n    lines:\n      - {port: feedA, rx_queue: 0" +
        line_extra + "}\n      - {port: feedB, rx_queue: 0" + line_extra + "}\n" + feed_extra;
    y.replace(y.find("feeds:\n"), 7, feeds);
    return y;
}

// A pcap file with its header and no record: a port that never receives anything.
inline void write_empty_pcap(const std::string& path) {
    run("printf "
        "'\\324\\303\\262\\241\\002\\000\\004\\000\\000\\000\\000\\000\\000\\000\\000\\000\\377\\37"
        "7\\000\\000\\001\\000\\000\\000' > " +
        path);
}

// A Python expression over a snapshot's "feed" object, printed: feed_value(snap,
// "f['books_valid']").
inline std::string feed_value(const std::string& snapshot, const std::string& expression) {
    const run_result r = run("python3 -c \"import json; f=json.load(open('" + snapshot +
                             "'))['feed']; print(" + expression + ")\"");
    return r.output.empty() ? r.output : r.output.substr(0, r.output.size() - 1);
}

}  // namespace hypertick::gw::test
