// Every tool's command line as a user meets it: --help and --version, exit 2 and the same words
// for a bad command line, and --name=value meaning what --name value means.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway_harness.hpp"

namespace {

using namespace hypertick::gw::test;

// Each tool with an option that takes a value.
const std::vector<std::pair<std::string, std::string>> tools = {{"itch_gen", "--seed"},
                                                                {"book_replay", "--depth"},
                                                                {"bbo_dump", ""},
                                                                {"hdr_report", "--tag"},
                                                                {"mold_server", "--capture"}};

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(ToolsCommandLine, HelpAndVersionOnEveryTool) {
    for (const auto& [tool, valued] : tools) {
        const run_result version = run(bin(tool) + " --version");
        EXPECT_EQ(version.exit_code, 0) << tool;
        EXPECT_EQ(version.output, tool + " (hyper-tick) " HYPERTICK_VERSION "\n");
        const run_result help = run(bin(tool) + " --help");
        EXPECT_EQ(help.exit_code, 0) << tool;
        EXPECT_TRUE(contains(help.output, "usage: ")) << help.output;
        EXPECT_TRUE(contains(help.output, "--version")) << help.output;
        EXPECT_EQ(run(bin(tool) + " -h").output, help.output) << tool;
    }
}

TEST(ToolsCommandLine, ABadCommandLineExitsTwoInTheSameWords) {
    for (const auto& [tool, valued] : tools) {
        const run_result unknown = run(bin(tool) + " --bogus");
        EXPECT_EQ(unknown.exit_code, 2) << tool;
        EXPECT_EQ(unknown.output, tool + ": unknown option '--bogus'\nTry '" + tool +
                                      " --help' for more information.\n");
        const run_result no_value = run(bin(tool) + " --help=yes");
        EXPECT_EQ(no_value.exit_code, 2) << tool;
        EXPECT_TRUE(contains(no_value.output, tool + ": option '--help' takes no value\n"))
            << no_value.output;
        if (valued.empty()) continue;
        const run_result missing = run(bin(tool) + " " + valued);
        EXPECT_EQ(missing.exit_code, 2) << tool;
        EXPECT_EQ(missing.output, tool + ": option '" + valued + "' needs a value\nTry '" + tool +
                                      " --help' for more information.\n");
    }
}

TEST(ToolsCommandLine, AnOptionGivenTwiceIsRefusedAndNothingWritten) {
    const std::string dir = scratch_dir();
    const run_result twice =
        run(bin("itch_gen") + " --messages 2000 --out " + dir + "/a.pcap --out " + dir + "/b.pcap");
    EXPECT_EQ(twice.exit_code, 2) << twice.output;
    EXPECT_EQ(twice.output,
              "itch_gen: option '--out' is given more than once\nTry 'itch_gen --help' for more "
              "information.\n");
    EXPECT_FALSE(std::filesystem::exists(dir + "/a.pcap"));
    EXPECT_FALSE(std::filesystem::exists(dir + "/b.pcap"));
    const run_result replay =
        run(bin("book_replay") + " " + dir + "/a.pcap --symbols 5 --symbols=9");
    EXPECT_EQ(replay.exit_code, 2) << replay.output;
    EXPECT_TRUE(contains(replay.output, "option '--symbols' is given more than once"))
        << replay.output;
}

TEST(ToolsCommandLine, ValuesAfterAnEqualsSignMeanTheSame) {
    const std::string dir = scratch_dir();
    ASSERT_EQ(
        run(bin("itch_gen") + " --seed=5 --symbols=4 --messages=2000 --out=" + dir + "/a.pcap")
            .exit_code,
        0);
    ASSERT_EQ(
        run(bin("itch_gen") + " --seed 5 --symbols 4 --messages 2000 --out " + dir + "/b.pcap")
            .exit_code,
        0);
    EXPECT_EQ(file_text(dir + "/a.pcap"), file_text(dir + "/b.pcap"));
    EXPECT_FALSE(file_text(dir + "/a.pcap").empty());
    const run_result replay =
        run(bin("book_replay") + " --depth=2 " + dir + "/a.pcap --snapshot=" + dir + "/a.json");
    EXPECT_EQ(replay.exit_code, 0) << replay.output;
    EXPECT_TRUE(std::filesystem::exists(dir + "/a.json")) << replay.output;
}

}  // namespace
