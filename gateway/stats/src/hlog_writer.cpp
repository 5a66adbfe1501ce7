#include "hypertick/stats/hlog_writer.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "hypertick/base/assert.hpp"
#include "hypertick/stats/histogram_codec.hpp"

namespace hypertick::stats {

namespace {

// Java's writer divides the max by this before printing it (nanoseconds to milliseconds).
constexpr double interval_max_unit_ratio = 1e6;

std::string format_seconds(double seconds) {
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", seconds);
    return text;
}

// The date the way Java's Date.toString() prints it in UTC: "Tue Nov 14 22:13:20 UTC 2023".
std::string format_utc_date(double seconds_since_epoch) {
    const auto whole = static_cast<std::time_t>(std::floor(seconds_since_epoch));
    std::tm utc{};
    gmtime_r(&whole, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a %b %d %H:%M:%S UTC %Y", &utc);
    return text;
}

}  // namespace

bool valid_hlog_tag(std::string_view tag) noexcept {
    if (tag.empty()) return false;
    for (const char c : tag) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == ',' || byte <= ' ' || byte == 0x7f) return false;
    }
    return true;
}

std::string hlog_tag(unsigned lcore_id, std::string_view metric) {
    std::string tag = "lcore" + std::to_string(lcore_id) + "." + std::string(metric);
    HT_ASSERT(valid_hlog_tag(tag));
    return tag;
}

hlog_writer::hlog_writer(std::ostream& out, double start_time_s)
    : out_(out), base_time_s_(start_time_s) {
    out_ << "#[Histogram log format version 1.3]\n";
    out_ << "#[StartTime: " << format_seconds(start_time_s) << " (seconds since epoch), "
         << format_utc_date(start_time_s) << "]\n";
    out_ << "#[BaseTime: " << format_seconds(start_time_s) << " (seconds since epoch)]\n";
    out_ << "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_"
            "Histogram\"\n";
    out_.flush();
}

void hlog_writer::write_interval(std::string_view tag, double start_s, double end_s,
                                 const histogram& h) {
    HT_ASSERT(tag.empty() || valid_hlog_tag(tag));
    HT_ASSERT(end_s >= start_s);
    if (!tag.empty()) out_ << "Tag=" << tag << ',';
    out_ << format_seconds(start_s - base_time_s_) << ',' << format_seconds(end_s - start_s) << ','
         << format_seconds(static_cast<double>(h.max()) / interval_max_unit_ratio) << ','
         << encode_compressed_base64(h) << '\n';
    out_.flush();
}

}  // namespace hypertick::stats
