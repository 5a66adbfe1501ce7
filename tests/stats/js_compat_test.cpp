// Compatibility with an independent implementation, hdr-histogram-js (tools/hdr-js, installed
// by tools/setup.sh): it decodes our .hlog to the numbers hdr_report prints, and hdr_report
// reads its .hlog to the numbers it computes. Values stay below 2^53 (the library drops larger
// ones). Skipped, with the reason, when node or the package is missing.
#include <gtest/gtest.h>

#include <filesystem>

#include "sample_log.hpp"
#include "test_support.hpp"

namespace {

using stats_test::run;

const std::string hdr_report = HT_HDR_REPORT;
const std::string hdr_js_dir = HT_HDR_JS_DIR;
const std::string scripts_dir = HT_STATS_JS_DIR;

// Why the checker cannot run here, or empty when it can.
std::string checker_missing() {
    if (run("node --version >/dev/null 2>&1").exit_code != 0)
        return "node is not installed (tools/setup.sh installs it)";
    if (!std::filesystem::exists(hdr_js_dir + "/node_modules/hdr-histogram-js/package.json"))
        return "hdr-histogram-js is not installed in " + hdr_js_dir + " (run tools/setup.sh)";
    return {};
}

// hdr_report's summary CSV with the "all" row, without its header: "tag,count,p50,...,max"
// with integer nanoseconds, as the JS script prints them.
std::string report_summary(const std::string& log_path) {
    const auto result = run(hdr_report + " --summary --csv --all " + log_path);
    EXPECT_EQ(result.exit_code, 0) << result.out;
    std::string out;
    const auto lines = stats_test::lines_of(result.out);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        out += lines[i] + "\n";
    }
    return out;
}

TEST(JsCompat, HdrHistogramJsDecodesOurLogToTheSameNumbers) {
    if (const std::string why = checker_missing(); !why.empty()) GTEST_SKIP() << why;
    const std::string log = stats_test::temp_path("js_ours.hlog");
    const std::string js_distribution = stats_test::temp_path("js_ours.js.txt");
    stats_test::write_sample_log(log);
    const auto js = run("node " + scripts_dir + "/decode_hlog.js " + hdr_js_dir + " " + log + " " +
                        js_distribution + " 2>&1");
    ASSERT_EQ(js.exit_code, 0) << js.out;
    EXPECT_EQ(stats_test::lines_of(js.out).size(), 5u);  // four tags and "all"
    EXPECT_EQ(report_summary(log), js.out);
    // The whole percentile distribution, byte for byte as the JS library prints it.
    EXPECT_EQ(run(hdr_report + " --all " + log).out, stats_test::read_text(js_distribution));
}

TEST(JsCompat, HdrReportReadsALogWrittenByHdrHistogramJs) {
    if (const std::string why = checker_missing(); !why.empty()) GTEST_SKIP() << why;
    const std::string log = stats_test::temp_path("js_theirs.hlog");
    const std::string js_distribution = stats_test::temp_path("js_theirs.js.txt");
    const auto js = run("node " + scripts_dir + "/write_hlog.js " + hdr_js_dir + " " + log + " " +
                        js_distribution + " 2>&1");
    ASSERT_EQ(js.exit_code, 0) << js.out;
    EXPECT_EQ(stats_test::lines_of(js.out).size(), 3u);  // two tags and "all"
    EXPECT_EQ(report_summary(log), js.out);
    // Every line but the Max one: the writer's in-memory max is exact, the encoding only
    // keeps its slot (hdr_report, like Java, prints the top of that slot).
    auto ours = stats_test::lines_of(run(hdr_report + " --all " + log).out);
    auto theirs = stats_test::lines_of(stats_test::read_text(js_distribution));
    ASSERT_EQ(ours.size(), theirs.size());
    for (std::size_t i = 0; i < ours.size(); ++i)
        if (!ours[i].starts_with("#[Max")) {
            EXPECT_EQ(ours[i], theirs[i]) << "line " << i + 1;
        }
}

}  // namespace
