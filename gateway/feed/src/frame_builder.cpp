#include "hypertick/feed/frame_builder.hpp"

#include <cassert>

#include "hypertick/feed/byte_order.hpp"
#include "hypertick/feed/ethernet_ipv4_udp.hpp"

namespace hypertick::feed {

void MoldPayloadBuilder::start(const MoldSession& session, uint64_t sequence) {
    bytes_.assign(mold_header_length, 0);
    std::memcpy(bytes_.data(), session.name.data(), mold_session_length);
    store_be64(bytes_.data() + 10, sequence);
    messages_ = 0;
}

void MoldPayloadBuilder::append(const uint8_t* message, uint16_t length) {
    assert(bytes_.size() >= mold_header_length);
    uint8_t prefix[mold_length_prefix];
    store_be16(prefix, length);
    bytes_.insert(bytes_.end(), prefix, prefix + mold_length_prefix);
    bytes_.insert(bytes_.end(), message, message + length);
    ++messages_;
}

void MoldPayloadBuilder::finish() { finish_with_count(messages_); }

void MoldPayloadBuilder::finish_with_count(uint16_t count) {
    assert(bytes_.size() >= mold_header_length);
    store_be16(bytes_.data() + 18, count);
}

uint16_t ipv4_header_checksum(const uint8_t* header, uint32_t length) {
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < length; i += 2) sum += load_be16(header + i);
    while (sum >> 16) sum = (sum & 0xffffu) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

std::vector<uint8_t> build_udp_frame(const FrameAddress& address, const uint8_t* payload,
                                     uint32_t length, uint16_t ip_identification) {
    const uint32_t l2 = ethernet_header_length + (address.vlan != 0 ? vlan_tag_length : 0);
    const uint32_t ip_total = ipv4_header_length_min + udp_header_length + length;
    assert(ip_total <= 0xffffu);
    std::vector<uint8_t> frame(l2 + ip_total, 0);
    uint8_t* p = frame.data();
    // IPv4 multicast MAC: 01:00:5e + the low 23 bits of the group.
    const uint8_t mac[6] = {0x01, 0x00, 0x5e, static_cast<uint8_t>((address.group >> 16) & 0x7f),
                            static_cast<uint8_t>(address.group >> 8),
                            static_cast<uint8_t>(address.group)};
    std::memcpy(p, mac, 6);
    const uint8_t source_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};  // locally administered
    std::memcpy(p + 6, source_mac, 6);
    if (address.vlan != 0) {
        store_be16(p + 12, ethertype_vlan);
        store_be16(p + 14, address.vlan & 0x0fffu);
        store_be16(p + 16, ethertype_ipv4);
    } else {
        store_be16(p + 12, ethertype_ipv4);
    }
    uint8_t* ip = p + l2;
    ip[0] = 0x45;
    store_be16(ip + 2, static_cast<uint16_t>(ip_total));
    store_be16(ip + 4, ip_identification);
    store_be16(ip + 6, 0x4000);  // don't fragment
    ip[8] = 32;                  // TTL
    ip[9] = ip_protocol_udp;
    store_be32(ip + 12, address.source_ip);
    store_be32(ip + 16, address.group);
    store_be16(ip + 10, ipv4_header_checksum(ip, ipv4_header_length_min));
    uint8_t* udp = ip + ipv4_header_length_min;
    store_be16(udp, address.source_port);
    store_be16(udp + 2, address.port);
    store_be16(udp + 4, static_cast<uint16_t>(udp_header_length + length));
    std::memcpy(udp + udp_header_length, payload, length);
    return frame;
}

}  // namespace hypertick::feed
