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
    EXPECT_TRUE(contains(r.output, "paced replay: 200000 ITCH messages/s into net_ring ports"))
        << r.output;
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
    const run_result g =
        run(bin("itch_gen") + " " + generator + " --drop 0.02 --b-drop 0.02 --out " + dir +
            "/A.pcap --out-b " + dir + "/B.pcap --expect " + dir + "/A.json");
    ASSERT_EQ(g.exit_code, 0) << g.output;
    write_file(dir + "/gw.yaml", two_line_config("pc2"));
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
                             "/A.pcap --replay-b " + dir +
                             "/B.pcap --pace capture:x100 --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "paced replay: the capture's timing x100")) << r.output;
    const run_result same = same_books(dir + "/snap.json", dir + "/clean.json");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
}

// A replay of two lines where only A lost datagrams (a tenth of them): read as fast as each
// device goes (--pace max), A runs ahead of B by everything it lost, more messages than the
// hold window keeps, and the books are declared invalid though B carried every message. By
// default a replay of two lines goes out in capture-time order (merged): the books are valid
// and equal the loss-free ones.
TEST(GatewayPace, TwoLinesReplayInTimeOrderByDefault) {
    const std::string dir = scratch_dir();
    const std::string gen = "--seed 21 --symbols 12 --messages 1000000";
    itch_gen(gen, dir + "/clean.pcap", dir + "/clean.json");
    const run_result g = run(bin("itch_gen") + " " + gen + " --drop 0.1 --out " + dir +
                             "/A.pcap --out-b " + dir + "/B.pcap --expect " + dir + "/A.json");
    ASSERT_EQ(g.exit_code, 0) << g.output;
    // A hole waits as long as it takes here: what decides is what the lines carry, not how long
    // a loaded machine pauses the worker.
    write_file(dir + "/gw.yaml", two_line_config("pc5", "    line_wait_ms: 10000\n"));
    const std::string replay = bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " +
                               dir + "/A.pcap --replay-b " + dir + "/B.pcap --snapshot " + dir;
    const run_result merged = run(replay + "/merged.json");
    ASSERT_EQ(merged.exit_code, 0) << merged.output;
    EXPECT_TRUE(contains(merged.output, "paced replay: every line in capture-time order"))
        << merged.output;
    EXPECT_TRUE(contains(merged.output, "paced replay (merged): 47527 datagrams, 1896798 messages"))
        << merged.output;
    EXPECT_TRUE(contains(merged.output, "books valid, held")) << merged.output;
    EXPECT_TRUE(contains(merged.output, "holes skipped 0, hold full 0")) << merged.output;
    const run_result same = same_books(dir + "/merged.json", dir + "/clean.json");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << merged.output;

    const run_result max = run(replay + "/max.json --pace max");
    ASSERT_EQ(max.exit_code, 0) << max.output;
    EXPECT_FALSE(contains(max.output, "paced replay")) << max.output;
    EXPECT_TRUE(contains(max.output, "books INVALID: gap_skipped, hold_full")) << max.output;
}

// A capture whose timestamps run backwards (every record a second before the one it follows in
// the file): the pacer keeps each line's records in their file order, so both lines, merged,
// reach the worker with no gap and give the expected books; sorted by their own timestamps
// they would arrive reversed.
TEST(GatewayPace, BackwardTimestampsKeepEachLineInItsFileOrder) {
    const std::string dir = scratch_dir();
    itch_gen(generator, dir + "/feed.pcap", dir + "/expect.json");
    const run_result reversed =
        run("python3 -c \"import struct,sys; d=open(sys.argv[1],'rb').read(); out=[d[:24]]; i=24; "
            "n=0\nwhile i+16<=len(d):\n  s,u,c,o=struct.unpack('<IIII',d[i:i+16]); "
            "out.append(struct.pack('<IIII',2000000000-n,0,c,o)+d[i+16:i+16+c]); i+=16+c; n+=1\n"
            "open(sys.argv[2],'wb').write(b''.join(out))\" " +
            dir + "/feed.pcap " + dir + "/reversed.pcap");
    ASSERT_EQ(reversed.exit_code, 0) << reversed.output;
    write_file(dir + "/gw.yaml", two_line_config("pc6"));
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
            "/reversed.pcap --replay-b " + dir + "/reversed.pcap --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "paced replay (merged)")) << r.output;
    EXPECT_TRUE(contains(r.output, "books valid, held")) << r.output;
    // In file order nothing is ever missing; reversed, the first datagram to arrive would be
    // the last one and every earlier number a hole (which the hold window then closes).
    EXPECT_FALSE(contains(r.output, "recovery state gap_fill")) << r.output;
    const run_result same = same_books(dir + "/snap.json", dir + "/expect.json");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
}

TEST(GatewayPace, WorkerMakesNoHeapCallWhenPaced) {
    const std::string dir = scratch_dir();
    itch_gen(generator, dir + "/feed.pcap", dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("pc3").yaml());
    const run_result r = run(bin("hypertick-gw-counted") + " --config " + dir +
                             "/gw.yaml --replay " + dir + "/feed.pcap --pace 1m");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "heap calls after start-up: 0")) << r.output;
}

TEST(GatewayPace, BadPaceArgumentsExitTwo) {
    const std::string dir = scratch_dir();
    write_file(dir + "/gw.yaml", single_feed_config("pc4").yaml());
    write_file(dir + "/x.pcap", "");
    const std::string gw = bin("hypertick-gw") + " --config " + dir + "/gw.yaml ";
    for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
             {"--replay " + dir + "/x.pcap --pace fast",
              "--pace: expected max, merged, capture, capture:xN or a message rate"},
             {"--replay " + dir + "/x.pcap --pace capture:x0",
              "N must be a number in [0.001, 1000000]"},
             {"--replay " + dir + "/x.pcap --pace 0", "the rate must be 1 to 1,000,000,000"},
             {"--pace 1m", "--pace needs --replay CAPTURE"},
             {"--replay " + dir + "/x.pcap --loop --pace 1m", "--pace replays the capture once"}}) {
        const run_result r = run(gw + args);
        EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, message)) << args << "\n" << r.output;
    }
}

namespace {

// The feed's event lines (timestamps stripped) and the published UDP payloads' digest.
std::string events_of(const std::string& output) {
    std::string events;
    std::size_t at = 0;
    while (at < output.size()) {
        const std::size_t end = output.find('\n', at);
        const std::string line =
            output.substr(at, end == std::string::npos ? std::string::npos : end - at);
        at = end == std::string::npos ? output.size() : end + 1;
        const std::size_t feed = line.find("feed itch: ");
        if (feed != std::string::npos) events += line.substr(feed) + "\n";
    }
    return events;
}

std::string payload_digest(const std::string& pcap) {
    return run("python3 -c \"import struct,hashlib; d=open('" + pcap +
               "','rb').read(); at=24; h=hashlib.sha256(); n=0\n"
               "while at+16<=len(d):\n l=struct.unpack_from('<IIII',d,at)[2]; "
               "h.update(d[at+16+42:at+16+l]); at+=16+l; n+=1\n"
               "print(n, h.hexdigest())\"")
        .output;
}

}  // namespace

// --clock capture: a capture with gaps on A and B and a two-second silence, replayed three
// times, gives the same snapshot bytes, the same published payloads and the same feed events.
TEST(GatewayCaptureClock, ReplaysAreByteIdentical) {
    const std::string dir = scratch_dir();
    const std::string forge =
        "python3 " + std::string(HYPERTICK_SOURCE_DIR) + "/tests/gateway/forge_feed.py delay ";
    const run_result g =
        run(bin("itch_gen") + " " + generator + " --drop 0.02 --b-drop 0.03 --out " + dir +
            "/A0.pcap --out-b " + dir + "/B0.pcap --expect " + dir + "/A.json");
    ASSERT_EQ(g.exit_code, 0) << g.output;
    ASSERT_EQ(run(forge + dir + "/A0.pcap " + dir + "/A.pcap --after 300 --seconds 2").exit_code,
              0);
    ASSERT_EQ(run(forge + dir + "/B0.pcap " + dir + "/B.pcap --after 300 --seconds 2").exit_code,
              0);
    write_file(dir + "/gw.yaml", two_line_config("cc1"));
    std::string snapshots[3], payloads[3], events[3];
    for (int i = 0; i < 3; ++i) {
        const std::string n = std::to_string(i);
        const run_result r =
            run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
                "/A.pcap --replay-b " + dir + "/B.pcap --clock capture --snapshot " + dir +
                "/snap" + n + ".json --publish-pcap " + dir + "/pub" + n + ".pcap");
        ASSERT_EQ(r.exit_code, 0) << r.output;
        EXPECT_TRUE(contains(r.output, "latency metrics are off")) << r.output;
        snapshots[i] = run("cat " + dir + "/snap" + n + ".json").output;
        payloads[i] = payload_digest(dir + "/pub" + n + ".pcap");
        events[i] = events_of(r.output);
    }
    EXPECT_TRUE(contains(events[0], "STALE: no datagram for 2")) << events[0];
    EXPECT_TRUE(contains(events[0], "recovery state gap_fill"))
        << events[0];                                              // holes on A and B, filled
    EXPECT_FALSE(payloads[0].rfind("0 ", 0) == 0) << payloads[0];  // something was published
    for (int i = 1; i < 3; ++i) {
        EXPECT_EQ(snapshots[i], snapshots[0]) << "run " << i;
        EXPECT_EQ(payloads[i], payloads[0]) << "run " << i;
        EXPECT_EQ(events[i], events[0]) << "run " << i;
    }
}

TEST(GatewayCaptureClock, NeedsAReplayThatDoesNotLoop) {
    const std::string dir = scratch_dir();
    write_file(dir + "/gw.yaml", single_feed_config("cc2").yaml());
    write_file(dir + "/x.pcap", "");
    const std::string gw = bin("hypertick-gw") + " --config " + dir + "/gw.yaml ";
    run_result r = run(gw + "--clock capture");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "--clock capture needs --replay CAPTURE")) << r.output;
    r = run(gw + "--replay " + dir + "/x.pcap --loop --clock capture");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    r = run(gw + "--replay " + dir + "/x.pcap --clock sundial");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "--clock: expected wall or capture")) << r.output;
}

TEST(GatewayCaptureClock, WorkerMakesNoHeapCallOnTheCaptureClock) {
    const std::string dir = scratch_dir();
    itch_gen(generator, dir + "/feed.pcap", dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("cc3").yaml());
    const run_result r =
        run(bin("hypertick-gw-counted") + " --config " + dir + "/gw.yaml --replay " + dir +
            "/feed.pcap --clock capture --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "heap calls after start-up: 0")) << r.output;
    EXPECT_EQ(compare("books", dir + "/snap.json", dir + "/expect.json").exit_code, 0);
}
