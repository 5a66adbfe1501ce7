// Base64, ZigZag LEB128 and the V2 compressed encoding: known vectors and round trips.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "hypertick/stats/base64.hpp"
#include "hypertick/stats/format_error.hpp"
#include "hypertick/stats/histogram_codec.hpp"
#include "hypertick/stats/histogram_layout.hpp"
#include "hypertick/stats/zigzag_leb128.hpp"

namespace {

using namespace hypertick::stats;

std::vector<std::uint8_t> bytes_of(std::string_view text) {
    return {text.begin(), text.end()};
}

// A V2 compressed encoding of `inner` (an uncompressed encoding, header and payload) in base64,
// so tests can hand the decoder payloads our encoder never writes.
std::string compressed_base64_of(const std::vector<std::uint8_t>& inner) {
    uLongf bytes = compressBound(static_cast<uLong>(inner.size()));
    std::vector<std::uint8_t> outer(8 + bytes);
    EXPECT_EQ(compress2(outer.data() + 8, &bytes, inner.data(), static_cast<uLong>(inner.size()),
                        Z_DEFAULT_COMPRESSION),
              Z_OK);
    outer.resize(8 + bytes);
    const std::uint64_t header = (std::uint64_t{v2_compressed_cookie} << 32) | bytes;
    for (std::size_t i = 0; i < 8; ++i)
        outer[i] = static_cast<std::uint8_t>(header >> (56 - 8 * i));
    return base64_encode(outer);
}

// Decoding `inner` (wrapped as a compressed encoding) fails with a message holding `expected`.
void expect_refused(const std::vector<std::uint8_t>& inner, const std::string& expected) {
    try {
        (void)decode_compressed_base64(compressed_base64_of(inner));
        ADD_FAILURE() << "no error, expected: " << expected;
    } catch (const format_error& error) {
        EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
    }
}

TEST(Base64, Rfc4648Vectors) {
    const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                     {"f", "Zg=="},
                                                                     {"fo", "Zm8="},
                                                                     {"foo", "Zm9v"},
                                                                     {"foob", "Zm9vYg=="},
                                                                     {"fooba", "Zm9vYmE="},
                                                                     {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64_encode(bytes_of(plain)), encoded);
        EXPECT_EQ(base64_decode(encoded), bytes_of(plain));
    }
    EXPECT_EQ(base64_encode(std::vector<std::uint8_t>{0xfb, 0xff}), "+/8=");
    EXPECT_THROW(base64_decode("Zm9"), format_error);
    EXPECT_THROW(base64_decode("Zm-v"), format_error);
}

TEST(ZigZagLeb128, RoundTripsAndLengths) {
    const std::int64_t values[] = {0,    1,     -1,        63,        -64,       64,
                                   1000, -2048, INT32_MAX, INT64_MAX, INT64_MIN, -INT64_MAX};
    for (const std::int64_t v : values) {
        std::vector<std::uint8_t> out;
        zigzag_append(v, out);
        EXPECT_LE(out.size(), zigzag_max_bytes);
        std::size_t pos = 0;
        EXPECT_EQ(zigzag_read(out, pos), v);
        EXPECT_EQ(pos, out.size());
    }
    std::vector<std::uint8_t> out;
    zigzag_append(-1, out);  // ZigZag(-1) = 1: one byte
    EXPECT_EQ(out, std::vector<std::uint8_t>{0x01});
    out.clear();
    zigzag_append(INT64_MIN, out);
    EXPECT_EQ(out.size(), 9u);
    out.pop_back();
    std::size_t pos = 0;
    EXPECT_THROW(zigzag_read(out, pos), format_error);
}

TEST(HistogramCodec, HeaderAndPayloadLayout) {
    histogram h;
    h.record(1);
    h.record_n(5, 3);
    const std::vector<std::uint8_t> inner = encode_uncompressed(h);
    ASSERT_GE(inner.size(), 40u);
    EXPECT_EQ(inner[0], 0x1c);
    EXPECT_EQ(inner[3], 0x13);
    EXPECT_EQ(inner[15], 3);  // significant digits
    EXPECT_EQ(inner[23], 1);  // lowest discernible value
    // counts: 0, 1, zero run of 3, 3  ->  ZigZag 0, 2, 5 (= -3), 6
    const std::vector<std::uint8_t> payload(inner.begin() + 40, inner.end());
    EXPECT_EQ(payload, (std::vector<std::uint8_t>{0x00, 0x02, 0x05, 0x06}));
    EXPECT_EQ(inner[7], 4);  // payload length
}

TEST(HistogramCodec, RoundTripKeepsEveryCount) {
    histogram h;
    std::uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 100000; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        h.record(1 + x % (i % 100 == 0 ? 10'000'000'000ull : 50'000ull));
    }
    h.record(10'000'000'000ull);
    const std::string text = encode_compressed_base64(h);
    EXPECT_EQ(text.substr(0, 8), "HISTFAAA");
    const histogram back = decode_compressed_base64(text);
    EXPECT_EQ(back.params(), h.params());
    EXPECT_EQ(back.total_count(), h.total_count());
    ASSERT_EQ(back.counts().size(), h.counts().size());
    for (std::size_t i = 0; i < h.counts().size(); ++i)
        ASSERT_EQ(back.counts()[i], h.counts()[i]) << i;
    EXPECT_EQ(back.max(), h.max());
    EXPECT_EQ(back.min(), h.min());
    for (const double p : {50.0, 99.0, 99.99})
        EXPECT_EQ(back.value_at_percentile(p), h.value_at_percentile(p));
}

TEST(HistogramCodec, EmptyAndOtherLayouts) {
    const histogram empty(histogram_params{1000, 3'600'000'000'000ull, 2});
    const histogram back = decode_compressed_base64(encode_compressed_base64(empty));
    EXPECT_EQ(back.total_count(), 0u);
    EXPECT_EQ(back.params(), empty.params());
}

TEST(HistogramCodec, CorruptInputIsAnErrorNotACrash) {
    histogram h;
    h.record(42);
    std::string text = encode_compressed_base64(h);
    EXPECT_THROW(decode_compressed_base64("HISTFAAA"), format_error);
    EXPECT_THROW(decode_compressed_base64(base64_encode(bytes_of("not a histogram!"))),
                 format_error);
    std::string truncated = text.substr(0, text.size() - 8);
    EXPECT_THROW(decode_compressed_base64(truncated), format_error);
    text[20] = text[20] == 'A' ? 'B' : 'A';  // damage the zlib stream
    EXPECT_THROW(decode_compressed_base64(text), format_error);
}

TEST(HistogramCodec, CountsThatSumPastTheLargestTotalAreRefused) {
    // Each count fits the encoding (below 2^63); together they pass 2^64 - 1.
    histogram h;
    h.record_n(1, (std::uint64_t{1} << 63) - 1);
    h.record_n(2, (std::uint64_t{1} << 63) - 1);
    const histogram largest = decode_compressed_base64(encode_compressed_base64(h));
    EXPECT_EQ(largest.total_count(), UINT64_MAX - 1);
    h.record_n(3, 2);
    EXPECT_THROW(decode_compressed_base64(encode_compressed_base64(h)), format_error);
}

TEST(HistogramCodec, ZeroRunsPastTheLayoutAreRefusedNotWrapped) {
    // Two runs of 2^63 zero counts wrap a 64-bit index back to where it started, so a count
    // after them would land on the first value. Any run that passes the layout is refused.
    const histogram h;
    const std::vector<std::uint8_t> header = encode_uncompressed(h);
    const auto with_payload = [&](const std::vector<std::int64_t>& values) {
        std::vector<std::uint8_t> inner(header.begin(), header.begin() + 40);
        for (const std::int64_t v : values) zigzag_append(v, inner);
        const std::size_t payload = inner.size() - 40;
        for (std::size_t i = 0; i < 4; ++i)
            inner[4 + i] = static_cast<std::uint8_t>(payload >> (24 - 8 * i));
        return compressed_base64_of(inner);
    };
    const std::int64_t half = INT64_MIN;  // a run of 2^63 zero counts
    EXPECT_THROW(decode_compressed_base64(with_payload({half, half, 7})), format_error);
    const auto length = static_cast<std::int64_t>(h.layout().counts_length());
    EXPECT_THROW(decode_compressed_base64(with_payload({-(length + 1)})), format_error);
    // A run that ends exactly at the layout's end is valid; one count after it is not.
    const histogram trailing = decode_compressed_base64(with_payload({5, -(length - 1)}));
    EXPECT_EQ(trailing.total_count(), 5u);
    EXPECT_EQ(trailing.counts()[0], 5u);
    EXPECT_THROW(decode_compressed_base64(with_payload({5, -(length - 1), 1})), format_error);
}

TEST(HistogramCodec, LayoutsPast2To62AreRefusedNotLoopedOn) {
    // With 3 digits the first bucket spans 2^11 sub-buckets: from a lowest value of 2^53 its
    // end is past 2^63, and building the layout would never finish.
    EXPECT_TRUE(params_error({std::uint64_t{1} << 53, std::uint64_t{1} << 54, 3}).has_value());
    EXPECT_TRUE(params_error({std::uint64_t{1} << 46, std::uint64_t{1} << 47, 5}).has_value());
    // 2^51 with 3 digits is the last that fits, up to the largest highest value.
    EXPECT_FALSE(params_error({std::uint64_t{1} << 51, std::uint64_t{1} << 62, 3}).has_value());
    const histogram edge(histogram_params{std::uint64_t{1} << 51, std::uint64_t{1} << 62, 3});
    EXPECT_GT(edge.layout().counts_length(), 0u);
    // Through the decoder: the parameters of a line are refused with their reason.
    std::vector<std::uint8_t> inner = encode_uncompressed(histogram{});
    for (int i = 0; i < 8; ++i) {
        inner[16 + i] = static_cast<std::uint8_t>((std::uint64_t{1} << 53) >> (56 - 8 * i));
        inner[24 + i] = static_cast<std::uint8_t>((std::uint64_t{1} << 54) >> (56 - 8 * i));
    }
    expect_refused(inner, "needs values past 2^62");
}

TEST(HistogramCodec, ReaderBoundsLayoutSizeAndClaimedPayload) {
    // 5 digits up to 2^62: 6 M counts, 48 MiB for every line that names them.
    std::vector<std::uint8_t> inner = encode_uncompressed(histogram{});
    inner[15] = 5;
    for (int i = 0; i < 8; ++i)
        inner[24 + i] = static_cast<std::uint8_t>((std::uint64_t{1} << 62) >> (56 - 8 * i));
    expect_refused(inner, "larger than this reader's limit of 4194304");
    // A payload length of 2^26 * 9 - 1 bytes claimed by a stream of a few dozen bytes is
    // refused before a buffer of that size is made.
    inner = encode_uncompressed(histogram{});
    const std::uint32_t claimed = (std::uint32_t{1} << 26) * 9 - 1;
    for (int i = 0; i < 4; ++i) inner[4 + i] = static_cast<std::uint8_t>(claimed >> (24 - 8 * i));
    expect_refused(inner, "implausible for");
}

}  // namespace
