#include "config/config_reference.hpp"

#include "config/config_schema.hpp"

namespace hypertick::gw {
namespace {

std::string_view type_name(value_type type) {
    switch (type) {
        case value_type::section:
            return "mapping";
        case value_type::list:
            return "list";
        case value_type::integer:
            return "integer";
        case value_type::integer_or_any:
            return "integer or `any`";
        case value_type::boolean:
            return "boolean";
        case value_type::text:
            return "text";
        case value_type::choice:
            return "word";
        case value_type::ipv4:
            return "IPv4 address";
        case value_type::ipv4_or_any:
            return "IPv4 address or `any`";
        case value_type::source:
            return "`A.B.C.D`, `A.B.C.D:PORT` or `any`";
    }
    return "?";
}

std::string values_of(const key_spec& spec) {
    if (spec.type == value_type::integer || spec.type == value_type::integer_or_any)
        return std::to_string(spec.min) + " .. " + std::to_string(spec.max);
    if (spec.type == value_type::choice) {
        std::string out;
        std::string_view words = spec.choices;
        while (!words.empty()) {
            const std::size_t comma = words.find(", ");
            out += (out.empty() ? "`" : ", `") + std::string(words.substr(0, comma)) + "`";
            words = comma == std::string_view::npos ? std::string_view{} : words.substr(comma + 2);
        }
        return out;
    }
    return "";
}

std::string default_of(const key_spec& spec) {
    if (spec.required) return "required";
    if (!spec.default_value.empty()) return "`" + std::string(spec.default_value) + "`";
    if (spec.empty_allowed) return "`\"\"`";
    return "";
}

}  // namespace

std::string config_reference_table() {
    std::string out =
        "| key | type | values | default | what it does |\n| --- | --- | --- | --- | --- |\n";
    for (const key_spec& spec : config_schema) {
        const std::string key = spec.section.empty()
                                    ? std::string(spec.key)
                                    : std::string(spec.section) + "." + std::string(spec.key);
        out += "| `" + key + "` | " + std::string(type_name(spec.type)) + " | " + values_of(spec) +
               " | " + default_of(spec) + " | " + std::string(spec.doc) + " |\n";
    }
    return out;
}

bool splice_config_reference(const std::string& document, const std::string& table,
                             std::string& out, std::string& why) {
    const std::string begin = std::string(config_reference_begin) + "\n";
    const std::string end = std::string(config_reference_end) + "\n";
    const std::size_t at_begin = document.find(begin);
    const std::size_t at_end = document.find(end);
    if (at_begin == std::string::npos || at_end == std::string::npos) {
        why = "no line \"" +
              std::string(at_begin == std::string::npos ? config_reference_begin
                                                        : config_reference_end) +
              "\"";
        return false;
    }
    if (document.find(begin, at_begin + 1) != std::string::npos ||
        document.find(end, at_end + 1) != std::string::npos) {
        why = "the config-reference lines appear more than once";
        return false;
    }
    if (at_end < at_begin + begin.size()) {
        why = "the config-reference end line comes before its begin line";
        return false;
    }
    out = document.substr(0, at_begin + begin.size()) + table + document.substr(at_end);
    return true;
}

}  // namespace hypertick::gw
