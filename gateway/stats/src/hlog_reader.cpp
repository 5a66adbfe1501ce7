#include "hypertick/stats/hlog_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <vector>

#include "hypertick/stats/format_error.hpp"
#include "hypertick/stats/histogram_codec.hpp"

namespace hypertick::stats {

namespace {

std::optional<double> parse_double(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    // from_chars takes "nan" and "inf": no time or length, and a NaN start would pass every
    // --start/--end window test.
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// The number after `prefix` up to the next space, e.g. "#[StartTime: 1700000000.000 (...".
std::optional<double> number_after(std::string_view line, std::string_view prefix) {
    line.remove_prefix(prefix.size());
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    return parse_double(line.substr(0, line.find_first_of(" ]")));
}

// The line's first `most` comma-separated fields, the last holding the rest of the line. An
// interval line has at most five, so a line of commas costs no more than that.
std::vector<std::string_view> split_commas(std::string_view line, std::size_t most) {
    std::vector<std::string_view> fields;
    for (std::size_t start = 0;;) {
        const std::size_t comma =
            fields.size() + 1 == most ? std::string_view::npos : line.find(',', start);
        fields.push_back(
            line.substr(start, comma == std::string_view::npos ? comma : comma - start));
        if (comma == std::string_view::npos) return fields;
        start = comma + 1;
    }
}

// Tags as HdrHistogram writers make them: no control characters (they would reach the
// terminal and the CSV as they are) and short enough for one report row.
constexpr std::size_t max_tag_bytes = 256;
std::optional<std::string> tag_error(std::string_view tag) {
    if (tag.empty()) return "empty Tag=";
    if (tag.size() > max_tag_bytes)
        return "Tag= of " + std::to_string(tag.size()) + " bytes, more than " +
               std::to_string(max_tag_bytes);
    for (std::size_t i = 0; i < tag.size(); ++i) {
        const auto byte = static_cast<unsigned char>(tag[i]);
        if (byte < 0x20 || byte == 0x7f)
            return "Tag= holds control character 0x" +
                   std::string(1, "0123456789abcdef"[byte >> 4]) +
                   std::string(1, "0123456789abcdef"[byte & 15]) + " at byte " +
                   std::to_string(i + 1);
    }
    return std::nullopt;
}

}  // namespace

bool hlog_reader::read_line(std::string& line) {
    line.clear();
    char chunk[1 << 16];
    for (;;) {
        // Stops after the newline (taken, not stored), at the end of the input, or with the
        // chunk full (failbit, cleared here: the line goes on).
        in_.getline(chunk, sizeof chunk);
        const auto taken = static_cast<std::size_t>(in_.gcount());
        const bool newline = in_.good();
        const bool chunk_full = in_.fail() && !in_.eof() && !in_.bad();
        line.append(chunk, newline ? taken - 1 : taken);
        if (line.size() > max_line_bytes_)
            throw format_error("line " + std::to_string(line_number_ + 1) + ": longer than " +
                               std::to_string(max_line_bytes_) +
                               " bytes, more than any interval line can be");
        if (newline) return true;
        if (!chunk_full) return !line.empty();  // the end of the input, or a read error
        in_.clear(in_.rdstate() & ~std::ios::failbit);
    }
}

std::optional<hlog_interval> hlog_reader::next() {
    std::string line;
    while (read_line(line)) {
        ++line_number_;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        if (line.front() == '#') {
            read_comment(line);
            continue;
        }
        if (line.starts_with("\"StartTimestamp\"") || line.starts_with("StartTimestamp")) continue;
        // getline stopped at the end of the input rather than at a newline: the last line.
        const bool unterminated = in_.eof();
        if (!unterminated) return parse_interval(line);
        try {
            return parse_interval(line);
        } catch (const format_error& error) {
            cut_line_ = error.what();
            return std::nullopt;
        }
    }
    if (in_.bad()) throw format_error("line " + std::to_string(line_number_ + 1) + ": read error");
    return std::nullopt;
}

void hlog_reader::read_comment(const std::string& line) {
    constexpr std::string_view start_prefix = "#[StartTime:";
    constexpr std::string_view base_prefix = "#[BaseTime:";
    if (line.starts_with(start_prefix)) {
        start_time_s_ = number_after(line, start_prefix);
        if (!start_time_s_)
            throw format_error("line " + std::to_string(line_number_) +
                               ": StartTime is not a number");
    } else if (line.starts_with(base_prefix)) {
        base_time_s_ = number_after(line, base_prefix);
        if (!base_time_s_)
            throw format_error("line " + std::to_string(line_number_) +
                               ": BaseTime is not a number");
    }
}

hlog_interval hlog_reader::parse_interval(const std::string& line) const {
    const std::string where = "line " + std::to_string(line_number_) + ": ";
    std::string_view rest = line;
    std::string tag;
    if (rest.starts_with("Tag=")) {
        const std::string_view tag_field = split_commas(rest, 2).front();
        if (const auto why = tag_error(tag_field.substr(4))) throw format_error(where + *why);
        tag = std::string(tag_field.substr(4));
        rest.remove_prefix(std::min(rest.size(), tag_field.size() + 1));
    }
    const std::vector<std::string_view> fields = split_commas(rest, 4);
    if (fields.size() != 4 || fields[3].find(',') != std::string_view::npos)
        throw format_error(where + "expected 4 comma-separated fields after the tag, found " +
                           std::to_string(std::count(rest.begin(), rest.end(), ',') + 1));
    const auto start = parse_double(fields[0]);
    const auto length = parse_double(fields[1]);
    const auto max = parse_double(fields[2]);
    if (!start)
        throw format_error(where + "StartTimestamp '" + std::string(fields[0]) +
                           "' is not a number");
    if (!length || *length < 0.0)
        throw format_error(where + "Interval_Length '" + std::string(fields[1]) +
                           "' is not a non-negative number");
    if (!max)
        throw format_error(where + "Interval_Max '" + std::string(fields[2]) + "' is not a number");
    std::string_view encoded = fields[3];
    while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
    while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
    try {
        return hlog_interval{std::move(tag), *start,       *length,
                             *max,           line_number_, decode_compressed_base64(encoded)};
    } catch (const format_error& error) {
        throw format_error(where + error.what());
    }
}

}  // namespace hypertick::stats
