// A/B arbitration through the real binary: an A and a B capture with independent losses (and
// duplicates, reordering) replayed on two ports of one feed must give the loss-free books.
#include <filesystem>

#include "gateway_harness.hpp"

using namespace hypertick::gw::test;

namespace {

void replay_two_lines(const std::string& prefix, const std::string& faults) {
    const std::string dir = scratch_dir();
    const std::string gen = "--seed 21 --symbols 12 --messages 30000";
    itch_gen(gen, dir + "/clean.pcap", dir + "/clean.json");
    const run_result g = run(bin("itch_gen") + " " + gen + " " + faults + " --out " + dir +
                             "/A.pcap --out-b " + dir + "/B.pcap --expect " + dir + "/A.json");
    ASSERT_EQ(g.exit_code, 0) << g.output;
    // The two captures go out in capture-time order (--pace merged, the default for two lines),
    // but the worker takes a burst from one line, then from the other, and a sanitizer build on
    // a loaded machine can pause between the two for tens of milliseconds, longer than the
    // default 20 ms hole wait. Every hole here is filled by the other line, so a long wait
    // changes only how long a hole may wait, not what arrives.
    write_file(dir + "/gw.yaml", two_line_config(prefix, "    line_wait_ms: 10000\n"));
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
            "/A.pcap --replay-b " + dir + "/B.pcap --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "stopping: end of replay")) << r.output;
    EXPECT_TRUE(contains(r.output, "gaps 0, missing_messages 0")) << r.output;
    EXPECT_TRUE(contains(r.output, "feed itch: line A:")) << r.output;
    EXPECT_TRUE(contains(r.output, "feed itch: line B:")) << r.output;
    EXPECT_TRUE(contains(r.output, "recovery state synchronized, books valid")) << r.output;
    const run_result same = same_books(dir + "/snap.json", dir + "/clean.json");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
}

}  // namespace

TEST(GatewayLines, IndependentLossesOnAAndBGiveTheLossFreeBooks) {
    replay_two_lines("ln1", "--drop 0.02 --b-drop 0.02");
}

TEST(GatewayLines, DuplicatesAndReorderingOnTopChangeNothing) {
    replay_two_lines("ln2", "--drop 0.02 --b-drop 0.02 --duplicate 0.05 --reorder 0.05");
}

TEST(GatewayLines, OneLineAloneIsTheSameFeed) {
    replay_two_lines("ln3", "--drop 0.2");
}

namespace {

// Both lines lose the same datagrams (B replays the A capture); recovery asks a server on a
// net_null port, which swallows every request: the server never answers.
run_result replay_unanswered(const std::string& prefix, const std::string& recovery_extra,
                             std::string& dir) {
    dir = scratch_dir();
    itch_gen("--seed 22 --symbols 8 --messages 20000 --drop 0.02", dir + "/A.pcap",
             dir + "/A.json");
    std::string y = two_line_config(
        prefix,
        "    recovery: {port: rr0, server_ip: 127.0.0.1, server_port: 26500, source_ip: 127.0.0.2, "
        "source_port: 26501, timeout_ms: 200, retry_ms: 20" +
            recovery_extra + "}\n");
    // net_pcap: reads an empty capture (no answer ever) and writes the requests to requests.pcap.
    write_empty_pcap(dir + "/empty.pcap");
    y.replace(y.find("ports:\n"), 7,
              "ports:\n  - {name: rr0, device: \"net_pcap_" + prefix + "_rr,rx_pcap=" + dir +
                  "/empty.pcap,tx_pcap=" + dir +
                  "/requests.pcap\", mempool_mbufs: 1023, mempool_cache: 64}\n");
    write_file(dir + "/gw.yaml", y);
    return run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
               "/A.pcap --replay-b " + dir + "/A.pcap --snapshot " + dir + "/snap.json");
}

}  // namespace

TEST(GatewayRecovery, ServerThatNeverAnswersLeadsToGivenUpWithinTheTimeout) {
    std::string dir;
    const run_result r = replay_unanswered("rc1", "", dir);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "recovery state gap_fill")) << r.output;
    EXPECT_TRUE(
        contains(r.output, "GIVEN UP: gap recovery timed out; the feed's books are marked INVALID"))
        << r.output;
    EXPECT_TRUE(contains(r.output, "recovery state given_up, books INVALID")) << r.output;
    EXPECT_FALSE(contains(r.output, " 0 sent (")) << r.output;  // requests did leave
    const run_result s = run("python3 -c \"import json; r=json.load(open('" + dir +
                             "/snap.json'))['feed']; print(r['state'], r['books_valid'])\"");
    EXPECT_EQ(s.output, "given_up False\n") << s.output;
}

TEST(GatewayRecovery, FullHoldWindowGivesUpAtOnce) {
    std::string dir;
    const run_result r = replay_unanswered("rc2", ", hold_capacity: 16", dir);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "GIVEN UP: gap recovery hold window full")) << r.output;
    EXPECT_FALSE(contains(r.output, "hold full 0,")) << r.output;
}

// --check-config names every line of an A/B feed, not line A alone.
TEST(GatewayLines, CheckConfigPrintsBothLines) {
    const std::string dir = scratch_dir();
    write_file(dir + "/ab.yaml", two_line_config("ln9", "", ", source: \"10.1.2.3:26400\""));
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/ab.yaml --check-config");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(
        r.output,
        "  feed itch on lcore 1\n"
        "    line A: port feedA queue 0, group any, udp port any, source 10.1.2.3:26400\n"
        "    line B: port feedB queue 0, group any, udp port any, source 10.1.2.3:26400\n"))
        << r.output;
}
