// The sizes telemetry_dict predicts are the bytes DPDK 22.11 writes: compact JSON, '"' and '\'
// escaped, a comma between entries (counted after every entry: one byte spare).
#include "control/telemetry_dict.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace gw = hypertick::gw;

TEST(TelemetryDict, StringsCountTheirQuotesAndEscapes) {
    EXPECT_EQ(gw::telemetry_string_bytes(""), 2u);
    EXPECT_EQ(gw::telemetry_string_bytes("abc"), 5u);
    EXPECT_EQ(gw::telemetry_string_bytes("a\"b\\c"), std::string(R"("a\"b\\c")").size());
}

TEST(TelemetryDict, DictionaryBytesAreDpdksJsonPlusOneComma) {
    gw::telemetry_dict d;
    EXPECT_EQ(d.json_bytes(), 2u);
    d.add_string("name", "x\\u0001");
    d.add_u64("max", std::numeric_limits<std::uint64_t>::max());
    d.add_u64("zero", 0);
    d.add_int("neg", -12);
    const std::string dpdk = R"({"name":"x\\u0001","max":18446744073709551615,"zero":0,"neg":-12})";
    EXPECT_EQ(d.json_bytes(), dpdk.size() + 1);
    ASSERT_EQ(d.fields().size(), 4u);
    EXPECT_EQ(d.fields()[1].u64, std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(d.fields()[3].i64, -12);
}

TEST(TelemetryDict, ArraysOfStrings) {
    EXPECT_EQ(gw::telemetry_string_array_bytes({}), 2u);
    EXPECT_EQ(gw::telemetry_string_array_bytes({"a", "bc"}),
              std::string(R"(["a","bc"])").size() + 1);
}

// {"/x":VALUE} plus the terminator must stay 32 bytes inside DPDK's 16,384-byte buffer.
TEST(TelemetryDict, ReplyFitsKeepsSpareBytes) {
    const std::size_t wrapper = std::string(R"({"/x":})").size();
    const std::size_t largest = gw::telemetry_reply_limit - 1 - 32 - wrapper;
    EXPECT_TRUE(gw::telemetry_reply_fits("/x", largest));
    EXPECT_FALSE(gw::telemetry_reply_fits("/x", largest + 1));
}
