// hdr_report run as users run it: options, exit codes, error messages, tables, SVG.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "hypertick/stats/histogram.hpp"
#include "hypertick/stats/histogram_codec.hpp"
#include "sample_log.hpp"
#include "test_support.hpp"

namespace {

// A bound on the program's address space, so that reading without a limit would fail fast.
// Not under AddressSanitizer: it reserves terabytes of shadow address space at start-up and
// aborts under any such bound (the bound on the line or file is the program's own, either way).
#if defined(__SANITIZE_ADDRESS__)
constexpr const char* address_space_limit = "";
#else
constexpr const char* address_space_limit = "ulimit -v 2000000; ";
#endif

using stats_test::run;

const std::string hdr_report = HT_HDR_REPORT;

// A log in the test's scratch folder, named after `name` and the process: one interval of one
// second holding one value (1000 ns) per "Tag=TAG,START" given.
std::string one_value_log(const std::string& name, const std::vector<std::string>& tag_starts) {
    hypertick::stats::histogram h;
    h.record(1000);
    const std::string encoded = hypertick::stats::encode_compressed_base64(h);
    const std::string path =
        stats_test::temp_path(name + "." + std::to_string(::getpid()) + ".hlog");
    std::ofstream out(path);
    for (const std::string& tag_start : tag_starts)
        out << tag_start << ",1.000,0.1," << encoded << "\n";
    return path;
}

class HdrReportCli : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { stats_test::write_sample_log(log_path()); }
    // One file per test process: ctest runs the tests of this suite in parallel processes, each
    // writing its own sample in SetUpTestSuite.
    static std::string log_path() {
        return stats_test::temp_path("cli_sample." + std::to_string(::getpid()) + ".hlog");
    }
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
    EXPECT_NE(unit.out.find("--unit: expected one of ns, us, ms, got 'parsec'"), std::string::npos)
        << unit.out;
    EXPECT_EQ(run(hdr_report + " 2>&1").exit_code, 2);
    EXPECT_EQ(run(hdr_report + " --tag 2>&1").exit_code, 2);
}

TEST_F(HdrReportCli, UnreadableOrMalformedInputExitsOne) {
    const auto missing = run(hdr_report + " /nonexistent/x.hlog 2>&1");
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.out.find("cannot open '/nonexistent/x.hlog'"), std::string::npos);

    const std::string bad =
        stats_test::temp_path("cli_bad." + std::to_string(::getpid()) + ".hlog");
    std::ofstream(bad) << "#[Histogram log format version 1.3]\nTag=a,0.000,1.000,0.1,HISTFAAA\n";
    const auto malformed = run(hdr_report + " " + bad + " 2>&1");
    EXPECT_EQ(malformed.exit_code, 1);
    EXPECT_NE(malformed.out.find("line 2:"), std::string::npos) << malformed.out;

    // A folder, and a device whose one line never ends: each named, in bounded memory.
    const auto folder = run(hdr_report + " /tmp 2>&1");
    EXPECT_EQ(folder.exit_code, 1);
    EXPECT_NE(folder.out.find("'/tmp' is a directory, not a log"), std::string::npos) << folder.out;
    const auto zeros = run(address_space_limit + hdr_report + " /dev/zero 2>&1");
    EXPECT_EQ(zeros.exit_code, 1) << zeros.out;
    EXPECT_NE(zeros.out.find("/dev/zero: line 1: longer than 134217728 bytes"), std::string::npos)
        << zeros.out;

    // Two intervals each of 2^63 + 1 counts: their merged total would wrap.
    hypertick::stats::histogram big;
    big.record_n(1, std::uint64_t{1} << 62);
    big.record_n(2, (std::uint64_t{1} << 62) + 1);
    const std::string encoded = hypertick::stats::encode_compressed_base64(big);
    const std::string wraps =
        stats_test::temp_path("cli_wraps." + std::to_string(::getpid()) + ".hlog");
    std::ofstream(wraps) << "#[Histogram log format version 1.3]\n"
                         << "Tag=a,0.000,1.000,0.1," << encoded << "\n"
                         << "Tag=a,1.000,1.000,0.1," << encoded << "\n";
    const auto wrapped = run(hdr_report + " " + wraps + " 2>&1");
    EXPECT_EQ(wrapped.exit_code, 1) << wrapped.out;
    EXPECT_NE(wrapped.out.find("line 3: the selected intervals' counts sum past 2^64 - 1"),
              std::string::npos)
        << wrapped.out;

    // Thousands of tags: their merged histograms together are bounded (1 GiB), and the line
    // that passes the bound is named with the way out.
    hypertick::stats::histogram one;
    one.record(1000);
    const std::string line = ",0.000,1.000,0.1," + hypertick::stats::encode_compressed_base64(one);
    const std::string tags =
        stats_test::temp_path("cli_tags." + std::to_string(::getpid()) + ".hlog");
    {
        std::ofstream out(tags);
        for (int i = 0; i < 12000; ++i) out << "Tag=t" << i << line << "\n";
    }
    const auto many = run(hdr_report + " --summary " + tags + " 2>&1");
    EXPECT_EQ(many.exit_code, 1) << many.out.substr(0, 2000);
    EXPECT_NE(many.out.find(" tags need more than 1024 MiB; select fewer tags (--tag)"),
              std::string::npos)
        << many.out.substr(0, 2000);
    std::remove(tags.c_str());

    const auto no_such_tag = run(hdr_report + " --tag nope " + log_path() + " 2>&1");
    EXPECT_EQ(no_such_tag.exit_code, 1);
    EXPECT_NE(no_such_tag.out.find("no intervals with the selected tag"), std::string::npos);
}

// One HdrHistogram table with its footer, as outputPercentileDistribution prints it.
void expect_distribution_table(const std::vector<std::string>& lines, long long total) {
    char total_count[16];
    std::snprintf(total_count, sizeof total_count, "%12lld", total);
    char last_count[16];
    std::snprintf(last_count, sizeof last_count, "%10lld", total);
    ASSERT_GT(lines.size(), 10u);
    EXPECT_EQ(lines[0], "       Value     Percentile TotalCount 1/(1-Percentile)");
    const std::string& mean = lines[lines.size() - 3];
    EXPECT_TRUE(mean.starts_with("#[Mean    = ") &&
                mean.find(", StdDeviation   = ") != std::string::npos)
        << mean;
    const std::string& max = lines[lines.size() - 2];
    EXPECT_TRUE(max.starts_with("#[Max     = ") &&
                max.ends_with(", Total count    = " + std::string(total_count) + "]"))
        << max;
    EXPECT_EQ(lines.back(), "#[Buckets =           24, SubBuckets     =         2048]");
    // The last table line has three columns: the 100% line.
    EXPECT_TRUE(lines[lines.size() - 4].ends_with(" 1.000000000000 " + std::string(last_count)))
        << lines[lines.size() - 4];
}

TEST_F(HdrReportCli, DistributionPerTagIsTheDefault) {
    // Four tags: four tables, each after its tag line, none merging different metrics.
    const auto result = run(hdr_report + " " + log_path());
    ASSERT_EQ(result.exit_code, 0);
    std::vector<std::vector<std::string>> tables;
    std::vector<std::string> tags;
    for (const std::string& line : stats_test::lines_of(result.out)) {
        if (line.starts_with("#[Tag: ")) {
            tags.push_back(line);
            tables.emplace_back();
        } else if (!line.empty()) {
            ASSERT_FALSE(tables.empty()) << "a table line before the first tag line: " << line;
            tables.back().push_back(line);
        }
    }
    EXPECT_EQ(tags, (std::vector<std::string>{
                        "#[Tag: lcore1.rx_to_bbo_tx]", "#[Tag: lcore1.rx_to_book]",
                        "#[Tag: lcore2.rx_to_bbo_tx]", "#[Tag: lcore2.rx_to_book]"}));
    for (const auto& table : tables) expect_distribution_table(table, 60000);

    // One tag: the bare table, as HdrHistogram plotters read it.
    const auto one = run(hdr_report + " --tag lcore2.rx_to_book " + log_path());
    ASSERT_EQ(one.exit_code, 0);
    expect_distribution_table(stats_test::lines_of(one.out), 60000);
    // --all: the one table of everything selected.
    const auto all = run(hdr_report + " --all " + log_path());
    ASSERT_EQ(all.exit_code, 0);
    expect_distribution_table(stats_test::lines_of(all.out), 240000);
}

// A recorded tag cannot pass for one of the report's own rows: the merge of --all and the
// untagged intervals.
TEST_F(HdrReportCli, ATagNamedLikeAReportRowIsShownQuoted) {
    const std::string path =
        one_value_log("row_names", {"Tag=all,0.000", "Tag=(untagged),1.000", "2.000"});
    const auto summary = run(hdr_report + " --summary --csv --all " + path);
    ASSERT_EQ(summary.exit_code, 0) << summary.out;
    const auto lines = stats_test::lines_of(summary.out);
    ASSERT_EQ(lines.size(), 5u) << summary.out;
    EXPECT_TRUE(lines[1].starts_with("(untagged),1,")) << lines[1];
    EXPECT_TRUE(lines[2].starts_with("\"\"\"(untagged)\"\"\",1,")) << lines[2];
    EXPECT_TRUE(lines[3].starts_with("\"\"\"all\"\"\",1,")) << lines[3];
    EXPECT_TRUE(lines[4].starts_with("all,3,")) << lines[4];

    const auto text = run(hdr_report + " --list-tags " + path);
    ASSERT_EQ(text.exit_code, 0) << text.out;
    EXPECT_NE(text.out.find("\"all\" "), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("\"(untagged)\" "), std::string::npos) << text.out;
    std::remove(path.c_str());
}

TEST_F(HdrReportCli, SummaryTagSelectionUnitsAndCsv) {
    const auto tags = run(hdr_report + " --summary --csv " + log_path());
    ASSERT_EQ(tags.exit_code, 0);
    const auto lines = stats_test::lines_of(tags.out);
    ASSERT_EQ(lines.size(), 5u);  // header, 4 tags: no row merges different metrics
    EXPECT_EQ(lines[0], "tag,count,p50_ns,p90_ns,p99_ns,p99.9_ns,p99.99_ns,max_ns");
    EXPECT_TRUE(lines[1].starts_with("lcore1.rx_to_bbo_tx,60000,")) << lines[1];
    // Nanoseconds, the recorded unit, are whole numbers.
    EXPECT_EQ(lines[1].find('.', lines[1].find(",60000,")), std::string::npos) << lines[1];

    const auto all = run(hdr_report + " --summary --csv --all " + log_path());
    ASSERT_EQ(all.exit_code, 0);
    const auto all_lines = stats_test::lines_of(all.out);
    ASSERT_EQ(all_lines.size(), 6u);
    EXPECT_TRUE(all_lines[5].starts_with("all,240000,")) << all_lines[5];

    const auto one =
        run(hdr_report + " --summary --csv --unit us --tag lcore2.rx_to_book " + log_path());
    ASSERT_EQ(one.exit_code, 0);
    const auto one_lines = stats_test::lines_of(one.out);
    ASSERT_EQ(one_lines.size(), 2u);
    EXPECT_EQ(one_lines[0], "tag,count,p50_us,p90_us,p99_us,p99.9_us,p99.99_us,max_us");
    EXPECT_TRUE(one_lines[1].starts_with("lcore2.rx_to_book,60000,")) << one_lines[1];
    EXPECT_NE(one_lines[1].find(".", one_lines[1].find(",60000,")), std::string::npos)
        << "microseconds keep 3 decimals";

    // A tag holding a quote, or a space at its end, is one quoted CSV field in every table.
    const std::string quoted =
        one_value_log("cli_quoted", {"Tag=say \"hi\",0.000", "Tag=end ,1.000"});
    for (const std::string mode : {"--summary", "--timeline", "--list-tags"}) {
        const auto csv = run(hdr_report + " --csv " + mode + " " + quoted);
        ASSERT_EQ(csv.exit_code, 0) << mode << csv.out;
        EXPECT_NE(csv.out.find("\"say \"\"hi\"\"\",1"), std::string::npos) << mode << csv.out;
        EXPECT_NE(csv.out.find("\"end \",1"), std::string::npos) << mode << csv.out;
    }

    const auto two = run(
        hdr_report + " --summary --tag lcore1.rx_to_book --tag lcore2.rx_to_book " + log_path());
    ASSERT_EQ(two.exit_code, 0);
    EXPECT_EQ(stats_test::lines_of(two.out).size(), 3u);
    EXPECT_NE(two.out.find("(values in ns)"), std::string::npos);
}

TEST_F(HdrReportCli, TimelineHasOneRowPerSelectedIntervalWithItsWallClockTime) {
    const auto result = run(hdr_report + " --timeline --csv --tag lcore1.rx_to_book " + log_path());
    ASSERT_EQ(result.exit_code, 0);
    const auto lines = stats_test::lines_of(result.out);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], "time_utc,start_s,length_s,tag,count,p50_ns,p99_ns,p99.9_ns,max_ns");
    // The sample log's BaseTime is 1700000000 = 2023-11-14 22:13:20 UTC.
    EXPECT_TRUE(
        lines[1].starts_with("2023-11-14T22:13:20.000Z,0.000,1.000,lcore1.rx_to_book,20000,"))
        << lines[1];
    EXPECT_TRUE(
        lines[3].starts_with("2023-11-14T22:13:22.000Z,2.000,1.000,lcore1.rx_to_book,20000,"))
        << lines[3];
}

TEST_F(HdrReportCli, StartAndEndSelectAWindowOfIntervals) {
    // Intervals start at 0, 1 and 2 s after BaseTime; both ends of the window are included.
    const auto window = run(
        hdr_report + " --timeline --csv --tag lcore1.rx_to_book --start 1 --end 2 " + log_path());
    ASSERT_EQ(window.exit_code, 0) << window.out;
    const auto lines = stats_test::lines_of(window.out);
    ASSERT_EQ(lines.size(), 3u) << window.out;
    EXPECT_NE(lines[1].find(",1.000,1.000,"), std::string::npos) << lines[1];
    EXPECT_NE(lines[2].find(",2.000,1.000,"), std::string::npos) << lines[2];

    const auto later = run(hdr_report + " --summary --csv --start 1.5 " + log_path());
    ASSERT_EQ(later.exit_code, 0) << later.out;
    EXPECT_TRUE(stats_test::lines_of(later.out)[1].starts_with("lcore1.rx_to_bbo_tx,20000,"))
        << later.out;

    // Intervals left out by the window are counted on standard error, never dropped unsaid:
    // here those that start before BaseTime, under the default window.
    const std::string early = one_value_log("cli_early", {"Tag=a,-0.500", "Tag=a,1.000"});
    const auto before_base = run(hdr_report + " --summary --csv " + early + " 2>&1");
    ASSERT_EQ(before_base.exit_code, 0) << before_base.out;
    EXPECT_NE(before_base.out.find("note: 1 interval(s) start outside the --start/--end window"),
              std::string::npos)
        << before_base.out;
    EXPECT_NE(before_base.out.find("\na,1,"), std::string::npos) << before_base.out;
    const auto inside = run(hdr_report + " --summary --csv " + log_path() + " 2>&1");
    EXPECT_EQ(inside.out.find("note:"), std::string::npos) << inside.out;

    const auto empty = run(hdr_report + " --start 5 " + log_path() + " 2>&1");
    EXPECT_EQ(empty.exit_code, 1);
    EXPECT_NE(empty.out.find("no intervals in the --start/--end window"), std::string::npos)
        << empty.out;
    for (const char* bad : {"--start -1", "--end x", "--start 2 --end 1", "--start"}) {
        const auto usage = run(hdr_report + " " + bad + " " + log_path() + " 2>&1");
        EXPECT_EQ(usage.exit_code, 2) << bad << ": " << usage.out;
    }
}

TEST_F(HdrReportCli, ListTagsNamesEachTagWithItsIntervals) {
    const auto result = run(hdr_report + " --list-tags --csv " + log_path());
    ASSERT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out,
              "tag,intervals\nlcore1.rx_to_bbo_tx,3\nlcore1.rx_to_book,3\nlcore2.rx_to_bbo_tx,"
              "3\nlcore2.rx_to_book,3\n");
    const auto text = run(hdr_report + " --list-tags --end 0 " + log_path());
    ASSERT_EQ(text.exit_code, 0);
    EXPECT_EQ(stats_test::lines_of(text.out).size(), 4u);
    EXPECT_TRUE(text.out.starts_with("lcore1.rx_to_bbo_tx ")) << text.out;
}

TEST_F(HdrReportCli, ALogCutMidLineIsReadUpToTheCutWithAWarning) {
    // As after a crash: the writer stopped in the middle of the last interval line.
    const std::string whole = stats_test::read_text(log_path());
    const std::string cut_path =
        stats_test::temp_path("cli_cut." + std::to_string(::getpid()) + ".hlog");
    const std::size_t last_line = whole.rfind('\n', whole.size() - 2) + 1;
    std::ofstream(cut_path) << whole.substr(0, last_line + (whole.size() - last_line) / 2);
    const auto result = run(hdr_report + " --list-tags --csv " + cut_path + " 2>&1");
    ASSERT_EQ(result.exit_code, 0) << result.out;
    EXPECT_NE(result.out.find("warning: the last line is cut short and ignored (line 16: "),
              std::string::npos)
        << result.out;
    // The last line was lcore2.rx_to_bbo_tx's third interval.
    EXPECT_NE(result.out.find("lcore2.rx_to_bbo_tx,2\n"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("lcore2.rx_to_book,3\n"), std::string::npos) << result.out;
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
        if (element.starts_with("?") || element.ends_with("/"))
            continue;  // declaration, self-closing
        const bool closing = element.starts_with("/");
        const std::string name =
            element.substr(closing ? 1 : 0, element.find_first_of(" />", 1) - (closing ? 1 : 0));
        open[name] += closing ? -1 : 1;
        ASSERT_GE(open[name], 0) << name;
    }
    int curves = 0;
    for (std::size_t at = svg.find("<path class=\"curve\""); at != std::string::npos;
         at = svg.find("<path class=\"curve\"", at + 1))
        ++curves;
    EXPECT_EQ(curves, 4);
    for (const char* text :
         {"lcore1.rx_to_book", "lcore2.rx_to_bbo_tx", ">90%<", ">99.9%<", "Latency (us)"})
        EXPECT_NE(svg.find(text), std::string::npos) << text;
}

// The y positions of the latency axis' tick labels, by label.
std::map<std::string, double> y_tick_labels(const std::string& svg) {
    std::map<std::string, double> ticks;
    const std::string marker = "text-anchor=\"end\" dominant-baseline=\"middle\">";
    for (std::size_t at = svg.find(marker); at != std::string::npos;
         at = svg.find(marker, at + 1)) {
        const std::size_t y_at = svg.rfind(" y=\"", at) + 4;
        const std::size_t label_at = at + marker.size();
        ticks[svg.substr(label_at, svg.find('<', label_at) - label_at)] =
            std::stod(svg.substr(y_at));
    }
    return ticks;
}

TEST_F(HdrReportCli, PlotNeverDestroysTheLogOrAPreviousPlot) {
    // A copy of the log, and a link to it: --plot on either spelling would replace the log.
    const std::string log = stats_test::temp_path("cli_plot_victim." + std::to_string(::getpid()));
    const std::string link = log + ".link";
    ASSERT_EQ(run("cp " + log_path() + " " + log + " && ln -sf " + log + " " + link).exit_code, 0);
    const std::string log_text = stats_test::read_text(log);
    for (const std::string& plot : {log, link}) {
        const auto refused = run(hdr_report + " --plot " + plot + " " + log + " 2>&1");
        EXPECT_EQ(refused.exit_code, 2) << refused.out;
        EXPECT_NE(refused.out.find("--plot: '" + plot + "' is the log being read"),
                  std::string::npos)
            << refused.out;
    }
    EXPECT_EQ(stats_test::read_text(log), log_text);
    const auto device = run(hdr_report + " --plot /dev/null " + log + " 2>&1");
    EXPECT_EQ(device.exit_code, 2) << device.out;
    EXPECT_NE(device.out.find("is a character device"), std::string::npos) << device.out;
    EXPECT_EQ(run(hdr_report + " --plot= " + log + " 2>&1").exit_code, 2);
    // A file size limit stands in for a full disk (SIGXFSZ ignored, so the write fails with
    // EFBIG): the plot cannot be written whole, and the previous one is kept.
    const std::string svg_path = stats_test::temp_path("cli_plot_kept.svg");
    ASSERT_EQ(run("echo previous > " + svg_path).exit_code, 0);
    const auto cut = run("trap '' XFSZ; ulimit -f 1; " + hdr_report + " --plot " + svg_path + " " +
                         log + " 2>&1");
    EXPECT_EQ(cut.exit_code, 1) << cut.out;
    EXPECT_NE(cut.out.find("(a previous file is left as it was)"), std::string::npos) << cut.out;
    EXPECT_EQ(stats_test::read_text(svg_path), "previous\n");
    std::remove(link.c_str());
    std::remove(log.c_str());
}

TEST_F(HdrReportCli, LogYPutsEveryPowerOfTenAnEqualStepApart) {
    const std::string svg_path = stats_test::temp_path("cli_plot_log.svg");
    const auto result = run(hdr_report + " --log-y --plot " + svg_path + " " + log_path());
    ASSERT_EQ(result.exit_code, 0) << result.out;
    const std::string svg = stats_test::read_text(svg_path);
    EXPECT_NE(svg.find("Latency (ns, log scale)"), std::string::npos);
    // Samples from 100 ns to about 10 s: ticks 100, 1000, ..., 1e10 evenly spaced.
    const auto ticks = y_tick_labels(svg);
    ASSERT_TRUE(ticks.count("100") && ticks.count("1000") && ticks.count("1e+10")) << svg;
    const double decade = ticks.at("100") - ticks.at("1000");
    EXPECT_GT(decade, 10.0);
    EXPECT_NEAR(ticks.at("1000") - ticks.at("10000"), decade, 0.02);
    EXPECT_NEAR(ticks.at("100") - ticks.at("1e+10"), 8 * decade, 0.1);
    // A linear axis starts at 0.
    const std::string linear_path = stats_test::temp_path("cli_plot_linear.svg");
    ASSERT_EQ(run(hdr_report + " --plot " + linear_path + " " + log_path()).exit_code, 0);
    EXPECT_TRUE(y_tick_labels(stats_test::read_text(linear_path)).count("0"));
    EXPECT_EQ(run(hdr_report + " --log-y " + log_path() + " 2>&1").exit_code, 2)
        << "--log-y without --plot";
}

}  // namespace
