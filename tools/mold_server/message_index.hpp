// Every ITCH message of a MoldUDP64 capture, by sequence number: what the server answers from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hypertick/feed/moldudp64.hpp"

namespace hypertick::mold_server {

class message_index {
  public:
    // Reads every Ethernet/IPv4/UDP/MoldUDP64 frame of the pcap and keeps the messages of one
    // session: `wanted`, or when it is null the session of the capture's first frame. Frames of
    // other sessions are skipped and counted (their numbers are another sequence, so mixing
    // them in would answer wrong messages). False with `error` set when the file cannot be read
    // or holds no message of that session. Later copies of a number (duplicates) are ignored.
    bool load(const std::string& path, const feed::mold_session* wanted, std::string& error);

    // The message with this number (which may be empty: MoldUDP64 allows a zero-length
    // message), or nullopt when the capture does not hold it.
    std::optional<std::string_view> find(std::uint64_t sequence) const;

    feed::mold_session session() const { return session_; }
    std::uint64_t first() const { return first_; }
    std::uint64_t last() const { return last_; }
    std::size_t size() const { return where_.size(); }
    // Datagrams of the capture that belong to another session than the one kept.
    std::uint64_t other_session_datagrams() const { return other_session_datagrams_; }

  private:
    struct slot {
        std::uint64_t offset;  // a capture's messages may pass 4 GiB
        std::uint16_t length;
    };
    std::vector<char> bytes_;  // message bodies back to back
    std::unordered_map<std::uint64_t, slot> where_;
    feed::mold_session session_{};
    std::uint64_t first_ = 0;
    std::uint64_t last_ = 0;
    std::uint64_t other_session_datagrams_ = 0;
};

}  // namespace hypertick::mold_server
