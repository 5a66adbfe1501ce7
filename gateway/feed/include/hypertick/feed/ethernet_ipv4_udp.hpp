// Ethernet II (with up to two 802.1Q/802.1ad tags) -> IPv4 -> UDP, zero-copy over one frame.
//
// The parser never reads outside [frame, frame + frame_length): every field is bounds-checked
// before it is loaded. Trailing bytes after the IPv4 total length are Ethernet padding (frames
// below 60 bytes) and are ignored.
#pragma once

#include <cstdint>

#include "hypertick/base/byte_order.hpp"
#include "hypertick/base/ipv4_udp_header.hpp"
#include "hypertick/feed/feed_counters.hpp"

namespace hypertick::feed {

using base::ethernet_header_length;
using base::ethertype_ipv4;
using base::ethertype_qinq;
using base::ethertype_vlan;
using base::ip_protocol_udp;
using base::ipv4_header_length_min;
using base::udp_header_length;
using base::vlan_tag_length;
inline constexpr uint32_t vlan_tags_max = 2;

// Which datagrams are ours. 0 means "any": the anonymised captures zero group and port.
struct udp_filter {
    uint32_t group = 0;  // IPv4 destination, host byte order
    uint16_t port = 0;   // UDP destination port
};

struct udp_datagram {
    const uint8_t* payload = nullptr;
    uint32_t length = 0;
    uint32_t destination_ip = 0;  // host byte order
    uint16_t destination_port = 0;
    uint32_t source_ip = 0;  // host byte order
    uint16_t source_port = 0;
};

// Where a line's datagrams must come from. 0 means "any".
struct source_filter {
    uint32_t ip = 0;    // IPv4 source address, host byte order
    uint16_t port = 0;  // UDP source port

    [[nodiscard]] bool admits(const udp_datagram& d) const {
        return (ip == 0 || ip == d.source_ip) && (port == 0 || port == d.source_port);
    }
};

// Returns feed_event::frame_accepted and fills `out`, or the reason the frame is not ours.
inline feed_event parse_udp_frame(const uint8_t* frame, uint32_t frame_length,
                                  const udp_filter& filter, udp_datagram& out) {
    if (frame_length < ethernet_header_length) return feed_event::malformed_ethernet_short;
    uint32_t offset = ethernet_header_length;
    uint16_t ethertype = base::load_be16(frame + 12);
    for (uint32_t tags = 0; ethertype == ethertype_vlan || ethertype == ethertype_qinq; ++tags) {
        if (tags == vlan_tags_max) return feed_event::frame_not_ipv4;
        if (frame_length < offset + vlan_tag_length) return feed_event::malformed_ethernet_short;
        ethertype = base::load_be16(frame + offset + 2);
        offset += vlan_tag_length;
    }
    if (ethertype != ethertype_ipv4) return feed_event::frame_not_ipv4;

    const uint8_t* ip = frame + offset;
    const uint32_t ip_available = frame_length - offset;
    if (ip_available < ipv4_header_length_min) return feed_event::malformed_ip_header_length;
    if ((ip[0] >> 4) != 4) return feed_event::malformed_ip_version;
    const uint32_t ip_header_length = uint32_t{ip[0] & 0x0fu} * 4u;
    if (ip_header_length < ipv4_header_length_min || ip_header_length > ip_available) {
        return feed_event::malformed_ip_header_length;
    }
    const uint32_t ip_total_length = base::load_be16(ip + 2);
    if (ip_total_length < ip_header_length || ip_total_length > ip_available) {
        return feed_event::malformed_ip_total_length;
    }
    // More-fragments flag or a non-zero fragment offset: part of a fragmented datagram.
    if ((base::load_be16(ip + 6) & 0x3fffu) != 0) return feed_event::ip_fragment;
    if (ip[9] != ip_protocol_udp) return feed_event::frame_not_udp;

    const uint8_t* udp = ip + ip_header_length;
    const uint32_t udp_available = ip_total_length - ip_header_length;
    if (udp_available < udp_header_length) return feed_event::malformed_udp_length;
    const uint32_t udp_length = base::load_be16(udp + 4);
    if (udp_length < udp_header_length || udp_length > udp_available) {
        return feed_event::malformed_udp_length;
    }
    const uint32_t destination_ip = base::load_be32(ip + 16);
    const uint16_t destination_port = base::load_be16(udp + 2);
    if ((filter.group != 0 && filter.group != destination_ip) ||
        (filter.port != 0 && filter.port != destination_port)) {
        return feed_event::frame_filtered;
    }
    out.payload = udp + udp_header_length;
    out.length = udp_length - udp_header_length;
    out.destination_ip = destination_ip;
    out.destination_port = destination_port;
    out.source_ip = base::load_be32(ip + 12);
    out.source_port = base::load_be16(udp);
    return feed_event::frame_accepted;
}

}  // namespace hypertick::feed
