// Symbols and session names are whatever bytes the feed sent: every JSON the project writes
// (snapshots from book_replay and the gateway, bbo_dump --final, telemetry replies) must still
// parse, as strict ASCII, and a symbol the directory lists under two locates must keep both
// books.
#include <chrono>
#include <filesystem>
#include <thread>

#include "gateway_harness.hpp"
#include "hostile_files_captures.hpp"

namespace {

namespace fs = std::filesystem;
using namespace hypertick::gw::test;

// Parses `file` as strict ASCII JSON and prints the book keys, then `expression` of the document.
run_result python_json(const std::string& file, const std::string& expression) {
    return run(
        "python3 -c \"import json, sys; d = json.load(open(sys.argv[1], encoding='ascii')); "
        "print(json.dumps(sorted(d['books'] if 'books' in d else d))); print(json.dumps(" +
        expression + "))\" " + file);
}

const std::string expected_keys =
    R"j(["A\u0001\"B\\", "DUP", "DUP (locate 4)", "PLAIN", "\u00c3\u00ff\u0080Z"])j";

void expect_snapshot_json(const std::string& file) {
    const run_result r = python_json(
        file,
        "[d['feed']['session'], d['books']['DUP']['bids'], "
        "d['books']['DUP (locate 4)']['bids'], d['books']['DUP (locate 4)']['locate']]");
    ASSERT_EQ(r.exit_code, 0) << r.output << hostile::read_file_text(file);
    EXPECT_TRUE(contains(r.output, expected_keys + "\n")) << r.output;
    EXPECT_TRUE(contains(
        r.output,
        R"j(["S\u0001\"\\\n\u007f\u0080\u00c3\u00ff\u00e9", [[1000003, 100, 1]], [[1000004, 100, 1]], 4])j"))
        << r.output;
}

TEST(HostileJsonNames, BookReplaySnapshotEscapesNamesAndKeepsDuplicateSymbols) {
    const std::string dir = scratch_dir();
    hostile::save(dir + "/feed.pcap", hostile::hostile_feed_pcap());
    const run_result r =
        run(bin("book_replay") + " " + dir + "/feed.pcap --snapshot " + dir + "/s.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_snapshot_json(dir + "/s.json");
}

TEST(HostileJsonNames, GatewaySnapshotBboDumpAndTelemetryStayValidJson) {
    const std::string client = "/usr/bin/dpdk-telemetry.py";
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    hostile::save(pcap, hostile::hostile_feed_pcap());
    test_config c = single_feed_config("hjn1");
    c.ports[0].device =
        "net_pcap_hjn1,rx_pcap=" + pcap;  // the capture is consumed, the gateway keeps running
    write_file(dir + "/gw.yaml", c.yaml());
    std::thread gateway([&] {
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 8 --snapshot " + dir +
            "/s.json --publish-pcap " + dir + "/pub.pcap > " + dir + "/gw.log 2>&1");
    });
    run_result telemetry;
    const bool have_client = fs::exists(client);
    const std::string query =
        "printf '/hypertick/feeds\\n/hypertick/book,DUP\\n' | timeout 10 python3 " + client +
        " -f hjn1";
    for (int attempt = 0; have_client && attempt < 20; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        telemetry = run(query);
        const bool answered = contains(telemetry.output, "\"messages\": 15") &&
                              contains(telemetry.output, "\"found\": 1");
        if (answered || contains(telemetry.output, "Traceback")) break;
    }
    gateway.join();
    const std::string log = hostile::read_file_text(dir + "/gw.log");
    if (have_client) {
        // dpdk-telemetry.py parses each reply as JSON and dies with a traceback when it is not.
        EXPECT_FALSE(contains(telemetry.output, "Traceback")) << telemetry.output;
        EXPECT_TRUE(contains(telemetry.output, "\"messages\": 15")) << telemetry.output << log;
        EXPECT_TRUE(contains(telemetry.output, "\"session\": \"S\\\\u0001")) << telemetry.output;
        EXPECT_TRUE(contains(telemetry.output, "\"found\": 1")) << telemetry.output;
    }
    expect_snapshot_json(dir + "/s.json");

    const run_result dump =
        run("{ " + bin("bbo_dump") + " --final " + dir + "/pub.pcap > " + dir + "/final.json; }");
    ASSERT_EQ(dump.exit_code, 0) << dump.output << log;
    const run_result final_json =
        python_json(dir + "/final.json", "[d['DUP']['locate'], d['DUP (locate 4)']['locate']]");
    ASSERT_EQ(final_json.exit_code, 0)
        << final_json.output << hostile::read_file_text(dir + "/final.json");
    EXPECT_TRUE(contains(final_json.output, expected_keys + "\n[3, 4]")) << final_json.output;
    if (!have_client)
        GTEST_SKIP() << client << " is not installed (Debian package dpdk): telemetry not checked";
}

}  // namespace
