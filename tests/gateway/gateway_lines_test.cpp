// A/B arbitration through the real binary: an A and a B capture with independent losses (and
// duplicates, reordering) replayed on two ports of one feed must give the loss-free books.
#include <filesystem>

#include "gateway_harness.hpp"

using namespace hypertick::gw::test;

namespace {

// The books and the delivered-message figures of two snapshots must be equal (packet counts
// differ by design: two lines deliver more datagrams than one).
run_result same_books(const std::string& actual, const std::string& expected) {
    return run("python3 -c \"import json,sys; a=json.load(open('" + actual + "')); e=json.load(open('" + expected +
               "')); k=['messages','next_seq']; d=[x for x in k if a['feed'][x]!=e['feed'][x]]; "
               "sys.exit('feed differs: '+str(d)) if d else None; "
               "sys.exit('books differ') if a['books']!=e['books'] else print('ok', len(e['books']), 'books')\"");
}

// One feed with lines A (port feedA) and B (port feedB) on lcore 1.
std::string two_line_config(const std::string& prefix, const std::string& feed_extra = "") {
    test_config c;
    c.prefix = prefix;
    c.ports = {{"feedA", "net_null_" + prefix + "_a", 1, 1, 4095}, {"feedB", "net_null_" + prefix + "_b", 1, 1, 4095},
               {"pub0", "net_null_" + prefix + "_out", 1, 1, 1023}};
    c.publisher_port = "pub0";
    std::string y = c.yaml();
    const std::string feeds = "feeds:\n  - name: itch\n    lcore: 1\n    lines:\n      - {port: feedA, rx_queue: 0}\n"
                              "      - {port: feedB, rx_queue: 0}\n" + feed_extra;
    y.replace(y.find("feeds:\n"), 7, feeds);
    return y;
}

void replay_two_lines(const std::string& prefix, const std::string& faults) {
    const std::string dir = scratch_dir();
    const std::string gen = "--seed 21 --symbols 12 --messages 30000";
    itch_gen(gen, dir + "/clean.pcap", dir + "/clean.json");
    const run_result g = run(bin("itch_gen") + " " + gen + " " + faults + " --out " + dir + "/A.pcap --out-b " + dir +
                             "/B.pcap --expect " + dir + "/A.json");
    ASSERT_EQ(g.exit_code, 0) << g.output;
    write_file(dir + "/gw.yaml", two_line_config(prefix));
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir + "/A.pcap --replay-b " +
                             dir + "/B.pcap --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "stopping: end of replay")) << r.output;
    EXPECT_TRUE(contains(r.output, "gaps 0 (0 missing)")) << r.output;
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
