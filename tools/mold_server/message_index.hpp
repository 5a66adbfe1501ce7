// Every ITCH message of a MoldUDP64 capture, by sequence number: what the server answers from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hypertick/feed/moldudp64.hpp"

namespace hypertick::mold_server {

class message_index {
  public:
    // Reads every Ethernet/IPv4/UDP/MoldUDP64 frame of the pcap; false with `error` set when the
    // file cannot be read or holds no message. Later copies of a number (duplicates) are ignored.
    bool load(const std::string& path, std::string& error);

    // The message with this number, or an empty view.
    std::string_view find(std::uint64_t sequence) const;

    feed::mold_session session() const { return session_; }
    std::uint64_t first() const { return first_; }
    std::uint64_t last() const { return last_; }
    std::size_t size() const { return where_.size(); }

  private:
    struct slot {
        std::uint32_t offset;
        std::uint16_t length;
    };
    std::vector<char> bytes_;  // message bodies back to back
    std::unordered_map<std::uint64_t, slot> where_;
    feed::mold_session session_{};
    std::uint64_t first_ = 0;
    std::uint64_t last_ = 0;
};

}  // namespace hypertick::mold_server
