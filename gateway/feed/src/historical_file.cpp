#include "hypertick/feed/historical_file.hpp"

#include <algorithm>

#include "hypertick/base/byte_order.hpp"

namespace hypertick::feed {

bool historical_reader::open(const std::string& path) {
    error_.clear();
    offset_ = 0;
    messages_ = 0;
    return image_.map(path, error_);
}

bool historical_reader::open_bytes(std::vector<uint8_t> bytes) {
    image_.adopt(std::move(bytes));
    rewind();
    return true;
}

void historical_reader::rewind() {
    offset_ = 0;
    messages_ = 0;
    error_.clear();
}

// Per message: two bounds checks and no heap call; the words of an error are built only when
// the file stops short (next() runs once per message of a file of millions).
bool historical_reader::next(const uint8_t*& message, uint16_t& length) {
    const uint64_t size = image_.size();
    if (offset_ >= size) return false;
    if (size - offset_ < 2) [[unlikely]] {
        stop_cut("1 byte of its 2-byte length");
        return false;
    }
    const uint16_t n = base::load_be16(image_.data() + offset_);
    if (size - offset_ - 2 < n) [[unlikely]] {
        stop_cut(std::to_string(size - offset_ - 2) + " of its " + std::to_string(n) + " bytes");
        return false;
    }
    message = image_.data() + offset_ + 2;
    length = n;
    offset_ += 2u + n;
    ++messages_;
    return true;
}

void historical_reader::stop_cut(const std::string& what_is_read) {
    const uint64_t size = image_.size();
    error_ = describe_stop("messages", messages_, offset_, size,
                           "message " + std::to_string(messages_ + 1) + " at byte " +
                               std::to_string(offset_) + " is cut: " + what_is_read);
    offset_ = size;
}

void append_historical_message(std::vector<uint8_t>& out, const uint8_t* message, uint16_t length) {
    const std::size_t at = out.size();
    out.resize(at + 2u + length);
    base::store_be16(out.data() + at, length);
    std::copy(message, message + length, out.data() + at + 2);
}

}  // namespace hypertick::feed
