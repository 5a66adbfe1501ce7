// DPDK telemetry replies hold at most 16,384 bytes, and DPDK leaves out, without a word, every
// entry that does not fit. The gateway's /hypertick/feeds must never lose a feed that way: with
// 16 feeds of 64-character names on two workers, every feed is either in the reply with all its
// counters or named in "omitted_feeds", and /hypertick/feed,<key> answers for each omitted one.
// (/hypertick/stats passes the limit only with about 46 worker lcores, more than this machine
// runs: tests/control/telemetry_replies_test.cpp checks its largest reply.)
#include <gtest/gtest.h>

#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <thread>

#include "contract/worker_shared.hpp"
#include "gateway_harness.hpp"

using namespace hypertick::gw::test;
namespace gw = hypertick::gw;

namespace {

std::string telemetry_socket(const std::string& prefix) {
    const char* xdg = std::getenv("XDG_RUNTIME_DIR");
    const std::string base = ::geteuid() == 0 ? "/var/run" : xdg != nullptr ? xdg : "/tmp";
    return base + "/dpdk/" + prefix + "/dpdk_telemetry.v2";
}

run_result query(const std::string& socket, const std::string& commands) {
    return run("timeout 10 python3 " + std::string(HYPERTICK_SOURCE_DIR) +
               "/tests/gateway/telemetry_query.py " + socket + " " + commands);
}

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

// `"text"` (built by appending: g++ 12 warns, falsely, on "\"" + std::string).
std::string in_quotes(std::string_view text) {
    std::string q(1, '"');
    q.append(text);
    q.push_back('"');
    return q;
}

// `"name":` as the compact reply has it.
std::string json_key(std::string_view name) {
    return in_quotes(name) + ":";
}

// 64 characters: "f07-" and 60 more; the telemetry key maps '-' to '_'.
std::string long_name(int feed) {
    std::string name(64, 'n');
    name[0] = 'f';
    name[1] = static_cast<char>('0' + feed / 10);
    name[2] = static_cast<char>('0' + feed % 10);
    name[3] = '-';
    return name;
}

std::string key_of(int feed) {
    std::string key = long_name(feed);
    key[3] = '_';
    return key;
}

}  // namespace

TEST(GatewayTelemetryReply, FeedsNeverDropAFeedSilently) {
    const std::string dir = scratch_dir();
    constexpr int feeds = 2 * gw::max_feeds_per_worker;
    test_config c;
    c.prefix = "tel1";
    c.lcores = "0@0,1@1,2@1";
    // net_null floods every queue: the counters grow to many digits while the test runs.
    c.ports = {{"in0", "net_null_tel1_in", feeds, 1, 4095}};
    for (int f = 0; f < feeds; ++f) {
        test_feed feed{long_name(f), "in0"};
        feed.rx_queue = f;
        feed.lcore = 1 + f / static_cast<int>(gw::max_feeds_per_worker);
        c.feeds.push_back(feed);
    }
    std::string yaml = c.yaml();
    const std::string books = "max_symbols: 4096\n  max_orders: 262144\n  max_levels_per_side: 256";
    yaml.replace(yaml.find(books), books.size(),
                 "max_symbols: 64\n  max_orders: 1024\n  max_levels_per_side: 16");
    write_file(dir + "/gw.yaml", yaml);
    std::thread gateway([&] {
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 8 > " + dir +
            "/gw.log 2>&1");
    });
    const std::string socket = telemetry_socket(c.prefix);
    run_result reply;
    for (int attempt = 0; attempt < 14; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        reply = query(socket, "/hypertick/feeds");
        if (attempt >= 2 && contains(reply.output, "\"next_seq\":")) break;
    }
    ASSERT_EQ(reply.exit_code, 0) << reply.output << run("cat " + dir + "/gw.log").output;
    ASSERT_TRUE(contains(reply.output, "max_output_len 16384\n")) << reply.output;
    const std::size_t included = count_of(reply.output, "\"next_seq\":");
    std::string omitted;
    for (int f = 0; f < feeds; ++f) {
        const std::string key = in_quotes(key_of(f));
        if (contains(reply.output, key + ":{")) continue;
        EXPECT_TRUE(contains(reply.output, key + ",") || contains(reply.output, key + "]"))
            << key_of(f) << " is neither in the reply nor named as omitted\n"
            << reply.output;
        omitted += " /hypertick/feed," + key_of(f);
    }
    EXPECT_EQ(included + count_of(omitted, " /hypertick/feed,"), static_cast<std::size_t>(feeds))
        << reply.output;
    // Every feed in the reply carries every counter.
    for (const auto& counter : gw::feed_counter_table)
        EXPECT_EQ(count_of(reply.output, json_key(counter.name)), included) << counter.name << "\n"
                                                                            << reply.output;
    if (!omitted.empty()) {
        EXPECT_TRUE(contains(reply.output, "/hypertick/feed,")) << reply.output;
        const run_result each = query(socket, omitted);
        EXPECT_EQ(each.exit_code, 0) << each.output;
        for (const auto& counter : gw::feed_counter_table)
            EXPECT_EQ(count_of(each.output, json_key(counter.name)),
                      count_of(omitted, " /hypertick/feed,"))
                << counter.name << "\n"
                << each.output;
    }
    // A feed asked for by its configured name answers too; an unknown one says so.
    const run_result by_name =
        query(socket, "/hypertick/feed," + long_name(3) + " /hypertick/feed,no_such_feed");
    EXPECT_TRUE(contains(by_name.output, "\"name\":\"" + long_name(3) + "\"")) << by_name.output;
    EXPECT_TRUE(contains(by_name.output, "no feed named")) << by_name.output;
    // Two workers' counters fit one /hypertick/stats; each answers on its own, by number or key.
    const run_result stats = query(socket,
                                   "/hypertick/stats /hypertick/stats,1 "
                                   "/hypertick/stats,lcore2 /hypertick/stats,9");
    EXPECT_EQ(stats.exit_code, 0) << stats.output;
    EXPECT_TRUE(contains(stats.output, "\"lcore1\":{") && contains(stats.output, "\"lcore2\":{"))
        << stats.output;
    EXPECT_FALSE(contains(stats.output, "omitted_lcores")) << stats.output;
    EXPECT_EQ(count_of(stats.output, json_key("loop_turns")), 4u) << stats.output;
    EXPECT_TRUE(contains(stats.output, "no worker lcore 9")) << stats.output;
    gateway.join();
}
