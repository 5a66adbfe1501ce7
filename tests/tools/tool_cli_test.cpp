// The tools' shared command-line reader: both value forms, prefixes, help and version, and one
// wording for every kind of bad command line.
#include <gtest/gtest.h>

#include <array>

#include "tool_cli.hpp"

namespace {

using namespace hypertick::tool_cli;

constexpr std::array<option_spec, 4> specs = {
    {{"seed", true}, {"symbols", true}, {"final", false}, {"quiet", false}}};

std::string split_args(std::vector<const char*> args, command_line& out) {
    args.insert(args.begin(), "tool");
    return split(static_cast<int>(args.size()), args.data(), specs, out);
}

TEST(ToolCli, ValuesAfterAnEqualsSignOrAsTheNextArgument) {
    command_line cl;
    ASSERT_EQ(
        split_args({"--seed=7", "in.pcap", "--symbols", "12", "--final", "--", "--not-an-option"},
                   cl),
        "");
    ASSERT_EQ(cl.options.size(), 3u);
    EXPECT_EQ(cl.options[0].name, "--seed");
    EXPECT_EQ(cl.options[0].value, "7");
    EXPECT_EQ(cl.options[1].name, "--symbols");
    EXPECT_EQ(cl.options[1].value, "12");
    EXPECT_EQ(cl.options[2].name, "--final");
    EXPECT_EQ(cl.options[2].value, "");
    EXPECT_EQ(cl.operands, (std::vector<std::string>{"in.pcap", "--not-an-option"}));
    EXPECT_FALSE(cl.help);
    EXPECT_FALSE(cl.version);
}

TEST(ToolCli, ValuesMayStartWithADashOrBeEmpty) {
    command_line cl;
    ASSERT_EQ(split_args({"--seed", "-1", "--symbols="}, cl), "");
    ASSERT_EQ(cl.options.size(), 2u);
    EXPECT_EQ(cl.options[0].value, "-1");
    EXPECT_EQ(cl.options[1].value, "");
}

TEST(ToolCli, AUniquePrefixNamesItsOption) {
    command_line cl;
    ASSERT_EQ(split_args({"--fin", "--sym=3"}, cl), "");
    ASSERT_EQ(cl.options.size(), 2u);
    EXPECT_EQ(cl.options[0].name, "--final");
    EXPECT_EQ(cl.options[1].name, "--symbols");
}

TEST(ToolCli, HelpAndVersionOnEveryTool) {
    command_line cl;
    ASSERT_EQ(split_args({"--help"}, cl), "");
    EXPECT_TRUE(cl.help);
    ASSERT_EQ(split_args({"-h"}, cl), "");
    EXPECT_TRUE(cl.help);
    ASSERT_EQ(split_args({"--version"}, cl), "");
    EXPECT_TRUE(cl.version);
    EXPECT_FALSE(cl.help);
}

TEST(ToolCli, EveryBadCommandLineIsNamed) {
    const std::vector<std::pair<std::vector<const char*>, std::string>> bad = {
        {{"--bogus"}, "unknown option '--bogus'"},
        {{"--bogus=1"}, "unknown option '--bogus'"},
        {{"-x"}, "unknown option '-x'"},
        {{"--s", "1"}, "option '--s' is ambiguous"},
        {{"in.pcap", "--seed"}, "option '--seed' needs a value"},
        {{"--quiet=yes"}, "option '--quiet' takes no value"},
    };
    for (const auto& [args, message] : bad) {
        command_line cl;
        EXPECT_EQ(split_args(args, cl), message) << args[0];
    }
}

TEST(ToolCli, AnOptionGivenTwiceIsRefusedUnlessRepeatable) {
    static constexpr std::array<option_spec, 3> with_repeatable = {
        {{"out", true}, {"final", false}, {"tag", true, true}}};
    auto split_these = [](std::vector<const char*> args, command_line& out) {
        args.insert(args.begin(), "tool");
        return split(static_cast<int>(args.size()), args.data(), with_repeatable, out);
    };
    command_line cl;
    // The second --out would otherwise replace the first: one of the two files never written.
    EXPECT_EQ(split_these({"--out", "a.pcap", "--out=b.pcap"}, cl),
              "option '--out' is given more than once");
    EXPECT_EQ(split_these({"--final", "--fin"}, cl), "option '--final' is given more than once");
    ASSERT_EQ(split_these({"--tag", "a", "--tag=b", "--out", "x"}, cl), "");
    ASSERT_EQ(cl.options.size(), 3u);
    EXPECT_EQ(cl.options[1].name, "--tag");
    EXPECT_EQ(cl.options[1].value, "b");
}

TEST(ToolCli, ASecondScanStartsAfresh) {
    command_line cl;
    ASSERT_EQ(split_args({"--seed"}, cl), "option '--seed' needs a value");
    ASSERT_EQ(split_args({"--seed", "3", "x"}, cl), "");
    EXPECT_EQ(cl.options.size(), 1u);
    EXPECT_EQ(cl.operands, std::vector<std::string>{"x"});
}

TEST(ToolCli, OneWordingForABadValue) {
    EXPECT_EQ(bad_value({"--symbols", "many"}, "an integer in [1, 65534]"),
              "--symbols: expected an integer in [1, 65534], got 'many'");
}

}  // namespace
