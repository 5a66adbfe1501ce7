// Feed integrity through the real binary: forged, foreign and unasked-for datagrams on every
// line must leave the books exact and valid, or declared invalid, never wrong and valid; and
// nothing dropped may kill the feed. Hostile captures are built by forge_feed.py from itch_gen
// captures; the recovery port is a net_pcap device whose rx_pcap holds the "answers".
#include <filesystem>

#include "gateway_harness.hpp"

using namespace hypertick::gw::test;

namespace {

const std::string server = "198.18.0.1:26500";   // the configured re-request server
const std::string gateway = "198.18.0.2:26501";  // where its answers are addressed
const std::string generator = "--seed 31 --symbols 10 --messages 20000";

run_result forge(const std::string& args) {
    const run_result r = run("python3 " + std::string(HYPERTICK_SOURCE_DIR) +
                             "/tests/gateway/forge_feed.py " + args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.output;
    return r;
}

struct scenario {
    std::string dir;
    std::string a;        // line A capture (default: the clean feed)
    std::string b;        // line B capture (default: the clean feed)
    std::string answers;  // what the recovery port receives (default: nothing)
    std::string line_extra;
    std::string feed_extra;
};

scenario make_scenario() {
    scenario s;
    s.dir = scratch_dir();
    itch_gen(generator, s.dir + "/clean.pcap", s.dir + "/clean.json");
    s.a = s.b = s.dir + "/clean.pcap";
    s.answers = s.dir + "/no_answers.pcap";
    forge("tail " + s.dir + "/clean.pcap " + s.answers + " --after 1000000");  // the header only
    return s;
}

// Runs A and B (and the recovery port's answers) through one feed; recovery is configured.
run_result replay(const scenario& s, const std::string& prefix) {
    std::string y = two_line_config(prefix,
                                    "    recovery: {port: rr0, server_ip: 198.18.0.1, server_port: "
                                    "26500, source_ip: 198.18.0.2, "
                                    "source_port: 26501, timeout_ms: 300, retry_ms: 20}\n" +
                                        s.feed_extra,
                                    s.line_extra);
    y.replace(y.find("ports:\n"), 7,
              "ports:\n  - {name: rr0, device: \"net_pcap_" + prefix + "_rr,rx_pcap=" + s.answers +
                  ",tx_pcap=" + s.dir +
                  "/requests.pcap\", mempool_mbufs: 1023, mempool_cache: 64}\n");
    write_file(s.dir + "/gw.yaml", y);
    return run(bin("hypertick-gw") + " --config " + s.dir + "/gw.yaml --replay " + s.a +
               " --replay-b " + s.b + " --snapshot " + s.dir + "/snap.json --publish-pcap " +
               s.dir + "/bbo.pcap");
}

// The books equal the clean feed's and the gateway says they are valid; every published
// record says so too.
void expect_exact_and_valid(const scenario& s, const run_result& r) {
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const run_result same = same_books(s.dir + "/snap.json", s.dir + "/clean.json");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
    EXPECT_EQ(feed_value(s.dir + "/snap.json", "f['books_valid'], f['invalid_reasons']"), "True []")
        << r.output;
    EXPECT_TRUE(contains(r.output, "feed itch: books valid")) << r.output;
    const run_result dump = run(bin("bbo_dump") + " --quiet " + s.dir + "/bbo.pcap");
    EXPECT_EQ(bbo_dump_count(dump.output, "records flagged not valid"), 0) << dump.output;
}

}  // namespace

TEST(GatewayIntegrity, ForgedAnswersFromAWrongSourceNeverReachTheBooks) {
    scenario s = make_scenario();
    s.answers = s.dir + "/answers.pcap";
    forge("answers " + s.dir + "/clean.pcap " + s.answers +
          " --first 1000 --count 30 --forge --source 198.18.0.66:26500 "
          "--destination " +
          gateway);
    forge("answers " + s.dir + "/clean.pcap " + s.answers +
          " --first 1030 --count 30 --forge --source 198.18.0.1:9999 "
          "--destination " +
          gateway + " --append");
    const run_result r = replay(s, "in1");
    expect_exact_and_valid(s, r);
    EXPECT_TRUE(contains(r.output, "line re-request answers: dropped: wrong_source 2")) << r.output;
}

TEST(GatewayIntegrity, AnswersFromTheServerForNothingAskedAreDropped) {
    scenario s = make_scenario();
    s.answers = s.dir + "/answers.pcap";
    forge("answers " + s.dir + "/clean.pcap " + s.answers +
          " --first 1000 --count 30 --forge --source " + server + " --destination " + gateway);
    const run_result r = replay(s, "in2");
    expect_exact_and_valid(s, r);
    EXPECT_TRUE(contains(r.output, "line re-request answers: 0 datagrams")) << r.output;
    EXPECT_TRUE(
        contains(r.output, "line re-request answers: dropped: unrequested 1") ||
        contains(r.output, "line re-request answers: 0 datagrams, 0 first arrivals, 1 duplicates"))
        << r.output;
}

TEST(GatewayIntegrity, SequenceZeroAndForeignSessionOnTheRecoveryLineAreDropped) {
    scenario s = make_scenario();
    s.answers = s.dir + "/answers.pcap";
    forge("answers " + s.dir + "/clean.pcap " + s.answers +
          " --first 2000 --count 20 --forge --sequence-zero --source " + server +
          " --destination " + gateway);
    forge("answers " + s.dir + "/clean.pcap " + s.answers +
          " --first 2000 --count 20 --forge --session EVIL --source " + server + " --destination " +
          gateway + " --append");
    const run_result r = replay(s, "in3");
    expect_exact_and_valid(s, r);
    EXPECT_TRUE(contains(r.output, "unsequenced_dropped 1")) << r.output;
    EXPECT_TRUE(contains(r.output, "foreign_session 1") || contains(r.output, "unrequested 1"))
        << r.output;
}

namespace {

// Line B is the clean feed plus one hostile datagram (a copy of its 100th, changed by
// `change` and with forged prices): the books must stay exact and valid, the datagram dropped
// and counted as `dropped`.
void expect_one_hostile_datagram_on_b_dropped(const std::string& prefix, const std::string& change,
                                              const std::string& dropped) {
    scenario s = make_scenario();
    s.b = s.dir + "/B.pcap";
    forge("inject " + s.dir + "/clean.pcap " + s.b + " --after 100 --forge " + change);
    const run_result r = replay(s, prefix);
    expect_exact_and_valid(s, r);
    EXPECT_TRUE(contains(r.output, "line B: dropped: " + dropped)) << r.output;
}

}  // namespace

TEST(GatewayIntegrity, FarFutureSequenceOnOneLineIsNotFollowed) {
    expect_one_hostile_datagram_on_b_dropped("in4", "--sequence-offset 1000000000",
                                             "implausible_jumps 1");
}

TEST(GatewayIntegrity, ForeignSessionDatagramOnBIsDropped) {
    expect_one_hostile_datagram_on_b_dropped("in5", "--session EVIL", "foreign_session 1");
}

TEST(GatewayIntegrity, SequenceZeroOnAnABFeedIsDropped) {
    expect_one_hostile_datagram_on_b_dropped("in6", "--sequence-zero", "unsequenced_dropped 1");
}

TEST(GatewayIntegrity, DataFromAnotherSourceIsDropped) {
    scenario s = make_scenario();
    s.a = s.dir + "/A.pcap";
    forge("inject " + s.dir + "/clean.pcap " + s.a +
          " --after 100 --source 10.6.6.6:26400 --forge");
    s.line_extra = ", source: \"10.0.0.1:26400\"";  // itch_gen's sender
    const run_result r = replay(s, "in7");
    expect_exact_and_valid(s, r);
    EXPECT_TRUE(contains(r.output, "line A: dropped: wrong_source 1")) << r.output;
}

TEST(GatewayIntegrity, BLineOfAnotherSessionLeavesExactBooks) {
    scenario s = make_scenario();
    s.b = s.dir + "/B.pcap";
    forge("rewrite " + s.dir + "/clean.pcap " + s.b + " --session OTHER");
    const run_result r = replay(s, "in8");
    expect_exact_and_valid(s, r);
    EXPECT_TRUE(contains(r.output, "line B: dropped: foreign_session")) << r.output;
}

// A loses datagrams; B, of another session, cannot fill the holes, and no server answers:
// the books are declared invalid, and the published records say so.
TEST(GatewayIntegrity, BLineOfAnotherSessionCannotMakeLossesLookValid) {
    scenario s = make_scenario();
    s.a = s.dir + "/A.pcap";
    s.b = s.dir + "/B.pcap";
    itch_gen(generator + " --drop 0.02", s.a, s.dir + "/A.json");
    forge("rewrite " + s.dir + "/clean.pcap " + s.b + " --session OTHER");
    const run_result r = replay(s, "in9");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(
        feed_value(s.dir + "/snap.json", "f['books_valid'], 'gap_skipped' in f['invalid_reasons']"),
        "False True")
        << r.output;
    EXPECT_TRUE(contains(r.output, "feed itch: books INVALID")) << r.output;
    const run_result dump = run(bin("bbo_dump") + " --quiet " + s.dir + "/bbo.pcap");
    EXPECT_GT(bbo_dump_count(dump.output, "records flagged not valid"), 0) << dump.output;
}

// A single line joining late: the first datagram is too far ahead of 1 to follow on its own,
// the second confirms it, and the feed runs on (books invalid: the earlier orders are missing).
TEST(GatewayIntegrity, LateJoinIsFollowedOnceConfirmed) {
    const std::string dir = scratch_dir();
    itch_gen(generator, dir + "/clean.pcap", dir + "/clean.json");
    forge("tail " + dir + "/clean.pcap " + dir + "/late.pcap --after 200");
    std::string yaml = single_feed_config("in10").yaml();
    yaml.replace(yaml.find("    udp_port: any\n"), 18,
                 "    udp_port: any\n    max_sequence_jump: 1000\n");
    write_file(dir + "/gw.yaml", yaml);
    const run_result r = run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
                             "/late.pcap --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(feed_value(dir + "/snap.json",
                         "f['next_seq'] == " + feed_value(dir + "/clean.json", "f['next_seq']") +
                             ", f['gaps'], f['books_valid']"),
              "True 1 False")
        << r.output;
}

// A looping A/B replay (benchmark mode): every pass restarts the whole stream, so the two lines
// wrapping at different moments report nothing missing.
TEST(GatewayIntegrity, LoopingABReplayRestartsTheWholeStream) {
    const std::string dir = scratch_dir();
    itch_gen(generator + " --empty-at-end", dir + "/clean.pcap", dir + "/clean.json");
    write_file(dir + "/gw.yaml", two_line_config("in11"));
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
            "/clean.pcap --replay-b " + dir +
            "/clean.pcap --loop --restart-sequence --duration 2 --snapshot " + dir + "/snap.json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(
        feed_value(dir + "/snap.json", "f['gaps'], f['missing_messages'], f['messages'] > 40000"),
        "0 0 True")
        << r.output;
    EXPECT_TRUE(contains(r.output, "stale_loop"))
        << r.output;  // B's tail of a pass after A wrapped
}

// A forged copy of a datagram, with the right session and numbers and other prices, arrives
// on B well before A's real one: it is applied first and the real copies are duplicates. The
// lines' copies differ from the applied one, so the books say they are invalid
// (copy_mismatch). With verify_window 0 nothing compares them: the forgery is in the books,
// which still say valid (what the check is for).
TEST(GatewayIntegrity, ForgedFirstArrivalOnBIsCaughtByTheLinesCopies) {
    scenario s = make_scenario();
    s.b = s.dir + "/B.pcap";
    forge("inject " + s.dir + "/clean.pcap " + s.b + " --after 300 --copy 500 --forge");
    const run_result r = replay(s, "in13");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(feed_value(s.dir + "/snap.json", "f['books_valid'], f['invalid_reasons']"),
              "False ['copy_mismatch']")
        << r.output;
    EXPECT_TRUE(contains(r.output, "feed itch: books INVALID: copy_mismatch")) << r.output;
    const auto verified = numbers_between(r.output, "copies of delivered messages: ", " verified");
    const auto mismatched = numbers_between(r.output, " verified, ", " mismatched");
    ASSERT_EQ(verified.size(), 1u) << r.output;
    ASSERT_EQ(mismatched.size(), 1u) << r.output;
    EXPECT_GT(verified[0], 15000u) << r.output;  // most of the 20,000 messages
    EXPECT_GT(mismatched[0], 0u) << r.output;
    const run_result dump = run(bin("bbo_dump") + " --quiet " + s.dir + "/bbo.pcap");
    EXPECT_GT(bbo_dump_count(dump.output, "records flagged not valid"), 0) << dump.output;

    scenario off = s;
    off.feed_extra = "    verify_window: 0\n";
    const run_result unchecked = replay(off, "in14");
    ASSERT_EQ(unchecked.exit_code, 0) << unchecked.output;
    EXPECT_NE(same_books(s.dir + "/snap.json", s.dir + "/clean.json").exit_code, 0)
        << unchecked.output;
    EXPECT_EQ(feed_value(s.dir + "/snap.json", "f['books_valid']"), "True") << unchecked.output;
}

// ---- forged datagrams on a single line, and on B, read from crafted captures ----

namespace {

// One line: the clean feed with one hostile datagram from forge_feed.py's `inject ARGS`.
struct single_line_run {
    std::string dir;
    run_result result;
};

single_line_run replay_single_with(const std::string& prefix, const std::string& inject) {
    single_line_run s;
    s.dir = scratch_dir();
    itch_gen(generator, s.dir + "/clean.pcap", s.dir + "/clean.json");
    forge("inject " + s.dir + "/clean.pcap " + s.dir + "/A.pcap " + inject);
    write_file(s.dir + "/gw.yaml", single_feed_config(prefix).yaml());
    s.result =
        run(bin("hypertick-gw") + " --config " + s.dir + "/gw.yaml --replay " + s.dir +
            "/A.pcap --snapshot " + s.dir + "/snap.json --publish-pcap " + s.dir + "/bbo.pcap");
    return s;
}

// The books equal the clean feed's (whatever they claim about themselves).
void expect_exact_books(const std::string& dir, const run_result& r) {
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const run_result same = same_books(dir + "/snap.json", dir + "/clean.json");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
}

void expect_valid(const std::string& dir, const run_result& r) {
    EXPECT_EQ(feed_value(dir + "/snap.json", "f['books_valid'], f['invalid_reasons']"), "True []")
        << r.output;
    EXPECT_TRUE(contains(r.output, "feed itch: books valid")) << r.output;
}

// Books that cannot be vouched for say so, for `reason`, in the snapshot, the report and the
// last published record of every symbol (published again, flagged, when the books stopped
// being valid: a symbol whose top never changes again must not keep an unflagged record).
void expect_invalid_for(const std::string& dir, const run_result& r, const std::string& reason) {
    EXPECT_EQ(feed_value(dir + "/snap.json",
                         "f['books_valid'], '" + reason + "' in f['invalid_reasons']"),
              "False True")
        << r.output;
    EXPECT_TRUE(contains(r.output, "feed itch: books INVALID")) << r.output;
    const run_result last =
        run("python3 -c \"import json,subprocess,sys; b=json.loads("
            "subprocess.run(['" +
            bin("bbo_dump") + "', '--final', '" + dir +
            "/bbo.pcap'], capture_output=True).stdout); v=[s for s in b if "
            "b[s]['valid']]; print(len(b), 'symbols, valid:', v)\"");
    EXPECT_TRUE(contains(last.output, "10 symbols, valid: []")) << last.output;
}

long long records_flagged(const std::string& dir) {
    const run_result dump = run(bin("bbo_dump") + " --quiet " + dir + "/bbo.pcap");
    return bbo_dump_count(dump.output, "records flagged not valid");
}

}  // namespace

// An end of session forged at the next number in mid-session: the real session goes on after
// it, so the books stop moving; they must not keep saying valid.
TEST(GatewayIntegrity, ForgedEndOfSessionInMidSessionLeavesNoFrozenBooksSayingValid) {
    const single_line_run s =
        replay_single_with("in12", "--after 100 --sequence-of-next --claim 65535");
    ASSERT_EQ(s.result.exit_code, 0) << s.result.output;
    expect_invalid_for(s.dir, s.result, "end_of_session_conflict");
    EXPECT_TRUE(contains(s.result.output, "line A: dropped: after_end_of_session"))
        << s.result.output;
}

// Data after the end of session, numbered at the end or unsequenced, with forged prices: never
// applied, counted, and the books (exact) no longer vouched for.
TEST(GatewayIntegrity, DataAfterTheEndOfSessionIsNeverApplied) {
    for (const std::string numbered : {"--sequence-of-next", "--sequence-zero"}) {
        SCOPED_TRACE(numbered);
        const single_line_run s =
            replay_single_with(numbered == "--sequence-zero" ? "in13" : "in14",
                               "--at-end --copy 100 --forge " + numbered);
        expect_exact_books(s.dir, s.result);
        expect_invalid_for(s.dir, s.result, "end_of_session_conflict");
        EXPECT_TRUE(contains(s.result.output, "line A: dropped: after_end_of_session 1"))
            << s.result.output;
    }
}

TEST(GatewayIntegrity, ForgedDuplicateFarJumpAndShortCountOnOneLineLeaveExactValidBooks) {
    const struct {
        const char* prefix;
        std::string inject;
        std::string counted;  // in the final report
    } cases[] = {
        {"in15", "--after 100 --forge", "books valid"},
        {"in16", "--after 100 --forge --sequence-offset 1000000000", "implausible_jumps 1"},
        {"in17", "--after 100 --forge --claim -2", "trailing_bytes 1"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.inject);
        const single_line_run s = replay_single_with(c.prefix, c.inject);
        expect_exact_books(s.dir, s.result);
        expect_valid(s.dir, s.result);
        EXPECT_TRUE(contains(s.result.output, c.counted)) << s.result.output;
        if (c.prefix == std::string("in15")) {  // the forged copy's messages: all duplicates
            EXPECT_EQ(feed_value(s.dir + "/snap.json", "f['duplicate_messages'] > 0"), "True");
        }
    }
}

// A count claiming more messages than the datagram carries, on one line: the numbers claimed
// and not carried are lost to that line, so the books are declared invalid, never wrong.
TEST(GatewayIntegrity, CountClaimingMoreThanCarriedOnOneLineIsALossDeclared) {
    const single_line_run s = replay_single_with("in18", "--after 100 --claim +2");
    ASSERT_EQ(s.result.exit_code, 0) << s.result.output;
    expect_invalid_for(s.dir, s.result, "gap_skipped");
    EXPECT_GT(records_flagged(s.dir), 0);  // the book changes after the loss say so
    EXPECT_TRUE(contains(s.result.output, "count_overrun 1")) << s.result.output;
}

// On an A/B feed the same count is harmless: line A carries the numbers B's datagram claimed.
// The forged copy arrives after the real one: never applied, the books stay exact; but it
// differs from the applied copy and nothing tells which of the two is real, so the books are
// declared invalid (copy_mismatch), as they would be had it come first.
TEST(GatewayIntegrity, CountClaimingMoreOrLessOnBLeavesExactBooksDeclaredInvalid) {
    for (const std::string claim : {"+2", "-2"}) {
        SCOPED_TRACE(claim);
        scenario s = make_scenario();
        s.b = s.dir + "/B.pcap";
        forge("inject " + s.dir + "/clean.pcap " + s.b + " --after 100 --forge --claim " + claim);
        const run_result r = replay(s, claim == "+2" ? "in19" : "in20");
        ASSERT_EQ(r.exit_code, 0) << r.output;
        const run_result same = same_books(s.dir + "/snap.json", s.dir + "/clean.json");
        EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
        EXPECT_EQ(feed_value(s.dir + "/snap.json", "f['invalid_reasons']"), "['copy_mismatch']")
            << r.output;
        EXPECT_TRUE(contains(r.output, claim == "+2" ? "count_overrun 1" : "trailing_bytes 1"))
            << r.output;
    }
}

TEST(GatewayIntegrity, DataAfterTheEndOfSessionOnBIsNeverApplied) {
    scenario s = make_scenario();
    s.b = s.dir + "/B.pcap";
    forge("inject " + s.dir + "/clean.pcap " + s.b +
          " --at-end --copy 100 --forge --sequence-of-next");
    const run_result r = replay(s, "in21");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const run_result same = same_books(s.dir + "/snap.json", s.dir + "/clean.json");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << r.output;
    EXPECT_EQ(feed_value(s.dir + "/snap.json", "f['invalid_reasons']"),
              "['end_of_session_conflict']")
        << r.output;
    EXPECT_TRUE(contains(r.output, "line B: dropped: after_end_of_session 1")) << r.output;
}

// One delete or cancel cut too short to read, on a single line: without it the books keep an
// order (or shares) the exchange's do not, at least until a later message happens to remove
// it, so from then on they must not say valid.
TEST(GatewayIntegrity, AnOrderMessageTooShortToApplyLeavesNoBooksSayingValid) {
    const std::string dir = scratch_dir();
    itch_gen(generator, dir + "/clean.pcap", dir + "/clean.json");
    forge("cut " + dir + "/clean.pcap " + dir + "/A.pcap --after 100 --types DX --bytes 5");
    write_file(dir + "/gw.yaml", single_feed_config("in22").yaml());
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
            "/A.pcap --snapshot " + dir + "/snap.json --publish-pcap " + dir + "/bbo.pcap");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_invalid_for(dir, r, "unapplied_message");
    EXPECT_GT(records_flagged(dir), 0);
    EXPECT_TRUE(contains(r.output, "malformed_message_too_short 1")) << r.output;
}
