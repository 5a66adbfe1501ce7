// book_replay end to end: generated captures written at test time into the build tree (pcap and
// historical), its snapshot against itch_gen's expect document; argument errors; the real
// NASDAQ/BX/PSX captures beside the clone.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "book_test_support.hpp"
#include "json_reader.hpp"

namespace {

using namespace book_test;
namespace fs = std::filesystem;

const fs::path work_dir = fs::path(HT_TEST_WORK_DIR) / "book_replay_work";

std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Runs book_replay with `args`; returns its exit status. stdout/stderr go to files in work_dir.
int run_replay(const std::string& args, const std::string& name) {
    fs::create_directories(work_dir);
    // Appended piecewise: chained temporaries trip a GCC 12 -Wrestrict false positive.
    std::string command = HT_BOOK_REPLAY;
    command += ' ';
    command += args;
    command += " >";
    command += (work_dir / (name + ".out")).string();
    command += " 2>";
    command += (work_dir / (name + ".err")).string();
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void expect_same_books(const json_value& got, const json_value& want) {
    ASSERT_EQ(got.members.size(), want.members.size());
    for (const auto& [symbol, book] : want.members) {
        ASSERT_TRUE(got.has(symbol)) << symbol;
        EXPECT_EQ(got.at(symbol).at("bids"), book.at("bids")) << symbol;
        EXPECT_EQ(got.at(symbol).at("asks"), book.at("asks")) << symbol;
        EXPECT_EQ(got.at(symbol).at("locate"), book.at("locate")) << symbol;
    }
}

TEST(BookReplay, GeneratedPcapAndHistoricalMatchExpect) {
    fs::create_directories(work_dir);
    itch_gen::generator_options o;
    o.seed = 21;
    o.symbols = 50;
    o.messages = 200'000;
    o.faults.drop_ppm = 5'000;
    o.out = (work_dir / "gen.pcap").string();
    o.expect = (work_dir / "gen.expect.json").string();
    o.historical_out = (work_dir / "gen.itch").string();
    const itch_gen::generated_capture capture = generate_capture(o);
    ASSERT_EQ(itch_gen::write_outputs(o, capture), 0);

    ASSERT_EQ(run_replay(o.out + " --snapshot " + (work_dir / "gen.snap.json").string() +
                             " --symbols 64 --orders 100000 --levels 128 --runs 2",
                         "pcap"),
              0)
        << read_text(work_dir / "pcap.err");
    const json_value want = parse_json(read_text(o.expect));
    const json_value got = parse_json(read_text(work_dir / "gen.snap.json"));
    expect_same_books(got.at("books"), want.at("books"));
    for (const auto& [key, value] : want.at("feed").members)
        EXPECT_EQ(got.at("feed").at(key), value) << key;
    const std::string out = read_text(work_dir / "pcap.out");
    EXPECT_NE(out.find("ns/message"), std::string::npos);
    EXPECT_NE(out.find("M messages/s"), std::string::npos);
    EXPECT_NE(out.find("VmHWM"), std::string::npos);

    // The historical file carries every message (no losses): compare with a fault-free expect.
    itch_gen::generator_options clean = o;
    clean.faults = {};
    const itch_gen::generated_capture clean_capture = generate_capture(clean);
    ASSERT_EQ(run_replay(o.historical_out + " --snapshot " + (work_dir / "hist.snap.json").string(),
                         "hist"),
              0)
        << read_text(work_dir / "hist.err");
    const json_value hist = parse_json(read_text(work_dir / "hist.snap.json"));
    expect_same_books(hist.at("books"),
                      parse_json(itch_gen::expect_json(clean_capture.expected)).at("books"));
    EXPECT_EQ(hist.at("feed").at("messages").number, 200'000u);
    EXPECT_NE(read_text(work_dir / "hist.out").find("NASDAQ historical"), std::string::npos);
}

TEST(BookReplay, BadArgumentsExitTwoNamingTheArgument) {
    const std::pair<std::string, std::string> cases[] = {
        {"", "CAPTURE"},
        {"x.pcap --depth 0", "--depth"},
        {"x.pcap --orders lots", "--orders"},
        {"x.pcap --symbols 70000", "--symbols"},
        {"x.pcap --bogus 1", "--bogus"},
        {"x.pcap --snapshot", "--snapshot"},
        {"a.pcap b.pcap", "b.pcap"},
    };
    for (const auto& [args, named] : cases) {
        EXPECT_EQ(run_replay(args, "bad"), 2) << args;
        EXPECT_NE(read_text(work_dir / "bad.err").find(named), std::string::npos) << args;
    }
    EXPECT_EQ(run_replay("--help", "help"), 0);
    EXPECT_NE(read_text(work_dir / "help.out").find("--snapshot"), std::string::npos);
    EXPECT_EQ(run_replay((work_dir / "does-not-exist.pcap").string(), "missing"), 2);
    EXPECT_NE(read_text(work_dir / "missing.err").find("No such file or directory"),
              std::string::npos);
}

TEST(BookReplay, RealCaptures) {
    const fs::path captures = HT_CAPTURES_DIR;
    if (!fs::is_directory(captures)) {
        GTEST_SKIP() << "real captures not found at " << captures.string()
                     << " (the shared nasdaq-itch50-captures folder is not beside this clone)";
    }
    uint32_t files = 0;
    uint64_t books_seen = 0;
    for (const auto& entry : fs::recursive_directory_iterator(captures)) {
        if (entry.path().extension() != ".pcap") continue;
        SCOPED_TRACE(entry.path().string());
        const fs::path snapshot = work_dir / "real.snap.json";
        std::string args = "'";
        args += entry.path().string();
        args += "' --symbols 1024 --orders 65536 --levels 64 --snapshot ";
        args += snapshot.string();
        ASSERT_EQ(run_replay(args, "real"), 0) << read_text(work_dir / "real.err");
        const json_value got = parse_json(read_text(snapshot));
        ASSERT_TRUE(got.has("books") && got.has("feed"));
        EXPECT_GT(got.at("feed").at("messages").number, 0u);
        EXPECT_EQ(got.at("feed").at("rejected_packets").number, 0u);
        EXPECT_EQ(got.at("book_counters").at("crossed_bbo").number, 0u);
        books_seen += got.at("book_counters").at("adds").number;
        ++files;
    }
    EXPECT_EQ(files, 49u);
    EXPECT_GT(books_seen, 38u);  // Multiple.Packets alone has 38 adds
}

}  // namespace
