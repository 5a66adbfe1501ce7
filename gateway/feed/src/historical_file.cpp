#include "hypertick/feed/historical_file.hpp"

#include "hypertick/feed/byte_order.hpp"

namespace hypertick::feed {

bool HistoricalReader::open(const std::string& path) {
    std::vector<uint8_t> bytes;
    if (!read_whole_file(path, bytes, error_)) return false;
    return open_bytes(std::move(bytes));
}

bool HistoricalReader::open_bytes(std::vector<uint8_t> bytes) {
    bytes_ = std::move(bytes);
    offset_ = 0;
    error_.clear();
    return true;
}

bool HistoricalReader::next(const uint8_t*& message, uint16_t& length) {
    const uint64_t size = bytes_.size();
    if (offset_ >= size) return false;
    if (size - offset_ < 2) {
        error_ = "historical: truncated length prefix at byte " + std::to_string(offset_);
        return false;
    }
    const uint16_t n = load_be16(bytes_.data() + offset_);
    if (size - offset_ - 2 < n) {
        error_ = "historical: truncated message at byte " + std::to_string(offset_);
        return false;
    }
    message = bytes_.data() + offset_ + 2;
    length = n;
    offset_ += 2u + n;
    return true;
}

void HistoricalWriter::write(const uint8_t* message, uint16_t length) {
    uint8_t prefix[2];
    store_be16(prefix, length);
    file_.write(prefix, sizeof prefix);
    file_.write(message, length);
}

}  // namespace hypertick::feed
