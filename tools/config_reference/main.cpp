// config_reference: the configuration reference table, generated from the schema
// (gateway/config/config_schema.hpp).
//
//   config_reference                 print the table
//   config_reference --write FILE    put it between FILE's config-reference lines
//   config_reference --check FILE    exit 1 when FILE's table is not the generated one
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "config/config_reference.hpp"
#include "hypertick/base/file_kind.hpp"
#include "hypertick/feed/replace_file.hpp"
#include "tool_cli.hpp"

namespace cli = hypertick::tool_cli;
namespace gw = hypertick::gw;

namespace {

constexpr const char* tool = "config_reference";

void usage() {
    std::printf(
        "usage: config_reference [--write FILE | --check FILE]\n"
        "  The reference table of every hypertick-gw configuration key (type, values, default,\n"
        "  what it does), generated from the configuration schema.\n"
        "  (none)        print the table\n"
        "  --write FILE  replace the table between FILE's lines\n"
        "                %s\n"
        "                %s\n"
        "  --check FILE  compare FILE's table with the generated one\n"
        "  -h, --help  this text;  --version  the version\n"
        "Exit status: 0 done or current, 1 --check found the table stale, 2 on a bad command line\n"
        "or a FILE that cannot be read or written or lacks the two lines. --write replaces FILE\n"
        "whole or not at all: on a full disk it is left as it was.\n",
        gw::config_reference_begin, gw::config_reference_end);
}

bool read_file(const std::string& path, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream all;
    all << in.rdbuf();
    text = all.str();
    return static_cast<bool>(in) || in.eof();
}

int run(int argc, char** argv) {
    static constexpr std::array<cli::option_spec, 2> specs = {{{"write", true}, {"check", true}}};
    cli::command_line cl;
    if (const std::string error = cli::split(argc, argv, specs, cl); !error.empty())
        return cli::usage_error(tool, error);
    if (cl.help) {
        usage();
        return 0;
    }
    if (cl.version) {
        cli::print_version(stdout, tool);
        return 0;
    }
    if (!cl.operands.empty())
        return cli::usage_error(tool, "unexpected argument '" + cl.operands[0] + "'");
    if (cl.options.size() > 1) return cli::usage_error(tool, "give --write or --check, once");
    const std::string table = gw::config_reference_table();
    if (cl.options.empty()) {
        std::fputs(table.c_str(), stdout);
        return 0;
    }
    const cli::given_option& option = cl.options[0];
    const std::string& path = option.value;
    // A device never ends (/dev/zero filled memory) and a FIFO waits for a writer.
    if (const std::string kind = hypertick::base::special_file_kind(path); !kind.empty())
        return cli::usage_error(tool, path + ": is " + kind + ", not a regular file");
    std::string document, updated, why;
    if (!read_file(path, document)) return cli::usage_error(tool, path + ": cannot be read");
    if (!gw::splice_config_reference(document, table, updated, why))
        return cli::usage_error(tool, path + ": " + why);
    if (option.name == "--check") {
        if (updated == document) return 0;
        std::fprintf(
            stderr,
            "%s: %s: the configuration reference is stale; regenerate it with\n  %s --write %s\n",
            tool, path.c_str(), tool, path.c_str());
        return 1;
    }
    // Whole or not at all: a full disk leaves the document as it was, never cut mid-table.
    std::string error;
    if (!hypertick::feed::replace_file(path, updated.data(), updated.size(), error)) {
        std::fprintf(stderr, "%s: %s: %s (the file is left as it was)\n", tool, path.c_str(),
                     error.c_str());
        return 2;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return hypertick::tool_cli::finish_output("config_reference", run(argc, argv));
}
