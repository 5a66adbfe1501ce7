#include "control/telemetry_dict.hpp"

#include <algorithm>

namespace hypertick::gw {
namespace {

std::size_t decimal_digits(std::uint64_t value) {
    std::size_t digits = 1;
    while (value >= 10) {
        value /= 10;
        ++digits;
    }
    return digits;
}

}  // namespace

std::size_t telemetry_string_bytes(std::string_view text) {
    const auto escaped =
        std::count_if(text.begin(), text.end(), [](char c) { return c == '"' || c == '\\'; });
    return text.size() + static_cast<std::size_t>(escaped) + 2;
}

std::size_t telemetry_entry_bytes(std::string_view key, std::size_t value_bytes) {
    return key.size() + 3 + value_bytes + 1;  // "key":value,
}

std::size_t telemetry_string_array_bytes(const std::vector<std::string>& texts) {
    std::size_t bytes = 2;  // []
    for (const std::string& text : texts) bytes += telemetry_string_bytes(text) + 1;
    return bytes;
}

bool telemetry_reply_fits(std::string_view command, std::size_t value_bytes) {
    constexpr std::size_t spare = 32;
    const std::size_t reply = command.size() + 5 + value_bytes;  // {"command":value}
    return reply + 1 + spare <= telemetry_reply_limit;
}

void telemetry_dict::add_string(std::string key, std::string value) {
    bytes_ += telemetry_entry_bytes(key, telemetry_string_bytes(value));
    fields_.push_back({std::move(key), kind::text, std::move(value)});
}

void telemetry_dict::add_u64(std::string key, std::uint64_t value) {
    bytes_ += telemetry_entry_bytes(key, decimal_digits(value));
    fields_.push_back({std::move(key), kind::u64, {}, value});
}

void telemetry_dict::add_int(std::string key, std::int64_t value) {
    const std::uint64_t magnitude =
        value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    bytes_ += telemetry_entry_bytes(key, decimal_digits(magnitude) + (value < 0 ? 1 : 0));
    fields_.push_back({std::move(key), kind::i64, {}, 0, value});
}

}  // namespace hypertick::gw
