// bbo_dump's text: decimal prices, ITCH timestamps as clock time, a header aligned with the
// rows, and a summary whose values line up whatever their size.
#include <gtest/gtest.h>

#include <sstream>

#include "bbo_text.hpp"

namespace {

using namespace hypertick::tools::bbo_dump;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

TEST(BboDumpText, PricesHaveFourDecimals) {
    EXPECT_EQ(price_text(0), "0.0000");
    EXPECT_EQ(price_text(1), "0.0001");
    EXPECT_EQ(price_text(1234500), "123.4500");
    EXPECT_EQ(price_text(4294967295u), "429496.7295");
}

TEST(BboDumpText, TimestampsReadAsClockTime) {
    EXPECT_EQ(clock_text(0), "00:00:00.000000000");
    EXPECT_EQ(clock_text(34'200'000'000'123), "09:30:00.000000123");
    EXPECT_EQ(clock_text(86'399'999'999'999), "23:59:59.999999999");
    EXPECT_EQ(clock_text(90'000'000'000'000), "25:00:00.000000000");  // past one day: said as it is
}

TEST(BboDumpText, HeaderNamesEveryColumnAboveIt) {
    hypertick::book::bbo_update u;
    u.sequence = 42;
    u.timestamp_ns = 34'200'000'000'123;
    u.bid = {1234500, 3, 700};
    u.ask = {1234600, 1, 100};
    u.flags = hypertick::book::bbo_flag::bbo_feed_invalid;
    const std::string header = record_header(), row = record_row(1, 7, "AAPL", u);
    EXPECT_EQ(row,
              "  1         7 AAPL             42 34200000000123 09:30:00.000000123    123.4500     "
              "   700          3 "
              "   123.4600        100          1 FEED-INVALID");
    // Each column's name ends where its value ends (right-aligned) or starts where it starts.
    for (const char* name : {"datagram", "feed_seq", "itch_ns", "bid_price", "bid_shares",
                             "bid_orders", "ask_price", "ask_shares", "ask_orders"}) {
        const std::size_t end = header.find(name) + std::string(name).size();
        ASSERT_LT(end, row.size()) << name;
        EXPECT_NE(row[end - 1], ' ') << name << "\n" << header << "\n" << row;
        EXPECT_EQ(row[end], ' ') << name << "\n" << header << "\n" << row;
    }
    for (const char* name : {"symbol", "itch_time", "flags"})
        EXPECT_NE(row[header.find(name)], ' ') << name;
    EXPECT_EQ(row.substr(header.find("flags")), "FEED-INVALID");
}

TEST(BboDumpText, SummaryValuesAlignWhateverTheirSize) {
    const std::vector<std::string> lines = lines_of(summary_table(
        {{"frames", 12345678901}, {"sequence gaps", 0}, {"records flagged not valid", 7}}));
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "  frames                     12345678901");
    EXPECT_EQ(lines[1], "  sequence gaps                        0");
    EXPECT_EQ(lines[2], "  records flagged not valid            7");
}

}  // namespace
