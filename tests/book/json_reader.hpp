// A tiny JSON reader for comparing snapshots structurally: objects, arrays, strings, unsigned
// integers, true/false/null. Enough for the snapshot and --expect schemas; throws on anything
// else so a malformed document fails the test loudly.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace book_test {

struct json_value {
    enum class value_kind { null, boolean, number, string, array, object } kind = value_kind::null;
    uint64_t number = 0;
    bool boolean = false;
    std::string text;
    std::vector<json_value> items;
    std::map<std::string, json_value> members;

    const json_value& at(const std::string& key) const {
        auto it = members.find(key);
        if (it == members.end()) throw std::runtime_error("missing key " + key);
        return it->second;
    }
    bool has(const std::string& key) const { return members.count(key) != 0; }
    bool operator==(const json_value&) const = default;
};

class json_parser {
  public:
    explicit json_parser(const std::string& text) : s_(text) {}

    json_value parse() {
        json_value value = parse_value();
        skip_space();
        if (i_ != s_.size()) fail("trailing characters");
        return value;
    }

  private:
    [[noreturn]] void fail(const char* what) {
        throw std::runtime_error(std::string("JSON: ") + what + " at offset " + std::to_string(i_));
    }
    void skip_space() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
            ++i_;
    }
    void expect(char c) {
        skip_space();
        if (i_ >= s_.size() || s_[i_] != c) fail("unexpected character");
        ++i_;
    }
    bool take(char c) {
        skip_space();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    std::string parse_string() {
        expect('"');
        std::string out;
        while (i_ < s_.size() && s_[i_] != '"') {
            if (s_[i_] == '\\') ++i_;
            if (i_ >= s_.size()) fail("unterminated string");
            out += s_[i_++];
        }
        expect('"');
        return out;
    }
    json_value parse_value() {
        skip_space();
        if (i_ >= s_.size()) fail("unexpected end");
        json_value v;
        const char c = s_[i_];
        if (c == '{') {
            v.kind = json_value::value_kind::object;
            ++i_;
            if (take('}')) return v;
            do {
                std::string key = parse_string();
                expect(':');
                v.members[key] = parse_value();
            } while (take(','));
            expect('}');
        } else if (c == '[') {
            v.kind = json_value::value_kind::array;
            ++i_;
            if (take(']')) return v;
            do v.items.push_back(parse_value());
            while (take(','));
            expect(']');
        } else if (c == '"') {
            v.kind = json_value::value_kind::string;
            v.text = parse_string();
        } else if (c >= '0' && c <= '9') {
            v.kind = json_value::value_kind::number;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
                v.number = v.number * 10 + static_cast<uint64_t>(s_[i_++] - '0');
        } else if (s_.compare(i_, 4, "true") == 0 || s_.compare(i_, 5, "false") == 0) {
            v.kind = json_value::value_kind::boolean;
            v.boolean = s_[i_] == 't';
            i_ += v.boolean ? 4 : 5;
        } else if (s_.compare(i_, 4, "null") == 0) {
            i_ += 4;
        } else {
            fail("unsupported value");
        }
        return v;
    }

    const std::string& s_;
    size_t i_ = 0;
};

inline json_value parse_json(const std::string& text) {
    return json_parser(text).parse();
}

}  // namespace book_test
