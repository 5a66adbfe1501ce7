// book_replay over NASDAQ historical files decodes each message the way the gateway does: an add
// whose side is neither B nor S is counted and skipped, never booked on a guessed side.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gateway_harness.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace {

using namespace hypertick::gw::test;

// The offset of the side byte in an ITCH 5.0 Add Order ('A'): type 1, stock locate 2, tracking
// number 2, timestamp 6, order reference 8.
constexpr std::size_t add_side_offset = 19;

// Sets the side of the first Add Order in a historical file (2-byte big-endian length, then the
// message) to `side`; false when the file holds none.
bool set_first_add_side(const std::string& path, char side) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t at = 0; at + 2 <= bytes.size();) {
        const std::size_t length =
            (static_cast<std::uint8_t>(bytes[at]) << 8) | static_cast<std::uint8_t>(bytes[at + 1]);
        const std::size_t message = at + 2;
        if (message + length > bytes.size()) return false;
        if (length > add_side_offset && bytes[message] == 'A') {
            bytes[message + add_side_offset] = side;
            std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
            return true;
        }
        at = message + length;
    }
    return false;
}

// The number printed right after `label` in book_replay's counters, or -1.
long long count_after(const std::string& output, const std::string& label) {
    const std::size_t at = output.find(label);
    return at == std::string::npos ? -1 : std::stoll(output.substr(at + label.size()));
}

TEST(BookReplay, HistoricalAddWithABadSideIsCountedAndSkipped) {
    const std::string dir = scratch_dir();
    const std::string good = dir + "/good.itch";
    const std::string bad = dir + "/bad.itch";
    ASSERT_EQ(
        run(bin("itch_gen") + " --seed 9 --symbols 4 --messages 3000 --historical-out " + good)
            .exit_code,
        0);
    std::filesystem::copy_file(good, bad, std::filesystem::copy_options::overwrite_existing);
    ASSERT_TRUE(set_first_add_side(bad, 'X'));

    const run_result clean = run(bin("book_replay") + " " + good);
    ASSERT_EQ(clean.exit_code, 0) << clean.output;
    EXPECT_TRUE(contains(clean.output, "rejected 0,")) << clean.output;

    const run_result skipped = run(bin("book_replay") + " " + bad);
    ASSERT_EQ(skipped.exit_code, 0) << skipped.output;
    EXPECT_TRUE(contains(skipped.output, "rejected 1,")) << skipped.output;
    EXPECT_EQ(count_after(skipped.output, ", adds "), count_after(clean.output, ", adds ") - 1)
        << "the add with side X was booked:\n"
        << skipped.output;
}

// Rewrites the capture at `from` into `to` with `tags` inserted after each frame's two MAC
// addresses (12 bytes), as stacked VLAN tags are.
void insert_after_macs(const std::string& from, const std::string& to,
                       const std::vector<std::uint8_t>& tags) {
    hypertick::feed::pcap_reader reader;
    ASSERT_TRUE(reader.open(from)) << reader.error();
    std::vector<std::uint8_t> file;
    hypertick::feed::append_pcap_header(file);
    hypertick::feed::pcap_record record;
    while (reader.next(record)) {
        std::vector<std::uint8_t> frame(record.data, record.data + 12);
        frame.insert(frame.end(), tags.begin(), tags.end());
        frame.insert(frame.end(), record.data + 12, record.data + record.captured_length);
        const auto length = static_cast<std::uint32_t>(frame.size());
        hypertick::feed::append_pcap_record(file, record.timestamp_ns, frame.data(), length,
                                            length);
    }
    write_file(to, std::string(file.begin(), file.end()));
}

// Frames the replay does not accept are counted on the frames: line, and a capture of nothing
// else fails instead of reporting empty books as valid.
TEST(BookReplay, ACaptureOfNoAcceptedFrameIsCountedAndFails) {
    const std::string dir = scratch_dir();
    const std::string good = dir + "/good.pcap";
    const std::string tagged = dir + "/three-tags.pcap";
    ASSERT_EQ(run(bin("itch_gen") + " --seed 1 --symbols 4 --messages 2000 --out " + good +
                  " --expect " + dir + "/expect.json")
                  .exit_code,
              0);
    insert_after_macs(good, tagged,
                      {0x88, 0xa8, 0x00, 0x05, 0x81, 0x00, 0x00, 0x07, 0x81, 0x00, 0x00, 0x09});

    const run_result clean = run(bin("book_replay") + " " + good);
    ASSERT_EQ(clean.exit_code, 0) << clean.output;
    const long long frames = count_after(clean.output, "frames: ");
    EXPECT_GT(frames, 0) << clean.output;
    EXPECT_EQ(count_after(clean.output, ", accepted "), frames) << clean.output;

    const run_result none =
        run(bin("book_replay") + " " + tagged + " --snapshot " + dir + "/snapshot.json");
    EXPECT_EQ(none.exit_code, 1) << none.output;
    EXPECT_EQ(count_after(none.output, "frames: "), frames) << none.output;
    EXPECT_EQ(count_after(none.output, ", accepted "), 0) << none.output;
    EXPECT_EQ(count_after(none.output, ", not IPv4 "), frames) << none.output;
    EXPECT_TRUE(contains(none.output, "none of its " + std::to_string(frames) +
                                          " frames is a UDP datagram the replay accepts"))
        << none.output;
}

}  // namespace
