// The pcap reader: both timestamp resolutions, both byte orders, link type checks, truncation.
#include <gtest/gtest.h>

#include <cstring>

#include "hypertick/feed/pcap_file.hpp"

namespace {

using namespace hypertick::feed;

std::vector<uint8_t> header(uint32_t magic, bool big_endian, uint32_t linktype) {
    std::vector<uint8_t> h(24, 0);
    auto put = [&](uint32_t offset, uint32_t v, uint32_t width) {
        for (uint32_t i = 0; i < width; ++i) {
            const uint32_t shift = big_endian ? 8 * (width - 1 - i) : 8 * i;
            h[offset + i] = static_cast<uint8_t>(v >> shift);
        }
    };
    put(0, magic, 4);
    put(4, 2, 2);
    put(6, 4, 2);
    put(16, 65535, 4);
    put(20, linktype, 4);
    return h;
}

void add_record(std::vector<uint8_t>& file, bool big_endian, uint32_t sec, uint32_t frac,
                std::vector<uint8_t> data) {
    auto put = [&](uint32_t v) {
        for (uint32_t i = 0; i < 4; ++i)
            file.push_back(static_cast<uint8_t>(v >> (big_endian ? 8 * (3 - i) : 8 * i)));
    };
    put(sec);
    put(frac);
    put(static_cast<uint32_t>(data.size()));
    put(static_cast<uint32_t>(data.size()));
    file.insert(file.end(), data.begin(), data.end());
}

TEST(PcapReader, AllFourMagicVariants) {
    for (bool big : {false, true}) {
        for (bool nanos : {false, true}) {
            auto file = header(nanos ? pcap_magic_nanoseconds : pcap_magic_microseconds, big, 1);
            add_record(file, big, 10, 20, {1, 2, 3});
            pcap_reader reader;
            ASSERT_TRUE(reader.open_bytes(file)) << reader.error();
            EXPECT_EQ(reader.nanosecond_resolution(), nanos);
            pcap_record r;
            ASSERT_TRUE(reader.next(r));
            EXPECT_EQ(r.timestamp_ns, 10'000'000'000ull + (nanos ? 20 : 20'000));
            EXPECT_EQ(r.captured_length, 3u);
            EXPECT_EQ(r.data[2], 3);
            EXPECT_FALSE(reader.next(r));
            EXPECT_TRUE(reader.error().empty());
        }
    }
}

TEST(PcapReader, RejectsWhatItCannotRead) {
    pcap_reader reader;
    EXPECT_FALSE(reader.open_bytes({1, 2, 3}));
    EXPECT_FALSE(
        reader.open_bytes(header(0x0a0d0d0a, false, 1)));  // a pcapng magic, then no section header
    EXPECT_FALSE(reader.open_bytes(header(pcap_magic_microseconds, false, 113)));  // Linux SLL
    EXPECT_NE(reader.error().find("113"), std::string::npos);
    auto file = header(pcap_magic_microseconds, false, 1);
    add_record(file, false, 1, 1, {1, 2, 3, 4});
    file.pop_back();
    ASSERT_TRUE(reader.open_bytes(file));
    pcap_record r;
    EXPECT_FALSE(reader.next(r));
    EXPECT_NE(reader.error().find("record 1 at byte 24 is cut: 3 of its 4 bytes"),
              std::string::npos)
        << reader.error();
    EXPECT_FALSE(reader.open("/nonexistent/file.pcap"));
}

TEST(PcapWriter, WritesWhatTheReaderReads) {
    std::vector<uint8_t> file;
    append_pcap_header(file);
    const uint8_t frame[5] = {9, 8, 7, 6, 5};
    append_pcap_record(file, 1'700'000'000'123'456'789ull, frame, 5, 5);
    pcap_reader reader;
    ASSERT_TRUE(reader.open_bytes(file));
    pcap_record r;
    ASSERT_TRUE(reader.next(r));
    EXPECT_EQ(r.timestamp_ns, 1'700'000'000'123'456'789ull);
    EXPECT_EQ(0, std::memcmp(r.data, frame, 5));
}

}  // namespace
