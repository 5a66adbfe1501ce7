#include "hypertick/feed/historical_file.hpp"

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

bool historical_reader::next(const uint8_t*& message, uint16_t& length) {
    const uint64_t size = image_.size();
    if (offset_ >= size) return false;
    const std::string which =
        "message " + std::to_string(messages_ + 1) + " at byte " + std::to_string(offset_);
    if (size - offset_ < 2) {
        error_ = describe_stop("messages", messages_, offset_, size,
                               which + " is cut: 1 byte of its 2-byte length");
        offset_ = size;
        return false;
    }
    const uint16_t n = base::load_be16(image_.data() + offset_);
    if (size - offset_ - 2 < n) {
        error_ = describe_stop("messages", messages_, offset_, size,
                               which + " is cut: " + std::to_string(size - offset_ - 2) +
                                   " of its " + std::to_string(n) + " bytes");
        offset_ = size;
        return false;
    }
    message = image_.data() + offset_ + 2;
    length = n;
    offset_ += 2u + n;
    ++messages_;
    return true;
}

void historical_writer::write(const uint8_t* message, uint16_t length) {
    uint8_t prefix[2];
    base::store_be16(prefix, length);
    file_.write(prefix, sizeof prefix);
    file_.write(message, length);
}

}  // namespace hypertick::feed
