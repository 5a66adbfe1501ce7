// A dictionary for a DPDK telemetry reply, built before DPDK sees it so that its size in the
// reply is known. DPDK 22.11 writes each reply into one buffer of telemetry_reply_limit bytes and
// leaves out, without an error, every entry that does not fit: commands whose replies can grow
// with the configuration measure them here first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hypertick::gw {

// DPDK 22.11's reply buffer: the hello message every telemetry client receives says
// "max_output_len": 16384.
inline constexpr std::size_t telemetry_reply_limit = 16384;

// Bytes DPDK writes for `text` as a JSON string: the quotes, and one more byte for each '"' and
// '\' (DPDK escapes them). Values reach DPDK as printable ASCII, so nothing else changes size.
std::size_t telemetry_string_bytes(std::string_view text);

// Bytes of one `"key":value,` entry of a dictionary whose value takes `value_bytes`.
std::size_t telemetry_entry_bytes(std::string_view key, std::size_t value_bytes);

// Bytes of a JSON array of these strings.
std::size_t telemetry_string_array_bytes(const std::vector<std::string>& texts);

// Whether the reply to `command` whose value (the dictionary) takes `value_bytes` is written
// whole. DPDK wraps the value as {"<command>":<value>} and needs a byte for the terminator; the
// check keeps a further 32 bytes spare, so that a miscount by a few bytes never costs an entry.
bool telemetry_reply_fits(std::string_view command, std::size_t value_bytes);

class telemetry_dict {
  public:
    enum class kind : std::uint8_t { text, u64, i64 };
    struct field {
        std::string key;  // letters, digits and '_' only (DPDK drops other keys)
        kind type;
        std::string text;
        std::uint64_t u64 = 0;
        std::int64_t i64 = 0;
    };

    // `value` is copied as it is: escape and cut it first (it must stay under DPDK's 128 bytes).
    void add_string(std::string key, std::string value);
    void add_u64(std::string key, std::uint64_t value);
    void add_int(std::string key, std::int64_t value);

    // Bytes DPDK writes for this dictionary as a value (counting a comma after every entry,
    // one more than DPDK writes).
    [[nodiscard]] std::size_t json_bytes() const { return bytes_; }
    [[nodiscard]] const std::vector<field>& fields() const { return fields_; }

  private:
    std::vector<field> fields_;
    std::size_t bytes_ = 2;  // {}
};

}  // namespace hypertick::gw
