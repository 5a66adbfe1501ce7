// hdr_report: latency percentiles from an HdrHistogram interval log (see --help).
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "hypertick/feed/replace_file.hpp"
#include "hypertick/stats/format_error.hpp"
#include "log_selection.hpp"
#include "options.hpp"
#include "svg_plot.hpp"
#include "tables.hpp"
#include "tool_cli.hpp"

namespace {

constexpr int exit_bad_input = 1;

int report(const hdr_report::report_options& options) {
    // A folder opens as a stream and then fails every read: name it instead.
    struct stat st {};
    if (::stat(options.log_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        std::cerr << "hdr_report: '" << options.log_path << "' is a directory, not a log\n";
        return exit_bad_input;
    }
    std::ifstream in(options.log_path);
    if (!in) {
        std::cerr << "hdr_report: cannot open '" << options.log_path
                  << "': " << std::strerror(errno) << "\n";
        return exit_bad_input;
    }
    hdr_report::log_selection selection;
    try {
        selection = hdr_report::read_selection(in, options);
    } catch (const hypertick::stats::format_error& error) {
        std::cerr << "hdr_report: " << options.log_path << ": " << error.what() << "\n";
        return exit_bad_input;
    }
    if (!selection.cut_line.empty())
        std::cerr << "hdr_report: " << options.log_path
                  << ": warning: the last line is cut short and ignored (" << selection.cut_line
                  << "); every complete interval before it is read\n";
    // Said, not silently dropped: with the default window these are intervals that start
    // before the log's BaseTime.
    if (selection.outside_window > 0 && !selection.by_tag.empty())
        std::cerr << "hdr_report: " << options.log_path << ": note: " << selection.outside_window
                  << " interval(s) start outside the --start/--end window (" << options.start_s
                  << " to " << options.end_s << " s) and are not counted\n";
    if (selection.by_tag.empty()) {
        const bool window =
            options.start_s > 0.0 || options.end_s != hdr_report::report_options{}.end_s;
        std::cerr << "hdr_report: " << options.log_path << ": no intervals"
                  << (options.tags.empty() ? "" : " with the selected tag(s)")
                  << (window ? " in the --start/--end window" : "") << "\n";
        return exit_bad_input;
    }
    if (options.list_tags) std::cout << hdr_report::tag_list(selection, options);
    if (options.distribution) std::cout << hdr_report::distribution_tables(selection, options);
    if (options.summary) std::cout << hdr_report::summary_table(selection, options);
    if (options.timeline) std::cout << hdr_report::timeline_table(selection, options);
    if (options.plot_path) {
        // Whole or not at all: a full disk leaves the previous plot, never a cut SVG.
        const std::string svg = hdr_report::percentile_plot_svg(selection, options);
        std::string error;
        if (!hypertick::feed::replace_file(*options.plot_path, svg.data(), svg.size(), error)) {
            std::cerr << "hdr_report: --plot '" << *options.plot_path << "': " << error
                      << " (a previous file is left as it was)\n";
            return exit_bad_input;
        }
    }
    return 0;
}

int run(int argc, char** argv) {
    hdr_report::report_options options;
    try {
        options = hdr_report::parse_options(argc, argv);
    } catch (const hdr_report::usage_error& error) {
        return hypertick::tool_cli::usage_error("hdr_report", error.what());
    }
    if (options.help) {
        std::cout << hdr_report::usage_text();
        return 0;
    }
    if (options.version) {
        hypertick::tool_cli::print_version(stdout, "hdr_report");
        return 0;
    }
    return report(options);
}

}  // namespace

int main(int argc, char** argv) {
    return hypertick::tool_cli::finish_output("hdr_report", run(argc, argv));
}
