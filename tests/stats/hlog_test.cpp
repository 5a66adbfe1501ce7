// .hlog writer and reader: header lines, field meanings, tags, round trip, errors by line.
#include <gtest/gtest.h>

#include <sstream>

#include "hypertick/stats/format_error.hpp"
#include "hypertick/stats/hlog_reader.hpp"
#include "hypertick/stats/hlog_writer.hpp"
#include "test_support.hpp"

namespace {

using namespace hypertick::stats;

TEST(HlogWriter, HeaderAndIntervalLine) {
    std::ostringstream out;
    hlog_writer writer(out, 1700000000.0);
    histogram h;
    h.record(50'004);
    writer.write_interval(hlog_tag(1, "rx_to_book"), 1700000002.0, 1700000003.5, h);
    const auto lines = stats_test::lines_of(out.str());
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[0], "#[Histogram log format version 1.3]");
    EXPECT_EQ(lines[1],
              "#[StartTime: 1700000000.000 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]");
    EXPECT_EQ(lines[2], "#[BaseTime: 1700000000.000 (seconds since epoch)]");
    EXPECT_EQ(lines[3],
              "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_"
              "Histogram\"");
    // Start relative to BaseTime, then the LENGTH, then the max in milliseconds.
    EXPECT_TRUE(lines[4].starts_with("Tag=lcore1.rx_to_book,2.000,1.500,0.050,HISTFAAA"))
        << lines[4];
}

TEST(HlogWriter, TagRules) {
    EXPECT_TRUE(valid_hlog_tag("lcore1.rx_to_book"));
    EXPECT_FALSE(valid_hlog_tag(""));
    EXPECT_FALSE(valid_hlog_tag("a,b"));
    EXPECT_FALSE(valid_hlog_tag("a b"));
    EXPECT_FALSE(valid_hlog_tag("a\nb"));
    EXPECT_EQ(hlog_tag(3, "task_poll"), "lcore3.task_poll");
}

TEST(HlogReader, RoundTripOfSeveralTaggedIntervals) {
    std::ostringstream out;
    hlog_writer writer(out, 1000.0);
    for (int i = 0; i < 3; ++i) {
        histogram h;
        for (std::uint64_t v = 1; v <= 100; ++v)
            h.record_n(v * 1000, static_cast<std::uint64_t>(i + 1));
        writer.write_interval(hlog_tag(static_cast<unsigned>(i % 2), "bbo_to_tx"), 1000.0 + i,
                              1001.0 + i, h);
    }
    writer.write_interval("", 1003.0, 1004.0, histogram{});
    std::istringstream in(out.str());
    hlog_reader reader(in);
    for (int i = 0; i < 3; ++i) {
        const auto interval = reader.next();
        ASSERT_TRUE(interval.has_value());
        EXPECT_EQ(interval->tag, hlog_tag(static_cast<unsigned>(i % 2), "bbo_to_tx"));
        EXPECT_DOUBLE_EQ(interval->start_s, i);
        EXPECT_DOUBLE_EQ(interval->length_s, 1.0);
        EXPECT_EQ(interval->values.total_count(), 100u * static_cast<std::uint64_t>(i + 1));
        EXPECT_EQ(interval->values.value_at_percentile(50),
                  interval->values.layout().highest_equivalent(50'000));
        EXPECT_EQ(interval->line_number, 5u + static_cast<std::size_t>(i));
    }
    const auto untagged = reader.next();
    ASSERT_TRUE(untagged.has_value());
    EXPECT_EQ(untagged->tag, "");
    EXPECT_EQ(untagged->values.total_count(), 0u);
    EXPECT_FALSE(reader.next().has_value());
    EXPECT_EQ(reader.start_time_s(), 1000.0);
    EXPECT_EQ(reader.base_time_s(), 1000.0);
}

TEST(HlogReader, ErrorsNameTheLine) {
    const std::pair<std::string, std::string> cases[] = {
        {"#[Histogram log format version 1.3]\nTag=a,1.0,2.0\n", "line 2: expected 4"},
        {"\n\nTag=a,x,1.0,0.1,HISTFAAA\n", "line 3: StartTimestamp 'x'"},
        {"0.0,-1,0.1,HISTFAAA\n", "line 1: Interval_Length"},
        {"#c\nTag=a,0.0,1.0,0.1,HISTFAAAB!==\n", "line 2: bad base64"},
        {"#[StartTime: soon]\n", "line 1: StartTime"},
        // Not finite: no time or length, and a NaN start would pass every window test.
        {"#[BaseTime: inf]\n", "line 1: BaseTime"},
        {"Tag=a,nan,1.0,0.1,HISTFAAA\n", "line 1: StartTimestamp 'nan'"},
        {"Tag=a,0.0,inf,0.1,HISTFAAA\n", "line 1: Interval_Length 'inf'"},
        {"Tag=a,0.0,1.0,-inf,HISTFAAA\n", "line 1: Interval_Max '-inf'"},
        // Tags the report could not show whole or safely.
        {"Tag=a\x1b[31m,0.0,1.0,0.1,HISTFAAA\n",
         "line 1: Tag= holds control character 0x1b at byte 2"},
        {"Tag=" + std::string(257, 'T') + ",0.0,1.0,0.1,HISTFAAA\n", "line 1: Tag= of 257 bytes"},
        // Too many fields are counted without splitting them all.
        {"Tag=a," + std::string(100000, ',') + "\n",
         "line 1: expected 4 comma-separated fields after the tag, found 100001"},
    };
    for (const auto& [text, expected] : cases) {
        std::istringstream in(text);
        hlog_reader reader(in);
        try {
            while (reader.next()) {
            }
            ADD_FAILURE() << "no error for: " << text;
        } catch (const format_error& error) {
            EXPECT_NE(std::string(error.what()).find(expected), std::string::npos) << error.what();
        }
    }
}

// A log whose writer died mid-line: every complete interval is read, the cut last line ends
// the input and is reported, wherever the cut falls in that line.
TEST(HlogReader, CutLastLineEndsTheLogAndIsReported) {
    std::ostringstream out;
    hlog_writer writer(out, 1000.0);
    for (int i = 0; i < 3; ++i) {
        histogram h;
        for (std::uint64_t v = 1; v <= 1000; ++v) h.record(v * 997);
        writer.write_interval("t", 1000.0 + i, 1001.0 + i, h);
    }
    const std::string whole = out.str();
    const std::size_t last_line = whole.rfind('\n', whole.size() - 2) + 1;
    for (std::size_t cut = last_line + 1; cut < whole.size() - 1; cut += 7) {
        std::istringstream in(whole.substr(0, cut));
        hlog_reader reader(in);
        int complete = 0;
        while (reader.next()) ++complete;
        EXPECT_EQ(complete, 2) << "cut at " << cut;
        EXPECT_TRUE(reader.cut_line().starts_with("line 7: "))
            << "cut at " << cut << ": " << reader.cut_line();
    }
    // The whole log, with or without its last newline, is complete.
    for (const std::string& text : {whole, whole.substr(0, whole.size() - 1)}) {
        std::istringstream in(text);
        hlog_reader reader(in);
        int complete = 0;
        while (reader.next()) ++complete;
        EXPECT_EQ(complete, 3);
        EXPECT_EQ(reader.cut_line(), "");
    }
}

TEST(HlogReader, AMalformedLineWithItsNewlineIsStillAnError) {
    // Only an unterminated last line can be a cut one; a bad line ended by a newline is not.
    std::istringstream in("Tag=a,0.000,1.000,0.1,HISTFAAA\n");
    hlog_reader reader(in);
    EXPECT_THROW(reader.next(), format_error);
}

TEST(HlogReader, ALineLongerThanTheBoundIsAnErrorNamingIt) {
    // A line that never ends (a file without newlines, /dev/zero) stops at the bound instead of
    // growing the reader's memory with it.
    std::istringstream endless(std::string(300'000, 'A'));
    hlog_reader bounded(endless, 200'000);
    try {
        (void)bounded.next();
        ADD_FAILURE() << "no error for a 300000-byte line";
    } catch (const format_error& error) {
        EXPECT_STREQ(error.what(),
                     "line 1: longer than 200000 bytes, more than any interval line can be");
    }
    // Lines up to the bound, read across the reader's 64 KiB chunks, are read whole: a comment
    // of exactly the bound, then a real interval line whose line number counts the comment.
    std::ostringstream out;
    hlog_writer writer(out, 1000.0);
    histogram h;
    h.record_n(5000, 7);
    writer.write_interval("t", 1000.0, 1001.0, h);
    const std::string text = "#" + std::string(199'999, 'c') + "\n" + out.str();
    std::istringstream in(text);
    hlog_reader reader(in, 200'000);
    const auto interval = reader.next();
    ASSERT_TRUE(interval.has_value());
    EXPECT_EQ(interval->values.total_count(), 7u);
    EXPECT_EQ(interval->line_number, 6u);  // the comment, the writer's 4 header lines, it
    EXPECT_FALSE(reader.next().has_value());
}

}  // namespace
