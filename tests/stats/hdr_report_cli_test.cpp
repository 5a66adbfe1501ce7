// hdr_report run as users run it: options, exit codes, error messages, tables, SVG.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "sample_log.hpp"
#include "test_support.hpp"

namespace {

using stats_test::run;

const std::string hdr_report = HT_HDR_REPORT;

class HdrReportCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() { stats_test::write_sample_log(log_path()); }
    static std::string log_path() { return stats_test::temp_path("cli_sample.hlog"); }
};

TEST_F(HdrReportCli, HelpAndUsageErrors) {
    const auto help = run(hdr_report + " --help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("usage: hdr_report"), std::string::npos);
    EXPECT_NE(help.out.find("--plot OUT.svg"), std::string::npos);

    const auto unknown = run(hdr_report + " --frobnicate x.hlog 2>&1");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.out.find("unknown option '--frobnicate'"), std::string::npos);
    const auto unit = run(hdr_report + " --unit parsec x.hlog 2>&1");
    EXPECT_EQ(unit.exit_code, 2);
    EXPECT_NE(unit.out.find("--unit: 'parsec'"), std::string::npos);
    EXPECT_EQ(run(hdr_report + " 2>&1").exit_code, 2);
    EXPECT_EQ(run(hdr_report + " --tag 2>&1").exit_code, 2);
}

TEST_F(HdrReportCli, UnreadableOrMalformedInputExitsOne) {
    const auto missing = run(hdr_report + " /nonexistent/x.hlog 2>&1");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.out.find("cannot open '/nonexistent/x.hlog'"), std::string::npos);

    const std::string bad = stats_test::temp_path("cli_bad.hlog");
    std::ofstream(bad) << "#[Histogram log format version 1.3]\nTag=a,0.000,1.000,0.1,HISTFAAA\n";
    const auto malformed = run(hdr_report + " " + bad + " 2>&1");
    EXPECT_EQ(malformed.exit_code, 1);
    EXPECT_NE(malformed.out.find("line 2:"), std::string::npos) << malformed.out;

    const auto no_such_tag = run(hdr_report + " --tag nope " + log_path() + " 2>&1");
    EXPECT_EQ(no_such_tag.exit_code, 1);
    EXPECT_NE(no_such_tag.out.find("no intervals with the selected tag"), std::string::npos);
}

TEST_F(HdrReportCli, DistributionIsTheDefaultWithItsFooter) {
    const auto result = run(hdr_report + " " + log_path());
    ASSERT_EQ(result.exit_code, 0);
    const auto lines = stats_test::lines_of(result.out);
    ASSERT_GT(lines.size(), 10u);
    EXPECT_EQ(lines[0], "       Value     Percentile TotalCount 1/(1-Percentile)");
    const std::string& mean = lines[lines.size() - 3];
    EXPECT_TRUE(mean.starts_with("#[Mean    = ") && mean.find(", StdDeviation   = ") != std::string::npos) << mean;
    const std::string& max = lines[lines.size() - 2];
    EXPECT_TRUE(max.starts_with("#[Max     = ") && max.ends_with(", Total count    =       240000]")) << max;
    EXPECT_EQ(lines.back(), "#[Buckets =           24, SubBuckets     =         2048]");
    // The last table line has three columns: the 100% line.
    EXPECT_TRUE(lines[lines.size() - 4].ends_with(" 1.000000000000     240000")) << lines[lines.size() - 4];
}

TEST_F(HdrReportCli, SummaryTagSelectionUnitsAndCsv) {
    const auto all = run(hdr_report + " --summary --csv " + log_path());
    ASSERT_EQ(all.exit_code, 0);
    const auto lines = stats_test::lines_of(all.out);
    ASSERT_EQ(lines.size(), 6u);  // header, 4 tags, all
    EXPECT_EQ(lines[0], "tag,count,p50_ns,p90_ns,p99_ns,p99.9_ns,p99.99_ns,max_ns");
    EXPECT_TRUE(lines[1].starts_with("lcore1.rx_to_bbo_tx,60000,")) << lines[1];
    EXPECT_TRUE(lines[5].starts_with("all,240000,")) << lines[5];

    const auto one = run(hdr_report + " --summary --csv --unit us --tag lcore2.rx_to_book " + log_path());
    ASSERT_EQ(one.exit_code, 0);
    const auto one_lines = stats_test::lines_of(one.out);
    ASSERT_EQ(one_lines.size(), 3u);
    EXPECT_EQ(one_lines[0], "tag,count,p50_us,p90_us,p99_us,p99.9_us,p99.99_us,max_us");
    EXPECT_TRUE(one_lines[1].starts_with("lcore2.rx_to_book,60000,")) << one_lines[1];
    EXPECT_TRUE(one_lines[2].starts_with("all,60000,")) << one_lines[2];

    const auto two = run(hdr_report + " --summary --tag lcore1.rx_to_book --tag lcore2.rx_to_book " + log_path());
    ASSERT_EQ(two.exit_code, 0);
    EXPECT_EQ(stats_test::lines_of(two.out).size(), 4u);
    EXPECT_NE(two.out.find("(values in ns)"), std::string::npos);
}

TEST_F(HdrReportCli, TimelineHasOneRowPerSelectedInterval) {
    const auto result = run(hdr_report + " --timeline --csv --tag lcore1.rx_to_book " + log_path());
    ASSERT_EQ(result.exit_code, 0);
    const auto lines = stats_test::lines_of(result.out);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "start_s,length_s,tag,count,p50_ns,p99_ns,p99.9_ns,max_ns");
    EXPECT_TRUE(lines[1].starts_with("0.000,1.000,lcore1.rx_to_book,20000,")) << lines[1];
    EXPECT_TRUE(lines[3].starts_with("2.000,1.000,lcore1.rx_to_book,20000,")) << lines[3];
}

TEST_F(HdrReportCli, PlotIsWellFormedSvgWithOneCurvePerTag) {
    const std::string svg_path = stats_test::temp_path("cli_plot.svg");
    std::remove(svg_path.c_str());
    const auto result = run(hdr_report + " --unit us --plot " + svg_path + " " + log_path());
    ASSERT_EQ(result.exit_code, 0);
    EXPECT_TRUE(result.out.empty()) << "--plot alone prints nothing";
    const std::string svg = stats_test::read_text(svg_path);
    ASSERT_FALSE(svg.empty());
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
    EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
    // Every element opened is closed: self-closing or with a matching end tag.
    std::map<std::string, int> open;
    for (std::size_t at = svg.find('<'); at != std::string::npos; at = svg.find('<', at + 1)) {
        const std::size_t end = svg.find('>', at);
        ASSERT_NE(end, std::string::npos);
        const std::string element = svg.substr(at + 1, end - at - 1);
        if (element.starts_with("?") || element.ends_with("/")) continue;  // declaration, self-closing
        const bool closing = element.starts_with("/");
        const std::string name = element.substr(closing ? 1 : 0, element.find_first_of(" />", 1) - (closing ? 1 : 0));
        open[name] += closing ? -1 : 1;
        ASSERT_GE(open[name], 0) << name;
    }
    int curves = 0;
    for (std::size_t at = svg.find("<path class=\"curve\""); at != std::string::npos; at = svg.find("<path class=\"curve\"", at + 1)) ++curves;
    EXPECT_EQ(curves, 4);
    for (const char* text : {"lcore1.rx_to_book", "lcore2.rx_to_bbo_tx", ">90%<", ">99.9%<", "Latency (us)"})
        EXPECT_NE(svg.find(text), std::string::npos) << text;
}

}  // namespace
