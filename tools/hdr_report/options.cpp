#include "options.hpp"

#include <array>
#include <charconv>

#include "hypertick/base/file_kind.hpp"
#include "hypertick/base/same_file.hpp"
#include "tool_cli.hpp"

namespace hdr_report {

namespace cli = hypertick::tool_cli;

namespace {

std::uint32_t parse_ticks(const cli::given_option& given) {
    const std::string& text = given.value;
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > 1000)
        throw usage_error(cli::bad_value(given, "a whole number from 1 to 1000"));
    return value;
}

double parse_seconds(const cli::given_option& given) {
    const std::string& text = given.value;
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !(value >= 0.0) || value > 1e12)
        throw usage_error(cli::bad_value(given, "a number of seconds from 0"));
    return value;
}

void set_unit(report_options& options, const cli::given_option& given) {
    const std::string& unit = given.value;
    if (unit == "ns")
        options.unit_ratio = 1.0;
    else if (unit == "us")
        options.unit_ratio = 1e3;
    else if (unit == "ms")
        options.unit_ratio = 1e6;
    else
        throw usage_error(cli::bad_value(given, "one of ns, us, ms"));
    options.unit_name = unit;
}

// The plot replaces its file once the log is read: refused before anything is read when that
// would destroy the log, replace a device node or wait on a FIFO.
void check_plot_path(const std::string& plot, const std::string& log) {
    if (plot.empty()) throw usage_error("--plot: expected a file name, got ''");
    if (const std::string kind = hypertick::base::special_file_kind(plot); !kind.empty())
        throw usage_error("--plot: '" + plot + "' is " + kind + ", not a regular file");
    if (hypertick::base::same_file(plot, log))
        throw usage_error("--plot: '" + plot +
                          "' is the log being read: writing it would destroy it");
}

}  // namespace

const char* usage_text() {
    return R"(usage: hdr_report [options] FILE.hlog

Reads an HdrHistogram interval log (.hlog, as hypertick-gw writes it) and reports the latency
percentiles of the selected intervals, one table per tag: each tag is its own metric (per
message, per datagram, per poll), so tags are not merged unless --all asks for it.

Output (any combination; the percentile distribution when none is chosen):
  --distribution     per tag, the classic percentile distribution, exactly as HdrHistogram's
                     outputPercentileDistribution prints it (HdrHistogram plotters read it;
                     with several tags each table follows a '#[Tag: TAG]' line)
  --summary          one line per tag: count, p50, p90, p99, p99.9, p99.99, max
  --timeline         one line per interval: wall-clock start (UTC), start and length in seconds
                     after the log's BaseTime, tag, count, p50, p99, p99.9, max
  --list-tags        the tags of the selected intervals, one per line, with their interval count
  --plot OUT.svg     draw the percentile spectrum of each selected tag on a log 1/(1-p) axis;
                     the file is replaced whole or not at all (a full disk leaves the old
                     one), and must not be the log, a folder, a device or a FIFO
  --log-y            in the plot, latency on a logarithmic axis too (one outlier no longer
                     flattens p0-p99)
  --all              also merge every selected tag: a distribution of everything, an 'all' row
                     (a recorded tag named all or (untagged), or starting with a double quote,
                     is shown in double quotes, so it cannot pass for that row or the untagged)
  --csv              print the chosen tables as CSV instead

Selection and units:
  --tag TAG          only intervals with this tag (repeatable), e.g. --tag lcore1.rx_to_book
  --start S          only intervals starting S seconds or more after the log's BaseTime
  --end S            only intervals starting S seconds or less after the log's BaseTime
  --unit ns|us|ms    unit of the printed values (default ns, the recorded unit: integers)
  --ticks N          percentile steps per half-distance to 100% (default 5)
  -h, --help         this text
  --version          the version

Every option takes its value as --name=value or --name value.

A last line cut short (a writer that died mid-line) is reported on standard error and
ignored; every complete interval before it is read.
Exit status: 0 success, 1 unreadable or malformed log or a plot that could not be written,
2 bad command line.
)";
}

report_options parse_options(int argc, const char* const* argv) {
    static constexpr std::array<cli::option_spec, 13> specs = {{
        {"distribution", false},
        {"summary", false},
        {"timeline", false},
        {"csv", false},
        {"list-tags", false},
        {"all", false},
        {"log-y", false},
        {"start", true},
        {"end", true},
        {"plot", true},
        {"tag", true, true},
        {"unit", true},
        {"ticks", true},
    }};
    cli::command_line cl;
    if (const std::string error = cli::split(argc, argv, specs, cl); !error.empty())
        throw usage_error(error);
    report_options options;
    options.help = cl.help;
    options.version = cl.version;
    for (const cli::given_option& given : cl.options) {
        const std::string& arg = given.name;
        if (arg == "--distribution")
            options.distribution = true;
        else if (arg == "--summary")
            options.summary = true;
        else if (arg == "--timeline")
            options.timeline = true;
        else if (arg == "--csv")
            options.csv = true;
        else if (arg == "--list-tags")
            options.list_tags = true;
        else if (arg == "--all")
            options.merge_all = true;
        else if (arg == "--log-y")
            options.log_y = true;
        else if (arg == "--start")
            options.start_s = parse_seconds(given);
        else if (arg == "--end")
            options.end_s = parse_seconds(given);
        else if (arg == "--plot")
            options.plot_path = given.value;
        else if (arg == "--tag")
            options.tags.push_back(given.value);
        else if (arg == "--unit")
            set_unit(options, given);
        else if (arg == "--ticks")
            options.ticks_per_half_distance = parse_ticks(given);
    }
    if (cl.operands.size() > 1)
        throw usage_error("more than one log file: '" + cl.operands[0] + "' and '" +
                          cl.operands[1] + "'");
    if (!cl.operands.empty()) options.log_path = cl.operands[0];
    if (options.help || options.version) return options;
    if (options.log_path.empty()) throw usage_error("no log file given");
    if (options.end_s < options.start_s) throw usage_error("--end is before --start");
    if (options.plot_path) check_plot_path(*options.plot_path, options.log_path);
    if (options.log_y && !options.plot_path)
        throw usage_error("--log-y applies to --plot, which is not given");
    if (!options.distribution && !options.summary && !options.timeline && !options.list_tags &&
        !options.plot_path)
        options.distribution = true;
    return options;
}

}  // namespace hdr_report
