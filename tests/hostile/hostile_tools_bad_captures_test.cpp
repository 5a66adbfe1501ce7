// Every kind of bad capture, given to book_replay, bbo_dump and the gateway (--replay, checked
// before EAL starts): a clear reason and exit 2, never a crash or DPDK's "no DPDK device named".
// Captures cut mid-record: each says how much was read and what was cut, in the same words,
// and exits 1. pcapng is read by all three. Snapshots on a full disk keep the previous file, and
// a tool whose standard output is full says so and exits 1.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "gateway_harness.hpp"
#include "hostile_files_captures.hpp"
#include "hostile_files_small_disk.hpp"

namespace {

namespace fs = std::filesystem;
using namespace hypertick::gw::test;

struct bad_capture {
    const char* kind;
    std::function<std::string(const std::string& dir)> make;  // returns the path
    std::string why;                                          // in every tool's message
};

std::vector<uint8_t> pcap_header_with_link_type(uint32_t link_type) {
    std::vector<uint8_t> h;
    hostile::append_pcap_header(h);
    std::memcpy(&h[20], &link_type, 4);
    return h;
}

std::vector<bad_capture> bad_captures() {
    return {
        {"missing", [](const std::string& d) { return d + "/missing.pcap"; },
         "No such file or directory"},
        {"empty",
         [](const std::string& d) {
             hostile::save(d + "/empty.pcap", {});
             return d + "/empty.pcap";
         },
         "the file is empty (0 bytes)"},
        {"directory",
         [](const std::string& d) {
             fs::create_directories(d + "/folder.pcap");
             return d + "/folder.pcap";
         },
         "is a directory, not a regular file"},
        {"/dev/zero", [](const std::string&) { return std::string("/dev/zero"); },
         "is a character device, not a regular file"},
        {"random bytes",
         [](const std::string& d) {
             std::vector<uint8_t> noise(4096);
             uint32_t x = 2463534242u;
             for (uint8_t& b : noise) {
                 x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                 b = static_cast<uint8_t>(x);
             }
             noise[0] = 0xff;  // a 65 000-byte first "message": not a NASDAQ historical file either
             hostile::save(d + "/noise.pcap", noise);
             return d + "/noise.pcap";
         },
         "not a pcap"},
        {"cut header",
         [](const std::string& d) {
             std::vector<uint8_t> h = pcap_header_with_link_type(1);
             h.resize(20);
             hostile::save(d + "/short.pcap", h);
             return d + "/short.pcap";
         },
         "the 24-byte file header is cut (the file has 20 bytes)"},
        {"pcap of Linux cooked frames",
         [](const std::string& d) {
             hostile::save(d + "/sll.pcap", pcap_header_with_link_type(113));
             return d + "/sll.pcap";
         },
         "link type 113 is not Ethernet (1)"},
        {"pcapng of Linux cooked frames",
         [](const std::string& d) {
             hostile::save(d + "/sll.pcapng",
                           hostile::to_pcapng(hostile::hostile_feed_pcap(), {false, 9, 113}));
             return d + "/sll.pcapng";
         },
         "has link type 113, not Ethernet (1)"},
    };
}

std::string gateway_config(const std::string& dir, const std::string& prefix) {
    write_file(dir + "/gw.yaml", single_feed_config(prefix).yaml());
    return bin("hypertick-gw") + " --config " + dir + "/gw.yaml";
}

// What the shared reader says about a capture that stops early: every tool must print it.
std::string stop_message(const std::string& path) {
    hostile::pcap_reader reader;
    EXPECT_TRUE(reader.open(path)) << reader.error();
    hostile::pcap_record record;
    while (reader.next(record)) {
    }
    EXPECT_FALSE(reader.error().empty());
    return path + ": " + reader.error();
}

// A little-endian classic pcap written big-endian (every header field swapped), its record count
// and how many records hold more than 100 bytes.
std::vector<uint8_t> big_endian_copy(const std::vector<uint8_t>& pcap, uint32_t& records,
                                     uint32_t& over_100) {
    std::vector<uint8_t> out = pcap;
    auto swap = [&](size_t at, size_t bytes) { std::reverse(&out[at], &out[at] + bytes); };
    const size_t header_fields[][2] = {{0, 4}, {4, 2}, {6, 2}, {8, 4}, {12, 4}, {16, 4}, {20, 4}};
    for (const auto& [at, bytes] : header_fields) swap(at, bytes);
    records = over_100 = 0;
    for (size_t at = 24; at + 16 <= pcap.size(); ++records) {
        uint32_t captured = 0;
        std::memcpy(&captured, &pcap[at + 8], 4);
        over_100 += captured > 100 ? 1 : 0;
        for (size_t field = 0; field < 4; ++field) swap(at + 4 * field, 4);
        at += 16 + captured;
    }
    return out;
}

void cut_file(const std::string& from, const std::string& to, uint64_t drop_bytes) {
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    fs::resize_file(to, fs::file_size(to) - drop_bytes);
}

TEST(HostileTools, BadCapturesGetTheirReasonAndExit2FromEveryTool) {
    const std::string dir = scratch_dir();
    const std::string gateway = gateway_config(dir, "hbc1");
    for (const bad_capture& bad : bad_captures()) {
        SCOPED_TRACE(bad.kind);
        const std::string path = bad.make(dir);
        const run_result replay = run("timeout 20 " + bin("book_replay") + " " + path);
        EXPECT_EQ(replay.exit_code, 2) << replay.output;
        EXPECT_TRUE(contains(replay.output, "book_replay: " + path + ": ")) << replay.output;
        EXPECT_TRUE(contains(replay.output, bad.why)) << replay.output;
        const run_result dump = run("timeout 20 " + bin("bbo_dump") + " " + path);
        EXPECT_EQ(dump.exit_code, 2) << dump.output;
        EXPECT_TRUE(contains(dump.output, "bbo_dump: " + path + ": ")) << dump.output;
        EXPECT_TRUE(contains(dump.output, bad.why)) << dump.output;
        for (const char* mode : {" --check-config", " --duration 5"}) {
            const run_result gw = run("timeout 20 " + gateway + mode + " --replay " + path);
            EXPECT_EQ(gw.exit_code, 2) << mode << gw.output;
            EXPECT_TRUE(contains(gw.output, "hypertick-gw: --replay " + path + ": ")) << gw.output;
            EXPECT_TRUE(contains(gw.output, bad.why)) << gw.output;
            EXPECT_FALSE(contains(gw.output, "no DPDK device")) << gw.output;
            EXPECT_FALSE(contains(gw.output, "EAL:")) << gw.output;  // refused before EAL started
        }
    }
}

TEST(HostileTools, PathsDpdkDeviceArgumentsCannotCarryAreRefused) {
    const std::string dir = scratch_dir();
    const std::string gateway = gateway_config(dir, "hbc2");
    const std::string comma = dir + "/feed,tx_iface=lo.pcap";
    itch_gen("--seed 1 --symbols 3 --messages 500", "'" + comma + "'", dir + "/expect.json");
    // book_replay takes no device arguments: the same file is fine there.
    EXPECT_EQ(run(bin("book_replay") + " '" + comma + "'").exit_code, 0);
    const run_result replay = run(gateway + " --check-config --replay '" + comma + "'");
    EXPECT_EQ(replay.exit_code, 2) << replay.output;
    EXPECT_TRUE(contains(replay.output, "the path holds ','")) << replay.output;
    for (const std::string& out :
         {std::string("x,tx_iface=lo"), std::string("x=y.pcap"), std::string("[x].pcap")}) {
        const run_result alone =
            run(gateway + " --check-config --publish-pcap '" + dir + "/" + out + "'");
        EXPECT_EQ(alone.exit_code, 2) << alone.output;
        EXPECT_TRUE(contains(alone.output, "--publish-pcap")) << alone.output;
        EXPECT_TRUE(contains(alone.output, "which DPDK device arguments cannot carry"))
            << alone.output;
    }
}

TEST(HostileTools, ACutCaptureIsReadToTheCutAndSaidTheSameWayByEveryTool) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap", cut = dir + "/cut.pcap";
    itch_gen("--seed 2 --symbols 5 --messages 3000", pcap, dir + "/expect.json");
    cut_file(pcap, cut, 100);
    const std::string said = stop_message(cut);
    EXPECT_TRUE(contains(said, " is cut: ")) << said;

    const run_result replay =
        run(bin("book_replay") + " " + cut + " --snapshot " + dir + "/replay.json");
    EXPECT_EQ(replay.exit_code, 1) << replay.output;
    EXPECT_TRUE(contains(replay.output, "book_replay: " + said)) << replay.output;
    EXPECT_TRUE(fs::exists(dir + "/replay.json"));  // the records before the cut still make books

    const run_result gw = run(gateway_config(dir, "hbc3") + " --replay " + cut + " --snapshot " +
                              dir + "/gw.json" + " --publish-pcap " + dir + "/pub.pcap");
    EXPECT_EQ(gw.exit_code, 1) << gw.output;
    EXPECT_TRUE(contains(gw.output, "hypertick-gw: --replay " + said)) << gw.output;
    EXPECT_TRUE(contains(gw.output, "stopping: end of replay")) << gw.output;
    EXPECT_EQ(compare("books", dir + "/gw.json", dir + "/replay.json").exit_code, 0)
        << compare("books", dir + "/gw.json", dir + "/replay.json").output;

    ASSERT_TRUE(fs::exists(dir + "/pub.pcap")) << gw.output;
    cut_file(dir + "/pub.pcap", dir + "/pub-cut.pcap", 10);
    const run_result dump = run(bin("bbo_dump") + " --quiet " + dir + "/pub-cut.pcap");
    EXPECT_EQ(dump.exit_code, 1) << dump.output;
    EXPECT_TRUE(contains(dump.output, "bbo_dump: " + stop_message(dir + "/pub-cut.pcap")))
        << dump.output;
}

TEST(HostileTools, PcapngIsReadByEveryToolLikeThePcap) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap", pcapng = dir + "/feed.pcapng",
                      expect = dir + "/expect.json";
    itch_gen("--seed 3 --symbols 6 --messages 4000", pcap, expect);
    hostile::save(pcapng, hostile::to_pcapng(hostile::file_bytes(pcap), {true, 6}));

    ASSERT_EQ(
        run(bin("book_replay") + " " + pcap + " --snapshot " + dir + "/from-pcap.json").exit_code,
        0);
    const run_result ng =
        run(bin("book_replay") + " " + pcapng + " --snapshot " + dir + "/from-pcapng.json");
    ASSERT_EQ(ng.exit_code, 0) << ng.output;
    EXPECT_TRUE(contains(ng.output, "(pcapng, ")) << ng.output;
    EXPECT_EQ(hostile::read_file_text(dir + "/from-pcap.json"),
              hostile::read_file_text(dir + "/from-pcapng.json"));

    const run_result gw = run(gateway_config(dir, "hbc4") + " --replay " + pcapng + " --snapshot " +
                              dir + "/gw.json" + " --publish-pcap " + dir + "/pub.pcap");
    ASSERT_EQ(gw.exit_code, 0) << gw.output;
    EXPECT_EQ(compare("books", dir + "/gw.json", expect).exit_code, 0)
        << compare("books", dir + "/gw.json", expect).output;

    hostile::save(dir + "/pub.pcapng", hostile::to_pcapng(hostile::file_bytes(dir + "/pub.pcap")));
    const run_result a = run(bin("bbo_dump") + " --quiet " + dir + "/pub.pcap");
    const run_result b = run(bin("bbo_dump") + " --quiet " + dir + "/pub.pcapng");
    EXPECT_EQ(b.exit_code, 0) << b.output;
    EXPECT_EQ(a.output, b.output);
}

TEST(HostileTools, SnapshotsOnAFullDiskFailAndKeepThePreviousFile) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 4 --symbols 400 --messages 20000", pcap, dir + "/expect.json");
    const std::string disk_dir = dir + "/disk";
    fs::create_directories(disk_dir);
    const std::string previous = "{\"previous\": \"snapshot\"}\n";
    hostile::full_disk disk(disk_dir, "s.json", previous);
    if (!disk.ready()) GTEST_SKIP() << disk.why_not();

    const run_result replay =
        run(bin("book_replay") + " " + pcap + " --snapshot " + disk_dir + "/s.json");
    EXPECT_EQ(replay.exit_code, 1) << replay.output;
    EXPECT_TRUE(contains(replay.output, "No space left on device")) << replay.output;
    EXPECT_EQ(hostile::read_file_text(disk_dir + "/s.json"), previous);

    const run_result gw = run(gateway_config(dir, "hbc5") + " --replay " + pcap + " --snapshot " +
                              disk_dir + "/s.json");
    EXPECT_EQ(gw.exit_code, 1) << gw.output;
    EXPECT_TRUE(contains(gw.output, "cannot write the snapshot of feed itch")) << gw.output;
    EXPECT_TRUE(contains(gw.output, "No space left on device")) << gw.output;
    EXPECT_EQ(hostile::read_file_text(disk_dir + "/s.json"), previous);
    size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(disk_dir)) ++entries;
    EXPECT_EQ(entries, 2u);  // s.json and the filler: no temporary file left behind
}

TEST(HostileTools, ItchGenOnAFullDiskKeepsThePreviousFileOfEachOutput) {
    const std::string dir = scratch_dir();
    const std::string disk_dir = dir + "/disk";
    fs::create_directories(disk_dir);
    const std::string previous = "the previous file\n";
    hostile::full_disk disk(disk_dir, "out", previous);
    if (!disk.ready()) GTEST_SKIP() << disk.why_not();
    const std::string gen = bin("itch_gen") + " --seed 5 --symbols 50 --messages 20000 ";
    const std::string out = disk_dir + "/out";
    // The capture, the expected books and the historical file: each larger than the disk.
    for (const std::string& options : {"--out " + out, "--out " + dir + "/a.pcap --expect " + out,
                                       "--out " + dir + "/a.pcap --historical-out " + out}) {
        const run_result r = run(gen + options);
        EXPECT_EQ(r.exit_code, 1) << options << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, "itch_gen: " + out + ": cannot write ")) << r.output;
        EXPECT_TRUE(
            contains(r.output, "No space left on device (a previous file is left as it was)"))
            << r.output;
        EXPECT_EQ(hostile::read_file_text(out), previous) << options;
        size_t entries = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(disk_dir)) ++entries;
        EXPECT_EQ(entries, 2u) << options << ": out and the filler, no temporary file";
    }
}

TEST(HostileTools, ConfigReferenceWriteOnAFullDiskLeavesTheDocumentWhole) {
    const std::string dir = scratch_dir();
    // A document whose table is one row: the generated one does not fit the full disk.
    const std::string document =
        "# Configuration\n<!-- config-reference: generated by config_reference, do not edit -->\n"
        "| key |\n<!-- config-reference: end -->\nthe rest of the document\n";
    const std::string disk_dir = dir + "/disk";
    fs::create_directories(disk_dir);
    hostile::full_disk disk(disk_dir, "configuration.md", document);
    if (!disk.ready()) GTEST_SKIP() << disk.why_not();
    const std::string path = disk_dir + "/configuration.md";
    const run_result r = run(bin("config_reference") + " --write " + path);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "No space left on device (the file is left as it was)"))
        << r.output;
    EXPECT_EQ(hostile::read_file_text(path), document);
    // A device or a FIFO is refused before it is read (/dev/zero filled memory, a FIFO waited
    // for a writer).
    const std::string fifo = dir + "/doc.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (const std::string& special : {std::string("/dev/null"), fifo}) {
        const run_result refused =
            run("timeout -s KILL 20 " + bin("config_reference") + " --check " + special);
        EXPECT_EQ(refused.exit_code, 2) << special << "\n" << refused.output;
        EXPECT_TRUE(contains(refused.output, special + ": is a ")) << refused.output;
    }
}

TEST(HostileTools, RecordsLongerThanTheSnapshotLengthAreRefusedByTheGateway) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 6 --symbols 20 --messages 5000", pcap, dir + "/expect.json");
    // The snapshot length set to 100 in a pcap of each byte order and in a pcapng: libpcap,
    // under DPDK's net_pcap, would cut or refuse every longer frame.
    std::vector<uint8_t> bytes = hostile::file_bytes(pcap);
    const uint8_t snaplen_100[4] = {100, 0, 0, 0};
    std::memcpy(&bytes[16], snaplen_100, 4);
    hostile::save(dir + "/snap100.pcap", bytes);
    uint32_t records = 0;
    uint32_t over_100 = 0;
    const std::vector<uint8_t> big = big_endian_copy(bytes, records, over_100);
    const std::string gw = gateway_config(dir, "hbc7") + " --duration 10 --replay ";
    run_result r = run(gw + dir + "/snap100.pcap");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "--replay " + dir + "/snap100.pcap: " +
                                       std::to_string(over_100) + " of " + std::to_string(records) +
                                       " records hold more bytes than the file's "
                                       "snapshot length 100 (the first, record 1, holds "))
        << r.output;
    // A big-endian file says the same.
    hostile::save(dir + "/snap100-be.pcap", big);
    r = run(gw + dir + "/snap100-be.pcap");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "snapshot length 100")) << r.output;
    // pcapng: libpcap reads every interface with the first one's snapshot length.
    std::vector<uint8_t> pcapng = hostile::to_pcapng(hostile::file_bytes(pcap));
    constexpr size_t first_interface_snaplen = 28 + 12;  // after the 28-byte section header
    std::memcpy(&pcapng[first_interface_snaplen], snaplen_100, 4);
    hostile::save(dir + "/snap100.pcapng", pcapng);
    r = run(gw + dir + "/snap100.pcapng");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, std::to_string(over_100) + " of " + std::to_string(records) +
                                       " records hold more bytes than the file's snapshot "
                                       "length 100"))
        << r.output;
    // book_replay reads every record whole, as before.
    EXPECT_EQ(run(bin("book_replay") + " " + dir + "/snap100.pcap").exit_code, 0);
}

TEST(HostileTools, NoToolWritesAnOutputOverItsInputOrAnotherOutput) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 7 --symbols 10 --messages 5000", pcap, dir + "/expect.json");
    const auto pcap_bytes = fs::file_size(pcap);
    run_result r = run(bin("book_replay") + " " + pcap + " --snapshot " + dir + "/./feed.pcap");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "book_replay: --snapshot: '" + dir +
                                       "/./feed.pcap' is the CAPTURE being read: writing it "
                                       "would destroy it"))
        << r.output;
    r = run(bin("itch_gen") + " --seed 7 --out " + dir + "/new.pcap --expect " + dir +
            "/./new.pcap");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "itch_gen: --out and --expect name the same file")) << r.output;
    EXPECT_FALSE(fs::exists(dir + "/new.pcap"));
    r = run(bin("itch_gen") + " --from-historical " + pcap + " --historical-out " + pcap);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "--historical-out and --from-historical name the same file"))
        << r.output;
    EXPECT_EQ(fs::file_size(pcap), pcap_bytes);
    // A FIFO as an output: opening it would wait for a reader, a rename would replace it.
    const std::string fifo = dir + "/out.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    r = run("timeout -s KILL 30 " + bin("book_replay") + " " + pcap + " --snapshot " + fifo);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "--snapshot: '" + fifo + "' is a FIFO, not a regular file"))
        << r.output;
    r = run("timeout -s KILL 30 " + bin("itch_gen") + " --seed 7 --out " + dir +
            "/other.pcap --expect " + fifo);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "--expect: '" + fifo + "' is a FIFO, not a regular file"))
        << r.output;
    EXPECT_TRUE(fs::is_fifo(fifo));
}

TEST(HostileTools, AFullStandardOutputIsSaidAndFailsEveryToolThatPrintsThere) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 5 --symbols 20 --messages 20000", pcap, dir + "/expect.json");
    const run_result gw =
        run(gateway_config(dir, "hbc6") + " --replay " + pcap + " --publish-pcap " + dir +
            "/bbo.pcap --latency-log " + dir + "/latency.hlog");
    ASSERT_EQ(gw.exit_code, 0) << gw.output;
    const std::pair<std::string, std::string> commands[] = {
        {"bbo_dump", bin("bbo_dump") + " " + dir + "/bbo.pcap"},
        {"bbo_dump", bin("bbo_dump") + " --final " + dir + "/bbo.pcap"},
        {"book_replay", bin("book_replay") + " " + pcap},
        {"hdr_report", bin("hdr_report") + " --summary " + dir + "/latency.hlog"},
        {"config_reference", bin("config_reference")},
    };
    for (const auto& [tool, command] : commands) {
        ASSERT_EQ(run(command + " > /dev/null").exit_code, 0) << command;
        // /dev/full: every write fails with ENOSPC; standard error still reaches the test.
        const run_result full = run("(" + command + " > /dev/full)");
        EXPECT_EQ(full.exit_code, 1) << command << "\n" << full.output;
        // The cause is known when the last flush fails, not when an earlier write did.
        EXPECT_TRUE(contains(full.output, tool + ": standard output: write failed ("))
            << command << full.output;
        EXPECT_TRUE(contains(full.output, "): what was printed there is incomplete"))
            << full.output;
    }
}

}  // namespace

// A capture of nothing but bad datagrams: bbo_dump says the first 20 on stderr, one line each,
// then how many more there were; the summary counts them all.
TEST(HostileTools, BboDumpSaysTheFirstProblemsAndCountsTheRest) {
    const std::string dir = scratch_dir();
    std::vector<uint8_t> pcap;
    hostile::append_pcap_header(pcap);
    const uint8_t junk[3] = {1, 2, 3};
    for (uint64_t i = 0; i < 1000; ++i) {
        const std::vector<uint8_t> frame = hostile::build_udp_frame({}, junk, sizeof junk);
        hostile::append_pcap_record(pcap, i, frame.data(), static_cast<uint32_t>(frame.size()),
                                    static_cast<uint32_t>(frame.size()));
    }
    hostile::save(dir + "/junk.pcap", pcap);
    const run_result dump =  // stderr alone
        run("{ " + bin("bbo_dump") + " --quiet " + dir + "/junk.pcap 2>&1 >/dev/null; }");
    EXPECT_EQ(dump.exit_code, 1) << dump.output;
    EXPECT_EQ(numbers_between(dump.output, "bbo_dump: frame ", ": 3 bytes").size(), 20u)
        << dump.output;
    EXPECT_TRUE(
        contains(dump.output, "bbo_dump: 980 more malformed datagrams or sequence gaps not shown"))
        << dump.output;
    EXPECT_LT(dump.output.size(), 4096u) << dump.output;
    const run_result summary = run(bin("bbo_dump") + " --quiet " + dir + "/junk.pcap");
    EXPECT_EQ(bbo_dump_count(summary.output, "malformed"), 1000) << summary.output;
}

// A capture with a file header and no record: the gateway's replay would end at once having
// done nothing, so it is refused before EAL starts; the tools report their zero counts.
TEST(HostileTools, ACaptureWithoutRecordsIsRefusedByTheGatewayAndCountedByTheTools) {
    const std::string dir = scratch_dir();
    const std::string path = dir + "/header-only.pcap";
    std::vector<uint8_t> pcap;
    hostile::append_pcap_header(pcap);
    hostile::save(path, pcap);
    const std::string gateway = gateway_config(dir, "hbc9");
    for (const std::string& options :
         {" --check-config --replay " + path, " --duration 5 --replay " + path}) {
        const run_result gw = run("timeout 20 " + gateway + options);
        EXPECT_EQ(gw.exit_code, 2) << options << gw.output;
        EXPECT_TRUE(
            contains(gw.output, path + ": the capture holds no records (nothing to replay)"))
            << gw.output;
        EXPECT_FALSE(contains(gw.output, "EAL:")) << gw.output;
    }
    const run_result dump = run(bin("bbo_dump") + " --quiet " + path);
    EXPECT_EQ(dump.exit_code, 0) << dump.output;
    EXPECT_EQ(bbo_dump_count(dump.output, "frames"), 0) << dump.output;
    const run_result replay = run(bin("book_replay") + " " + path);
    EXPECT_EQ(replay.exit_code, 0) << replay.output;
}
