// An ordered list of encoded ITCH messages, stored back to back in one buffer.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

namespace itch_gen {

class message_stream {
  public:
    void append(const uint8_t* message, uint16_t length) {
        starts_.push_back(bytes_.size());
        bytes_.insert(bytes_.end(), message, message + length);
    }
    uint64_t size() const { return starts_.size(); }
    // The messages' bytes together, without any framing.
    uint64_t byte_size() const { return bytes_.size(); }
    const uint8_t* data(uint64_t i) const { return bytes_.data() + starts_[i]; }
    uint16_t length(uint64_t i) const {
        assert(i < starts_.size());
        const uint64_t end = i + 1 < starts_.size() ? starts_[i + 1] : bytes_.size();
        return static_cast<uint16_t>(end - starts_[i]);
    }
    void reserve(uint64_t messages) {
        starts_.reserve(messages);
        bytes_.reserve(messages * 32);
    }

  private:
    std::vector<uint8_t> bytes_;
    std::vector<uint64_t> starts_;
};

}  // namespace itch_gen
