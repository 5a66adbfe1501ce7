// Paced replay through the real binary (--pace): the capture reaches the worker through
// net_ring ports at a chosen rate or at its own timing; the books are the same as at max pace,
// the pacer reports what it achieved, and the worker still makes no heap call.
#include <filesystem>

#include "gateway_harness.hpp"

using namespace hypertick::gw::test;

namespace {

const std::string generator = "--seed 41 --symbols 10 --messages 20000";

// The "paced replay: ..." report line's achieved rate.
double achieved_rate(const std::string& output) {
    const std::size_t at = output.find(" messages/s achieved");
    if (at == std::string::npos) return 0;
    const std::size_t start = output.rfind(' ', at - 1);
    return std::stod(output.substr(start + 1, at - start - 1));
}

}  // namespace

TEST(GatewayPace, RatePacedReplayGivesTheExpectedBooksAndReportsThePacer) {
    const std::string dir = scratch_dir();
    itch_gen(generator, dir + "/feed.pcap", dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("pc1").yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
                             "/feed.pcap --pace 200k --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "paced replay: 200000 ITCH messages/s into net_ring ports")) << r.output;
    EXPECT_TRUE(contains(r.output, "20000 messages in")) << r.output;
    EXPECT_TRUE(contains(r.output, "dropped: 0 (worker's ring full), 0 (no mbuf)")) << r.output;
    const double rate = achieved_rate(r.output);
    EXPECT_GT(rate, 100'000) << r.output;  // 0.1 s of messages: generous bounds on a shared machine
    EXPECT_LT(rate, 300'000) << r.output;
    const run_result same = compare("books", dir + "/snap.json", dir + "/expect.json");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
}

TEST(GatewayPace, CaptureTimingPacesBothLinesOfAFeed) {
    const std::string dir = scratch_dir();
    itch_gen(generator, dir + "/clean.pcap", dir + "/clean.json");
    const run_result g = run(bin("itch_gen") + " " + generator + " --drop 0.02 --b-drop 0.02 --out " + dir +
                             "/A.pcap --out-b " + dir + "/B.pcap --expect " + dir + "/A.json");
    ASSERT_EQ(g.exit_code, 0) << g.output;
    write_file(dir + "/gw.yaml", two_line_config("pc2"));
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir + "/A.pcap --replay-b " +
                             dir + "/B.pcap --pace capture:x100 --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "paced replay: the capture's timing x100")) << r.output;
    const run_result same = same_books(dir + "/snap.json", dir + "/clean.json");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
}

TEST(GatewayPace, WorkerMakesNoHeapCallWhenPaced) {
    const std::string dir = scratch_dir();
    itch_gen(generator, dir + "/feed.pcap", dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("pc3").yaml());
    const run_result r = run(bin("hypertick-gw-counted") + " --config " + dir + "/gw.yaml --replay " + dir +
                             "/feed.pcap --pace 1m");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "heap calls after start-up: 0")) << r.output;
}

TEST(GatewayPace, BadPaceArgumentsExitTwo) {
    const std::string dir = scratch_dir();
    write_file(dir + "/gw.yaml", single_feed_config("pc4").yaml());
    write_file(dir + "/x.pcap", "");
    const std::string gw = bin("hypertick-gw") + " --config " + dir + "/gw.yaml ";
    for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
             {"--replay " + dir + "/x.pcap --pace fast", "--pace: expected max, capture, capture:xN or a message rate"},
             {"--replay " + dir + "/x.pcap --pace capture:x0", "N must be a number in [0.001, 1000000]"},
             {"--replay " + dir + "/x.pcap --pace 0", "the rate must be 1 to 1,000,000,000"},
             {"--pace 1m", "--pace needs --replay CAPTURE"},
             {"--replay " + dir + "/x.pcap --loop --pace 1m", "--pace replays the capture once"}}) {
        const run_result r = run(gw + args);
        EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, message)) << args << "\n" << r.output;
    }
}
