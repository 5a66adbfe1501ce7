// The command line of every hyper-tick tool (itch_gen, book_replay, bbo_dump, hdr_report,
// mold_server), read one way: getopt_long splits it, so `--name=value` and `--name value` both
// work, a unique prefix names its option, `--` ends the options, and `-h`/`--help` and
// `--version` exist on every tool, and an option is given once unless it is repeatable. Each tool
// then checks the values in the order given, and every error reads the same: "TOOL: MESSAGE" and
// "Try 'TOOL --help' for more information.", exit status 2.
#pragma once

#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hypertick::tool_cli {

inline constexpr int exit_usage = 2;
inline constexpr int exit_output_lost = 1;

struct option_spec {
    const char* name;  // without the leading "--"
    bool takes_value;
    // Given more than once only when this is set (hdr_report's --tag); any other option given
    // twice is an error, so a second --out never silently replaces the first.
    bool repeatable = false;
};

struct given_option {
    std::string name;   // with the leading "--", as messages show it
    std::string value;  // empty for an option that takes none
};

struct command_line {
    std::vector<given_option> options;  // in the order given
    std::vector<std::string> operands;  // the arguments that are not options, in order
    bool help = false;
    bool version = false;
};

// Splits argv (argv itself is left as it was). Returns an empty string, or the reason the
// command line is bad, naming the argument: an unknown or ambiguous option, a missing value, a
// value given to an option that takes none, an option given twice that is not repeatable.
std::string split(int argc, const char* const* argv, std::span<const option_spec> specs,
                  command_line& out);

// "--name: expected EXPECTED, got 'VALUE'": the one wording of a bad value.
std::string bad_value(const given_option& option, std::string_view expected);

// "TOOL (hyper-tick) VERSION".
void print_version(std::FILE* out, const char* tool);

// Prints "TOOL: MESSAGE" and the pointer to --help on stderr; returns exit_usage.
int usage_error(const char* tool, const std::string& message);

// A tool's last step: flushes standard output and, when anything written there was lost (a
// full disk, /dev/full, an I/O error), says "TOOL: standard output: write failed ..." on
// stderr and turns a success into exit_output_lost, so a cut listing never passes for a whole
// one. Any other status is returned as it is.
int finish_output(const char* tool, int exit_code);

}  // namespace hypertick::tool_cli
