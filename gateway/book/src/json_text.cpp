#include "hypertick/book/json_text.hpp"

#include "hypertick/base/assert.hpp"

namespace hypertick::book {

void append_json_escaped(std::string& out, std::string_view bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    for (const char c : bytes) {
        const auto byte = static_cast<uint8_t>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte >= 0x7f) {
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
}

void append_json_string(std::string& out, std::string_view bytes) {
    out += '"';
    append_json_escaped(out, bytes);
    out += '"';
}

std::string json_escaped(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    append_json_escaped(out, bytes);
    return out;
}

std::string book_keys::key(std::string_view symbol, uint16_t locate) {
    HT_ASSERT(symbol.size() <= 8);
    std::string key(symbol);
    if (seen_.insert(key).second) return key;
    key += " (locate " + std::to_string(locate) + ")";
    HT_ASSERT(key.size() > 8);
    return key;
}

}  // namespace hypertick::book
