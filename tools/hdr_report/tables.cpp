#include "tables.hpp"

#include <cstdio>
#include <vector>

namespace hdr_report {

namespace {

std::string format(const char* pattern, auto... args) {
    char text[512];
    const int n = std::snprintf(text, sizeof text, pattern, args...);
    return std::string(text, n > 0 ? std::min<std::size_t>(static_cast<std::size_t>(n), sizeof text - 1) : 0);
}

std::string display_tag(const std::string& tag) { return tag.empty() ? "(untagged)" : tag; }

// The figures of one summary row, already in the chosen unit.
std::vector<double> summary_figures(const hypertick::stats::histogram& h, double unit_ratio) {
    std::vector<double> figures;
    for (const double p : {50.0, 90.0, 99.0, 99.9, 99.99})
        figures.push_back(static_cast<double>(h.value_at_percentile(p)) / unit_ratio);
    figures.push_back(static_cast<double>(h.max()) / unit_ratio);
    return figures;
}

std::string summary_row(const std::string& tag, const hypertick::stats::histogram& h, const report_options& options) {
    const std::vector<double> f = summary_figures(h, options.unit_ratio);
    const auto count = static_cast<unsigned long long>(h.total_count());
    if (options.csv)
        return format("%s,%llu,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n", tag.c_str(), count, f[0], f[1], f[2], f[3], f[4], f[5]);
    return format("%-28s %12llu %12.3f %12.3f %12.3f %12.3f %12.3f %12.3f\n", tag.c_str(), count, f[0], f[1], f[2],
                  f[3], f[4], f[5]);
}

}  // namespace

std::string summary_table(const log_selection& selection, const report_options& options) {
    const char* u = options.unit_name.c_str();
    std::string out =
        options.csv ? format("tag,count,p50_%s,p90_%s,p99_%s,p99.9_%s,p99.99_%s,max_%s\n", u, u, u, u, u, u)
                    : format("%-28s %12s %12s %12s %12s %12s %12s %12s   (values in %s)\n", "tag", "count", "p50",
                             "p90", "p99", "p99.9", "p99.99", "max", u);
    for (const auto& [tag, h] : selection.by_tag) out += summary_row(display_tag(tag), h, options);
    if (selection.all) out += summary_row("all", *selection.all, options);
    return out;
}

std::string timeline_table(const log_selection& selection, const report_options& options) {
    const char* u = options.unit_name.c_str();
    std::string out = options.csv
                          ? format("start_s,length_s,tag,count,p50_%s,p99_%s,p99.9_%s,max_%s\n", u, u, u, u)
                          : format("%10s %9s %-28s %10s %12s %12s %12s %12s   (values in %s)\n", "start_s",
                                   "length_s", "tag", "count", "p50", "p99", "p99.9", "max", u);
    const double r = options.unit_ratio;
    for (const interval_row& row : selection.intervals) {
        const auto count = static_cast<unsigned long long>(row.count);
        const double p50 = static_cast<double>(row.p50) / r, p99 = static_cast<double>(row.p99) / r;
        const double p999 = static_cast<double>(row.p999) / r, max = static_cast<double>(row.max) / r;
        out += options.csv ? format("%.3f,%.3f,%s,%llu,%.3f,%.3f,%.3f,%.3f\n", row.start_s, row.length_s,
                                    display_tag(row.tag).c_str(), count, p50, p99, p999, max)
                           : format("%10.3f %9.3f %-28s %10llu %12.3f %12.3f %12.3f %12.3f\n", row.start_s,
                                    row.length_s, display_tag(row.tag).c_str(), count, p50, p99, p999, max);
    }
    return out;
}

}  // namespace hdr_report
