#include "tool_cli.hpp"

#include <getopt.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>

namespace hypertick::tool_cli {
namespace {

// getopt_long's return values: spec i returns first_spec_code + i, clear of the characters it
// returns itself ('?', ':', 'h') and of 0, which optopt holds for an unknown long option.
constexpr int first_spec_code = 256;
constexpr int help_code = 1, version_code = 2;

// Whether an unrecognised "--text" is the start of several options' names (getopt_long says
// only that it did not recognise it).
bool ambiguous(std::string_view text, std::span<const option_spec> specs) {
    int matches =
        std::string_view("help").starts_with(text) + std::string_view("version").starts_with(text);
    for (const option_spec& s : specs) matches += std::string_view(s.name).starts_with(text);
    return !text.empty() && matches > 1;
}

// "option 'NAME' WHAT", built by appending (g++ 12 warns falsely on "literal" + std::string&&).
std::string about_option(const std::string& name, const char* what) {
    std::string out = "option '";
    out += name;
    out += "' ";
    out += what;
    return out;
}

std::string unknown_option(const std::string& name) {
    std::string out = "unknown option '";
    out += name;
    out += "'";
    return out;
}

std::string short_name(int code) {
    std::string out = "-";
    out += static_cast<char>(code);
    return out;
}

}  // namespace

std::string split(int argc, const char* const* argv, std::span<const option_spec> specs,
                  command_line& out) {
    assert(argc >= 1 && argv != nullptr);
    out = command_line{};
    std::vector<option> table;
    table.reserve(specs.size() + 3);
    for (std::size_t i = 0; i < specs.size(); ++i)
        table.push_back({specs[i].name, specs[i].takes_value ? required_argument : no_argument,
                         nullptr, first_spec_code + static_cast<int>(i)});
    table.push_back({"help", no_argument, nullptr, help_code});
    table.push_back({"version", no_argument, nullptr, version_code});
    table.push_back({nullptr, 0, nullptr, 0});
    // getopt_long reorders the pointers it is given (operands after options): give it a copy.
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) args.push_back(const_cast<char*>(argv[i]));
    args.push_back(nullptr);
    // The long name getopt_long returns `code` for; empty for none (a short option, or 0).
    auto long_name = [&](int code) -> std::string {
        if (code == help_code) return "--help";
        if (code == version_code) return "--version";
        const int i = code - first_spec_code;
        std::string name;
        if (i >= 0 && static_cast<std::size_t>(i) < specs.size())
            name.append("--").append(specs[static_cast<std::size_t>(i)].name);
        return name;
    };

    optind = 0;  // glibc: 0 starts a fresh scan, whatever an earlier call left behind
    opterr = 0;  // the messages are ours
    for (;;) {
        const int code = getopt_long(argc, args.data(), ":h", table.data(), nullptr);
        if (code == -1) break;
        // After a long option, getopt_long has moved optind past it (and past its value).
        const std::string last =
            optind >= 1 && optind <= argc ? args[static_cast<std::size_t>(optind - 1)] : "";
        const std::string last_name = last.substr(0, last.find('='));
        if (code == help_code || code == 'h') {
            out.help = true;
        } else if (code == version_code) {
            out.version = true;
        } else if (code == ':') {
            const std::string name = long_name(optopt);
            return about_option(name.empty() ? short_name(optopt) : name, "needs a value");
        } else if (code == '?') {
            if (const std::string name = long_name(optopt); !name.empty())
                return about_option(name, "takes no value");
            if (optopt != 0) return unknown_option(short_name(optopt));
            if (ambiguous(
                    std::string_view(last_name).substr(std::min<std::size_t>(2, last_name.size())),
                    specs))
                return about_option(last_name, "is ambiguous");
            return unknown_option(last_name);
        } else {
            const std::string name = long_name(code);
            assert(!name.empty());
            const bool repeatable =
                specs[static_cast<std::size_t>(code - first_spec_code)].repeatable;
            const bool given_before =
                std::any_of(out.options.begin(), out.options.end(),
                            [&](const given_option& o) { return o.name == name; });
            if (given_before && !repeatable) return about_option(name, "is given more than once");
            out.options.push_back({name, optarg != nullptr ? optarg : ""});
        }
    }
    for (int i = optind; i < argc; ++i)
        out.operands.emplace_back(args[static_cast<std::size_t>(i)]);
    return {};
}

std::string bad_value(const given_option& option, std::string_view expected) {
    return option.name + ": expected " + std::string(expected) + ", got '" + option.value + "'";
}

void print_version(std::FILE* out, const char* tool) {
    std::fprintf(out, "%s (hyper-tick) %s\n", tool, HYPERTICK_VERSION);
}

int usage_error(const char* tool, const std::string& message) {
    std::fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", tool, message.c_str(),
                 tool);
    return exit_usage;
}

int finish_output(const char* tool, int exit_code) {
    // The error flag stays set from the first failed write, so one check at the end sees them all.
    errno = 0;
    const bool flushed = std::fflush(stdout) == 0;
    if (flushed && std::ferror(stdout) == 0) return exit_code;
    const char* cause = !flushed && errno != 0 ? std::strerror(errno) : "an earlier write failed";
    std::fprintf(stderr,
                 "%s: standard output: write failed (%s): what was printed there is incomplete\n",
                 tool, cause);
    return exit_code == 0 ? exit_output_lost : exit_code;
}

}  // namespace hypertick::tool_cli
