// Builds Ethernet II / IPv4 / UDP / MoldUDP64 frames: the encoder side of the codec, used by
// itch_gen and the tests. Not a hot path.
#pragma once

#include <cstdint>
#include <vector>

#include "hypertick/feed/moldudp64.hpp"

namespace hypertick::feed {

struct frame_address {
    uint32_t source_ip = 0x0a000001;  // 10.0.0.1
    uint32_t group = 0xe9360c6f;      // 233.54.12.111, NASDAQ TotalView-ITCH
    uint16_t source_port = 26400;
    uint16_t port = 26477;
    uint16_t vlan = 0;  // 0: untagged; else one 802.1Q tag
};

// Accumulates a MoldUDP64 payload: header first, then messages appended one by one.
class mold_payload_builder {
  public:
    void start(const mold_session& session, uint64_t sequence);
    void append(const uint8_t* message, uint16_t length);
    // Sets the header count: the number of appended messages, or an explicit value
    // (0 for a heartbeat, 0xFFFF for end of session, anything for fault injection).
    void finish();
    void finish_with_count(uint16_t count);

    const std::vector<uint8_t>& bytes() const { return bytes_; }

  private:
    std::vector<uint8_t> bytes_;
    uint16_t messages_ = 0;
};

// Wraps a UDP payload into a complete frame (IPv4 header checksum filled in, UDP checksum 0).
std::vector<uint8_t> build_udp_frame(const frame_address& address, const uint8_t* payload,
                                     uint32_t length, uint16_t ip_identification = 0);

}  // namespace hypertick::feed
