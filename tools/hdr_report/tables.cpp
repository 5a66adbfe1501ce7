#include "tables.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

#include "hypertick/stats/percentile_distribution.hpp"

namespace hdr_report {

namespace {

// printf into a string of whatever length the row needs (a row is never cut).
std::string format(const char* pattern, auto... args) {
    char text[512];
    const int n = std::snprintf(text, sizeof text, pattern, args...);
    if (n <= 0) return {};
    if (static_cast<std::size_t>(n) < sizeof text)
        return std::string(text, static_cast<std::size_t>(n));
    std::string longer(static_cast<std::size_t>(n) + 1, '\0');
    std::snprintf(longer.data(), longer.size(), pattern, args...);
    longer.pop_back();
    return longer;
}

// A CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a quote or a
// separator or starts or ends with a space; a tag may hold any of those but the comma.
std::string csv_field(const std::string& text) {
    const bool plain = text.find_first_of("\",\r\n") == std::string::npos &&
                       (text.empty() || (text.front() != ' ' && text.back() != ' '));
    if (plain) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

// A recorded value in the chosen unit: whole nanoseconds as integers (what was recorded),
// microseconds and milliseconds with three decimals.
std::string value_text(std::uint64_t value, const report_options& options) {
    if (options.unit_ratio == 1.0) return std::to_string(value);
    return format("%.3f", static_cast<double>(value) / options.unit_ratio);
}

// "2023-11-14T22:13:20.000Z", or "-" when the log does not say when it started.
std::string utc_text(const std::optional<double>& epoch_s) {
    if (!epoch_s || !std::isfinite(*epoch_s) || *epoch_s < 0.0 || *epoch_s > 253402300799.0)
        return "-";
    const auto whole = static_cast<std::time_t>(std::floor(*epoch_s));
    const int ms =
        std::min(999, static_cast<int>(std::lround((*epoch_s - std::floor(*epoch_s)) * 1000.0)));
    std::tm utc{};
    gmtime_r(&whole, &utc);
    char text[32];
    const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    return std::string(text, n) + format(".%03dZ", ms);
}

std::string summary_row(const std::string& tag, const hypertick::stats::histogram& h,
                        const report_options& options) {
    std::vector<std::string> f;
    for (const double p : {50.0, 90.0, 99.0, 99.9, 99.99})
        f.push_back(value_text(h.value_at_percentile(p), options));
    f.push_back(value_text(h.max(), options));
    const auto count = static_cast<unsigned long long>(h.total_count());
    if (options.csv)
        return format("%s,%llu,%s,%s,%s,%s,%s,%s\n", csv_field(tag).c_str(), count, f[0].c_str(),
                      f[1].c_str(), f[2].c_str(), f[3].c_str(), f[4].c_str(), f[5].c_str());
    return format("%-28s %12llu %12s %12s %12s %12s %12s %12s\n", tag.c_str(), count, f[0].c_str(),
                  f[1].c_str(), f[2].c_str(), f[3].c_str(), f[4].c_str(), f[5].c_str());
}

std::string distribution(const hypertick::stats::histogram& h, const report_options& options) {
    return hypertick::stats::percentile_distribution_text(h, options.ticks_per_half_distance,
                                                          options.unit_ratio, options.csv);
}

}  // namespace

std::string distribution_tables(const log_selection& selection, const report_options& options) {
    if (options.merge_all && selection.all) return distribution(*selection.all, options);
    if (selection.by_tag.size() == 1)
        return distribution(selection.by_tag.begin()->second, options);
    std::string out;
    for (const auto& [tag, h] : selection.by_tag) {
        if (!out.empty()) out += "\n";
        out += "#[Tag: " + display_tag(tag) + "]\n" + distribution(h, options);
    }
    return out;
}

std::string summary_table(const log_selection& selection, const report_options& options) {
    const char* u = options.unit_name.c_str();
    std::string out =
        options.csv
            ? format("tag,count,p50_%s,p90_%s,p99_%s,p99.9_%s,p99.99_%s,max_%s\n", u, u, u, u, u, u)
            : format("%-28s %12s %12s %12s %12s %12s %12s %12s   (values in %s)\n", "tag", "count",
                     "p50", "p90", "p99", "p99.9", "p99.99", "max", u);
    for (const auto& [tag, h] : selection.by_tag) out += summary_row(display_tag(tag), h, options);
    if (selection.all) out += summary_row("all", *selection.all, options);
    return out;
}

std::string timeline_table(const log_selection& selection, const report_options& options) {
    const char* u = options.unit_name.c_str();
    std::string out =
        options.csv
            ? format("time_utc,start_s,length_s,tag,count,p50_%s,p99_%s,p99.9_%s,max_%s\n", u, u, u,
                     u)
            : format("%-24s %10s %9s %-28s %10s %12s %12s %12s %12s   (values in %s)\n", "time_utc",
                     "start_s", "length_s", "tag", "count", "p50", "p99", "p99.9", "max", u);
    for (const interval_row& row : selection.intervals) {
        const auto count = static_cast<unsigned long long>(row.count);
        const std::string p50 = value_text(row.p50, options), p99 = value_text(row.p99, options);
        const std::string p999 = value_text(row.p999, options), max = value_text(row.max, options);
        const std::string when = utc_text(row.wall_time_s);
        out += options.csv
                   ? format("%s,%.3f,%.3f,%s,%llu,%s,%s,%s,%s\n", when.c_str(), row.start_s,
                            row.length_s, csv_field(display_tag(row.tag)).c_str(), count,
                            p50.c_str(), p99.c_str(), p999.c_str(), max.c_str())
                   : format("%-24s %10.3f %9.3f %-28s %10llu %12s %12s %12s %12s\n", when.c_str(),
                            row.start_s, row.length_s, display_tag(row.tag).c_str(), count,
                            p50.c_str(), p99.c_str(), p999.c_str(), max.c_str());
    }
    return out;
}

std::string tag_list(const log_selection& selection, const report_options& options) {
    std::string out = options.csv ? "tag,intervals\n" : "";
    for (const auto& [tag, intervals] : selection.intervals_by_tag) {
        const auto n = static_cast<unsigned long long>(intervals);
        out += options.csv ? format("%s,%llu\n", csv_field(display_tag(tag)).c_str(), n)
                           : format("%-28s %8llu interval(s)\n", display_tag(tag).c_str(), n);
    }
    return out;
}

}  // namespace hdr_report
