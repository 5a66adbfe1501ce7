// Counters of everything the frame decoder saw, by outcome. One instance per receiving lcore:
// written only by that lcore, read by the control plane. docs/protocol.md defines each one.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace hypertick::feed {

// Every outcome a frame, datagram or message can have. Outcomes named malformed_* mean the
// input broke the protocol; the others are normal traffic that is simply not for us.
enum class feed_event : uint8_t {
    frame_accepted,                    // a UDP datagram for our group/port reached MoldUDP64
    frame_not_ipv4,                    // another EtherType (ARP, IPv6, LLDP...)
    frame_not_udp,                     // IPv4 but another protocol (IGMP...)
    frame_filtered,                    // UDP but another destination group or port
    ip_fragment,                       // MoldUDP64 never fragments; fragments are dropped
    malformed_ethernet_short,          // shorter than its Ethernet header and VLAN tags
    malformed_ip_version,              // IPv4 EtherType, version field not 4
    malformed_ip_header_length,        // IHL below 5 or past the frame
    malformed_ip_total_length,         // total length below IHL or past the frame
    malformed_udp_length,              // no room for a UDP header, or its length disagrees
    malformed_mold_header_short,       // UDP payload shorter than the 20-byte MoldUDP64 header
    malformed_mold_count_overrun,      // message count or a length prefix runs past the datagram
    malformed_mold_trailing_bytes,     // bytes left after `count` messages
    malformed_mold_sequence_overflow,  // sequence + count wraps past 2^64
    datagram_accepted,                 // a well-formed MoldUDP64 datagram (data, heartbeat, end)
    message_decoded,                   // a known ITCH type handed to the handler
    message_unknown_type,              // skipped by its length prefix (types newer than us)
    malformed_message_too_short,       // shorter than its type's length (or empty): skipped
    malformed_order_side,              // an add (A, F) whose side is neither 'B' nor 'S': skipped
    count_,
};

inline constexpr uint32_t feed_event_count = static_cast<uint32_t>(feed_event::count_);

inline constexpr std::array<std::string_view, feed_event_count> feed_event_names = {
    "frame_accepted",
    "frame_not_ipv4",
    "frame_not_udp",
    "frame_filtered",
    "ip_fragment",
    "malformed_ethernet_short",
    "malformed_ip_version",
    "malformed_ip_header_length",
    "malformed_ip_total_length",
    "malformed_udp_length",
    "malformed_mold_header_short",
    "malformed_mold_count_overrun",
    "malformed_mold_trailing_bytes",
    "malformed_mold_sequence_overflow",
    "datagram_accepted",
    "message_decoded",
    "message_unknown_type",
    "malformed_message_too_short",
    "malformed_order_side",
};

inline constexpr bool is_malformed(feed_event event) {
    return feed_event_names[static_cast<uint32_t>(event)].starts_with("malformed_");
}

struct alignas(64) feed_counters {
    uint64_t frames = 0;  // every frame offered to the decoder
    std::array<uint64_t, feed_event_count> by_event{};

    void count(feed_event event) { ++by_event[static_cast<uint32_t>(event)]; }
    void count(feed_event event, uint64_t n) { by_event[static_cast<uint32_t>(event)] += n; }
    uint64_t operator[](feed_event event) const { return by_event[static_cast<uint32_t>(event)]; }

    uint64_t malformed_total() const {
        uint64_t total = 0;
        for (uint32_t i = 0; i < feed_event_count; ++i) {
            if (is_malformed(static_cast<feed_event>(i))) total += by_event[i];
        }
        return total;
    }
};

}  // namespace hypertick::feed
