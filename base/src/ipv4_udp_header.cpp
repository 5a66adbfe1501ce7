#include "hypertick/base/ipv4_udp_header.hpp"

#include <cstring>

#include "hypertick/base/assert.hpp"

namespace hypertick::base {

uint32_t write_udp_frame_header(uint8_t* out, const udp_frame_fields& fields,
                                uint32_t payload_length) {
    HT_ASSERT(payload_length <= udp_payload_length_max);
    std::memcpy(out, fields.destination_mac.data(), fields.destination_mac.size());
    std::memcpy(out + 6, fields.source_mac.data(), fields.source_mac.size());
    uint32_t l2 = ethernet_header_length;
    if (fields.vlan != 0) {
        store_be16(out + 12, ethertype_vlan);
        store_be16(out + 14, fields.vlan & 0x0fffu);
        l2 += vlan_tag_length;
    }
    store_be16(out + l2 - 2, ethertype_ipv4);

    uint8_t* ip = out + l2;
    std::memset(ip, 0, ipv4_header_length_min + udp_header_length);
    ip[0] = 0x45;  // version 4, 5 words of header (no options)
    store_be16(ip + 4, fields.ip_identification);
    store_be16(ip + 6, 0x4000);  // don't fragment
    ip[8] = fields.ttl;
    ip[9] = ip_protocol_udp;
    store_be32(ip + 12, fields.source_ip);
    store_be32(ip + 16, fields.destination_ip);
    uint8_t* udp = ip + ipv4_header_length_min;
    store_be16(udp, fields.source_port);
    store_be16(udp + 2, fields.destination_port);
    set_udp_payload_length(ip, payload_length);

    const uint32_t length = l2 + ipv4_header_length_min + udp_header_length;
    HT_ASSERT(length == udp_frame_header_length(fields));
    return length;
}

}  // namespace hypertick::base
