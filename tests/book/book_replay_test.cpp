// book_replay end to end: generated captures written at test time into the build tree (pcap and
// historical), its snapshot against itch_gen's expect document; argument errors; the real
// NASDAQ/BX/PSX captures beside the clone.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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
    // Every frame's outcome is in the snapshot, as on the frames: line.
    const json_value& counters = got.at("feed_counters");
    EXPECT_GT(counters.at("frames").number, 0u);
    EXPECT_EQ(counters.at("frame_accepted").number, counters.at("frames").number);
    EXPECT_EQ(counters.at("datagram_accepted").number, got.at("feed").at("packets").number);
    EXPECT_EQ(counters.at("malformed_order_side").number, 0u);
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
    EXPECT_EQ(hist.at("feed_counters").at("frames").number, 0u);  // no frames in the file
    EXPECT_EQ(hist.at("feed_counters").at("message_decoded").number, 200'000u);
    EXPECT_NE(read_text(work_dir / "hist.out").find("NASDAQ historical"), std::string::npos);
}

// A NASDAQ historical file: each message after its 2-byte big-endian length.
struct historical_writer {
    std::string bytes;
    void message(const std::vector<uint8_t>& m) {
        bytes += static_cast<char>(m.size() >> 8);
        bytes += static_cast<char>(m.size() & 0xff);
        bytes.append(m.begin(), m.end());
    }
    static void put_be(std::vector<uint8_t>& m, size_t at, uint64_t value, int bytes) {
        for (int i = bytes - 1; i >= 0; --i, value >>= 8) m[at + i] = value & 0xff;
    }
    void add(uint64_t ref, uint32_t price) {  // 'A': 100 shares to buy on locate 1
        std::vector<uint8_t> m(36, ' ');
        m[0] = 'A';
        put_be(m, 1, 1, 2);
        put_be(m, 3, 0, 8);  // tracking number and timestamp
        put_be(m, 11, ref, 8);
        m[19] = 'B';
        put_be(m, 20, 100, 4);
        put_be(m, 32, price, 4);
        message(m);
    }
    void del(uint64_t ref) {  // 'D'
        std::vector<uint8_t> m(19, 0);
        m[0] = 'D';
        put_be(m, 1, 1, 2);
        put_be(m, 11, ref, 8);
        message(m);
    }
};

// --orders 8 derives an order window of 8 references; a stream that makes the window do each
// of the things it counts, read back from book_replay's output and its snapshot.
TEST(BookReplay, ReportsWhatTheOrderWindowDid) {
    fs::create_directories(work_dir);
    historical_writer w;
    w.add(1, 1000);
    w.add(2, 1001);
    w.add(9, 1002);    // the window slides to [2, 9]; 9 takes slot 1: the order 1 moves behind
    w.add(100, 1003);  // far ahead: the window jumps to [93, 100]
    w.add(50, 1004);   // behind the window
    for (uint64_t ref : {1, 2, 9, 100, 50}) w.del(ref);
    w.add(5, 1005);  // behind the window with nothing live: the window moves back to 5
    const fs::path file = work_dir / "window.itch";
    std::ofstream(file, std::ios::binary) << w.bytes;
    const fs::path snapshot = work_dir / "window.snap.json";
    ASSERT_EQ(run_replay(file.string() + " --orders 8 --snapshot " + snapshot.string(), "window"),
              0)
        << read_text(work_dir / "window.err");
    EXPECT_NE(read_text(work_dir / "window.out")
                  .find("order window: 8 slots, moved_behind 1, added_behind 1, far_slides 1, "
                        "rebases 1\n"),
              std::string::npos)
        << read_text(work_dir / "window.out");
    const json_value window = parse_json(read_text(snapshot)).at("order_window");
    EXPECT_EQ(window.at("slots").number, 8u);
    for (const char* name : {"moved_behind", "added_behind", "far_slides", "rebases"})
        EXPECT_EQ(window.at(name).number, 1u) << name;
    EXPECT_EQ(parse_json(read_text(snapshot)).at("book_counters").at("adds").number, 6u);
}

// The number printed right after `label` in `text`, or -1.
double number_after(const std::string& text, const std::string& label) {
    const size_t at = text.find(label);
    return at == std::string::npos ? -1 : std::stod(text.substr(at + label.size()));
}

// The level prefetches' threshold is printed with where it came from, and --level-prefetch-books
// sets it: 0 turns them on from the first book, the derived default leaves one book without.
TEST(BookReplay, LevelPrefetchBooksIsSetAndReported) {
    fs::create_directories(work_dir);
    historical_writer w;
    w.add(1, 1000);
    w.del(1);
    const fs::path file = work_dir / "prefetch.itch";
    std::ofstream(file, std::ios::binary) << w.bytes;
    ASSERT_EQ(run_replay(file.string() + " --level-prefetch-books 0", "prefetch0"), 0)
        << read_text(work_dir / "prefetch0.err");
    const std::string given = read_text(work_dir / "prefetch0.out");
    EXPECT_NE(given.find("level prefetches: past 0 books in use (--level-prefetch-books), on "
                         "after the last run\n"),
              std::string::npos)
        << given;
    ASSERT_EQ(run_replay(file.string(), "prefetch"), 0) << read_text(work_dir / "prefetch.err");
    const std::string derived = read_text(work_dir / "prefetch.out");
    EXPECT_NE(derived.find("books in use (derived from the L2 cache), off after the last run\n"),
              std::string::npos)
        << derived;
    EXPECT_GE(number_after(derived, "level prefetches: past "), 1) << derived;
}

// A historical file is walked by its length prefixes and keeps no list of its messages: the
// resident memory after loading is the file image and the program, not 16 bytes more a
// message on top (1,000,000 messages: 21 MB of file, 16 MB of list).
TEST(BookReplay, HistoricalFileKeepsNoListOfItsMessages) {
    fs::create_directories(work_dir);
    historical_writer w;
    constexpr uint64_t deletes = 1'000'000;
    w.bytes.reserve(deletes * 21);
    for (uint64_t ref = 1; ref <= deletes; ++ref) w.del(ref);  // 19 bytes each, no order live
    const fs::path file = work_dir / "deletes.itch";
    std::ofstream(file, std::ios::binary) << w.bytes;
    ASSERT_EQ(run_replay(file.string() + " --symbols 16 --orders 1024 --levels 8", "deletes"), 0)
        << read_text(work_dir / "deletes.err");
    const std::string out = read_text(work_dir / "deletes.out");
    EXPECT_NE(out.find("(NASDAQ historical, 1000000 messages)"), std::string::npos) << out;
    EXPECT_NE(out.find("messages 1000000, median"), std::string::npos) << out;
    const double file_mib = static_cast<double>(w.bytes.size()) / (1 << 20);
    const double loaded_mib = number_after(out, "(capture image ");
    ASSERT_GT(loaded_mib, 0) << out;
    // The program itself takes a few MiB; a list would add 15 MiB or more.
    EXPECT_LT(loaded_mib, file_mib + 10) << out;
}

TEST(BookReplay, BadArgumentsExitTwoNamingTheArgument) {
    const std::pair<std::string, std::string> cases[] = {
        {"", "CAPTURE"},
        {"x.pcap --depth 0", "--depth"},
        {"x.pcap --orders lots", "--orders"},
        {"x.pcap --symbols 70000", "--symbols"},
        {"x.pcap --level-prefetch-books 65535", "--level-prefetch-books"},
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
