// Text from the network (symbols, session names) or from users, written into JSON: the one
// escaping every JSON writer of the project uses (snapshots, bbo_dump --final, telemetry).
//
// '"' and '\' are escaped with a backslash, and every byte outside printable ASCII (controls,
// DEL, bytes >= 0x80) as \u00XX: the byte read as a Latin-1 character. The result is plain
// printable ASCII whatever the input, valid JSON in any decoder, and loses nothing (each
// character of the decoded string is one input byte). Control plane only: builds strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

namespace hypertick::book {

// Appends the escaped text without quotes.
void append_json_escaped(std::string& out, std::string_view bytes);
// Appends a complete JSON string: quotes around the escaped text.
void append_json_string(std::string& out, std::string_view bytes);
std::string json_escaped(std::string_view bytes);

// JSON object keys for books, unique even when the symbol directory names one symbol under
// several locates. Ask in ascending locate order: the lowest locate of a symbol gets the bare
// symbol, every later one "SYMBOL (locate N)". Such a key is longer than the 8 characters any
// symbol has, so it cannot meet a real symbol.
class book_keys {
  public:
    std::string key(std::string_view symbol, uint16_t locate);

  private:
    std::unordered_set<std::string> seen_;
};

}  // namespace hypertick::book
