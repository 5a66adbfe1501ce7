// The capture reader and the file layer under hostile files: what is not a regular file is
// refused without reading it, pcapng is read like pcap, and a file that stops early says how
// much was read and what stopped it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "gateway_harness.hpp"
#include "hostile_files_captures.hpp"
#include "hypertick/feed/file_bytes.hpp"
#include "hypertick/feed/historical_file.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace {

using namespace hypertick::feed;
namespace fs = std::filesystem;

using hypertick::gw::test::scratch_dir;

std::vector<pcap_record> read_all(pcap_reader& reader) {
    std::vector<pcap_record> records;
    pcap_record r;
    while (reader.next(r)) records.push_back(r);
    return records;
}

TEST(HostileFileImage, RefusesWhatIsNotARegularFileWithoutReadingIt) {
    const std::string dir = scratch_dir();
    ASSERT_EQ(::mkfifo((dir + "/fifo").c_str(), 0600), 0);
    const std::pair<std::string, std::string> refused[] = {
        {"/dev/zero", "is a character device, not a regular file"},
        {dir, "is a directory, not a regular file"},
        {dir + "/fifo", "is a FIFO, not a regular file"},  // must not block waiting for a writer
        {dir + "/missing.pcap", "No such file or directory"},
    };
    for (const auto& [path, why] : refused) {
        file_image image;
        std::string error;
        EXPECT_FALSE(image.map(path, error)) << path;
        EXPECT_EQ(error, why) << path;
        pcap_reader reader;
        EXPECT_FALSE(reader.open(path)) << path;
        EXPECT_EQ(reader.error(), why) << path;
    }
}

TEST(HostileFileImage, MapsRegularFilesIncludingEmptyOnes) {
    const std::string dir = scratch_dir();
    hostile::save(dir + "/three", {1, 2, 3});
    hostile::save(dir + "/empty", {});
    file_image image;
    std::string error;
    ASSERT_TRUE(image.map(dir + "/three", error)) << error;
    ASSERT_EQ(image.size(), 3u);
    EXPECT_EQ(image.data()[2], 3);
    ASSERT_TRUE(image.map(dir + "/empty", error)) << error;
    EXPECT_EQ(image.size(), 0u);
    pcap_reader reader;
    EXPECT_FALSE(reader.open(dir + "/empty"));
    EXPECT_EQ(reader.error(), "the file is empty (0 bytes), not a pcap or pcapng capture");
}

TEST(HostilePcapng, ReadsTheSameRecordsAsThePcapInEveryByteOrderAndResolution) {
    const std::vector<uint8_t> pcap = hostile::hostile_feed_pcap();
    pcap_reader classic;
    ASSERT_TRUE(classic.open_bytes(pcap)) << classic.error();
    const std::vector<pcap_record> expected = read_all(classic);
    ASSERT_EQ(expected.size(), 15u);
    for (const bool big_endian : {false, true}) {
        for (const uint8_t resolution : {uint8_t{9}, uint8_t{6}, uint8_t{0x80 | 30}}) {
            SCOPED_TRACE(std::to_string(big_endian) + " " + std::to_string(resolution));
            pcap_reader reader;
            ASSERT_TRUE(reader.open_bytes(hostile::to_pcapng(pcap, {big_endian, resolution})))
                << reader.error();
            EXPECT_EQ(reader.format(), capture_format::pcapng);
            const std::vector<pcap_record> records = read_all(reader);
            EXPECT_TRUE(reader.error().empty()) << reader.error();
            ASSERT_EQ(records.size(), expected.size());
            // Microsecond and 2^-30 s ticks round the nanosecond timestamps down.
            const uint64_t tolerance_ns = resolution == 9 ? 0 : 1000;
            for (size_t i = 0; i < records.size(); ++i) {
                ASSERT_EQ(records[i].captured_length, expected[i].captured_length);
                EXPECT_EQ(
                    0, std::memcmp(records[i].data, expected[i].data, records[i].captured_length));
                EXPECT_LE(expected[i].timestamp_ns - records[i].timestamp_ns, tolerance_ns);
            }
            EXPECT_EQ(reader.records_read(), expected.size());
            reader.rewind();
            EXPECT_EQ(read_all(reader).size(), expected.size());
        }
    }
}

TEST(HostilePcapng, RefusesANonEthernetInterfaceAtOpen) {
    pcap_reader reader;
    EXPECT_FALSE(
        reader.open_bytes(hostile::to_pcapng(hostile::hostile_feed_pcap(), {false, 9, 113})));
    EXPECT_EQ(reader.error(),
              "pcapng: interface 0 (the block at byte 28) has link type 113, not Ethernet (1)");
}

TEST(HostilePcapng, ACutBlockSaysHowMuchWasReadAndWhatWasCut) {
    std::vector<uint8_t> file = hostile::to_pcapng(hostile::hostile_feed_pcap());
    ASSERT_GT(file.size(), 100u);
    file.erase(file.end() - 10, file.end());
    const uint64_t size = file.size();
    pcap_reader reader;
    ASSERT_TRUE(reader.open_bytes(file));
    EXPECT_EQ(read_all(reader).size(), 14u);
    EXPECT_NE(reader.error().find("read 14 records ("), std::string::npos) << reader.error();
    EXPECT_NE(reader.error().find(" of " + std::to_string(size) + " bytes); the block at byte "),
              std::string::npos)
        << reader.error();
    EXPECT_NE(reader.error().find(" is cut: "), std::string::npos) << reader.error();
}

TEST(HostilePcap, CutAndDamagedRecordsStopWithTheSameWording) {
    std::vector<uint8_t> file = hostile::hostile_feed_pcap();
    pcap_reader whole;
    ASSERT_TRUE(whole.open_bytes(file));
    pcap_record first;
    ASSERT_TRUE(whole.next(first));
    const uint64_t second_at =
        pcap_file_header_length + pcap_record_header_length + first.captured_length;

    std::vector<uint8_t> cut(file.begin(), file.begin() + static_cast<long>(second_at + 20));
    pcap_reader reader;
    ASSERT_TRUE(reader.open_bytes(cut));
    EXPECT_EQ(read_all(reader).size(), 1u);
    EXPECT_EQ(reader.error(),
              describe_stop("records", 1, second_at, second_at + 20,
                            "record 2 at byte " + std::to_string(second_at) + " is cut: 4 of its " +
                                std::to_string(first.captured_length) + " bytes"));
    EXPECT_EQ(reader.error(), "read 1 records (" + std::to_string(second_at) + " of " +
                                  std::to_string(second_at + 20) + " bytes); record 2 at byte " +
                                  std::to_string(second_at) + " is cut: 4 of its " +
                                  std::to_string(first.captured_length) +
                                  " bytes; the last 20 bytes are not read");

    // A length no capture can hold: the file is damaged there, whatever follows.
    std::vector<uint8_t> damaged = file;
    const uint32_t absurd = 0x7fffffff;
    std::memcpy(&damaged[second_at + 8], &absurd, 4);
    ASSERT_TRUE(reader.open_bytes(damaged));
    EXPECT_EQ(read_all(reader).size(), 1u);
    EXPECT_NE(
        reader.error().find("record 2 at byte " + std::to_string(second_at) +
                            " is damaged: its header says 2147483647 bytes, more than 262144"),
        std::string::npos)
        << reader.error();
}

// Random damage (bytes changed, the file cut anywhere) never makes a record point outside the
// file; under ASan the exact-size buffer also catches a read one byte past its end.
TEST(HostileCaptures, RandomDamageNeverReadsOutsideTheFile) {
    const std::vector<uint8_t> pcap = hostile::hostile_feed_pcap();
    const std::vector<std::vector<uint8_t>> originals = {
        pcap, hostile::to_pcapng(pcap), hostile::to_pcapng(pcap, {true, 0x80 | 20})};
    uint64_t x = 88172645463325252ull;
    auto random = [&x](uint64_t n) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        return x % n;
    };
    uint64_t stopped = 0;
    for (int round = 0; round < 3000; ++round) {
        std::vector<uint8_t> bytes = originals[static_cast<size_t>(round) % originals.size()];
        for (uint64_t n = 1 + random(4); n > 0; --n)
            bytes[random(bytes.size())] = static_cast<uint8_t>(random(256));
        if (random(2) == 0) bytes.resize(random(bytes.size()));
        bytes.shrink_to_fit();
        const uint8_t* begin = bytes.data();
        const uint8_t* end = begin + bytes.size();
        pcap_reader reader;
        if (!reader.open_bytes(std::move(bytes))) continue;
        pcap_record r;
        while (reader.next(r)) {
            ASSERT_GE(r.data, begin);
            ASSERT_LE(r.data + r.captured_length, end);
            volatile uint8_t sum = 0;
            for (uint32_t i = 0; i < r.captured_length; ++i)
                sum = static_cast<uint8_t>(sum + r.data[i]);
        }
        stopped += !reader.error().empty();
    }
    EXPECT_GT(stopped, 100u);  // the damage was seen, not just skipped
}

TEST(HostileHistorical, ACutMessageIsReportedLikeACutRecord) {
    historical_reader reader;
    ASSERT_TRUE(reader.open_bytes({0, 2, 'S', 'x', 0, 12, 'S'}));
    const uint8_t* message = nullptr;
    uint16_t length = 0;
    EXPECT_TRUE(reader.next(message, length));
    EXPECT_FALSE(reader.next(message, length));
    EXPECT_EQ(reader.error(),
              "read 1 messages (4 of 7 bytes); message 2 at byte 4 is cut: 1 of its 12 bytes; the "
              "last 3 bytes are not read");
}

}  // namespace
