#include "hypertick/feed/frame_builder.hpp"

#include <cstring>

#include "hypertick/base/assert.hpp"
#include "hypertick/base/byte_order.hpp"
#include "hypertick/base/ipv4_udp_header.hpp"

namespace hypertick::feed {

void mold_payload_builder::start(const mold_session& session, uint64_t sequence) {
    bytes_.assign(mold_header_length, 0);
    std::memcpy(bytes_.data(), session.name.data(), mold_session_length);
    base::store_be64(bytes_.data() + 10, sequence);
    messages_ = 0;
}

void mold_payload_builder::append(const uint8_t* message, uint16_t length) {
    HT_ASSERT(bytes_.size() >= mold_header_length);
    uint8_t prefix[mold_length_prefix];
    base::store_be16(prefix, length);
    bytes_.insert(bytes_.end(), prefix, prefix + mold_length_prefix);
    bytes_.insert(bytes_.end(), message, message + length);
    ++messages_;
}

void mold_payload_builder::finish() {
    finish_with_count(messages_);
}

void mold_payload_builder::finish_with_count(uint16_t count) {
    HT_ASSERT(bytes_.size() >= mold_header_length);
    base::store_be16(bytes_.data() + 18, count);
}

std::vector<uint8_t> build_udp_frame(const frame_address& address, const uint8_t* payload,
                                     uint32_t length, uint16_t ip_identification) {
    base::udp_frame_fields fields;
    fields.destination_mac = base::multicast_mac(address.group);
    fields.source_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};  // locally administered
    fields.vlan = address.vlan;
    fields.source_ip = address.source_ip;
    fields.destination_ip = address.group;
    fields.source_port = address.source_port;
    fields.destination_port = address.port;
    fields.ttl = 32;
    fields.ip_identification = ip_identification;
    HT_ASSERT(length <= base::udp_payload_length_max);
    std::vector<uint8_t> frame(base::udp_frame_header_length(fields) + length, 0);
    const uint32_t header = base::write_udp_frame_header(frame.data(), fields, length);
    if (length != 0) std::memcpy(frame.data() + header, payload, length);
    return frame;
}

}  // namespace hypertick::feed
