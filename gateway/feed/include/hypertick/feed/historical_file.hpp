// NASDAQ's historical ITCH file format (the daily "binary FILE" downloads): every message as a
// 2-byte big-endian length followed by the message, concatenated, no other framing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hypertick/feed/file_bytes.hpp"

namespace hypertick::feed {

class historical_reader {
  public:
    // Maps the file (file_image: regular files only). False with error() (without the path).
    bool open(const std::string& path);
    bool open_bytes(std::vector<uint8_t> bytes);

    // The next message, or false at the end or on a cut tail (then error() says how much was
    // read and what was cut, in describe_stop's words).
    bool next(const uint8_t*& message, uint16_t& length);
    void rewind();
    const std::string& error() const { return error_; }
    const uint8_t* data() const { return image_.data(); }
    uint64_t size() const { return image_.size(); }

  private:
    // Records why the message at offset_ cannot be read and stops at the end of the file.
    void stop_cut(const std::string& what_is_read);

    file_image image_;
    uint64_t offset_ = 0;
    uint64_t messages_ = 0;
    std::string error_;
};

// Appends one message in the file's format (its length, then its bytes) to `out`: a whole file
// is built in memory and written at once (replace_file), so it is never left cut.
void append_historical_message(std::vector<uint8_t>& out, const uint8_t* message, uint16_t length);

}  // namespace hypertick::feed
