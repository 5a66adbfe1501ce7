// The one writer of Ethernet II / IPv4 / UDP headers, with the IPv4 header checksum.
//
// Everything we send is one UDP datagram in one frame: IPv4 without options, don't-fragment set,
// UDP checksum 0 (optional over IPv4). write_udp_frame_header builds a header once (a template);
// set_udp_payload_length then fits a copy of it to each payload on the hot path (two lengths and
// the checksum, no branches that depend on the data).
#pragma once

#include <array>
#include <cstdint>

#include "hypertick/base/byte_order.hpp"

namespace hypertick::base {

inline constexpr uint32_t ethernet_header_length = 14;
inline constexpr uint32_t vlan_tag_length = 4;
inline constexpr uint32_t ipv4_header_length_min = 20;
inline constexpr uint32_t udp_header_length = 8;
inline constexpr uint16_t ethertype_ipv4 = 0x0800;
inline constexpr uint16_t ethertype_vlan = 0x8100;
inline constexpr uint16_t ethertype_qinq = 0x88a8;
inline constexpr uint8_t ip_protocol_udp = 17;
// The largest UDP payload an IPv4 datagram can carry.
inline constexpr uint32_t udp_payload_length_max =
    0xffffu - ipv4_header_length_min - udp_header_length;

using mac_address = std::array<uint8_t, 6>;

inline constexpr mac_address broadcast_mac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

// The Ethernet address an IPv4 multicast group maps to: 01:00:5e + the group's low 23 bits.
constexpr mac_address multicast_mac(uint32_t group) {
    return {0x01,
            0x00,
            0x5e,
            static_cast<uint8_t>((group >> 16) & 0x7f),
            static_cast<uint8_t>(group >> 8),
            static_cast<uint8_t>(group)};
}

// Who sends to whom. Addresses and ports in host byte order.
struct udp_frame_fields {
    mac_address destination_mac = broadcast_mac;
    mac_address source_mac = {};
    uint16_t vlan = 0;  // 0: untagged; else one 802.1Q tag with this VLAN id (low 12 bits)
    uint32_t source_ip = 0;
    uint32_t destination_ip = 0;
    uint16_t source_port = 0;
    uint16_t destination_port = 0;
    uint8_t ttl = 64;
    uint16_t ip_identification = 0;
};

// Ethernet (and VLAN tag) + IPv4 + UDP: where the UDP payload starts.
constexpr uint32_t udp_frame_header_length(const udp_frame_fields& fields) {
    return ethernet_header_length + (fields.vlan != 0 ? vlan_tag_length : 0) +
           ipv4_header_length_min + udp_header_length;
}

// RFC 791's header checksum: the ones' complement of the ones' complement sum of the header's
// 16-bit words. Computed with the checksum field zero, it is the value to store there; over a
// header that holds its checksum it is 0. `length` is even (IPv4 headers are 4-byte multiples).
inline uint16_t ipv4_header_checksum(const uint8_t* header, uint32_t length) {
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < length; i += 2) sum += load_be16(header + i);
    while (sum >> 16) sum = (sum & 0xffffu) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

// Given the IPv4 header of a frame written by write_udp_frame_header, sets the IPv4 total length,
// the UDP length and the IPv4 checksum for `payload_length` bytes of UDP payload (at most
// udp_payload_length_max; the caller bounds it).
inline void set_udp_payload_length(uint8_t* ipv4_header, uint32_t payload_length) {
    const uint32_t udp_length = udp_header_length + payload_length;
    store_be16(ipv4_header + 2, static_cast<uint16_t>(ipv4_header_length_min + udp_length));
    store_be16(ipv4_header + 10, 0);
    store_be16(ipv4_header + 10, ipv4_header_checksum(ipv4_header, ipv4_header_length_min));
    store_be16(ipv4_header + ipv4_header_length_min + 4, static_cast<uint16_t>(udp_length));
}

// Writes the complete header for `payload_length` bytes of UDP payload into `out`, which holds
// udp_frame_header_length(fields) bytes. Returns that length: the payload goes right after it.
uint32_t write_udp_frame_header(uint8_t* out, const udp_frame_fields& fields,
                                uint32_t payload_length);

}  // namespace hypertick::base
