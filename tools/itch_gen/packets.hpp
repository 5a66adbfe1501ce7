// From a message stream to the datagrams of each line: MoldUDP64 packetisation (data,
// heartbeats, end of session), fault injection on the A line, losses on the B line, and the
// bytes of every frame.
#pragma once

#include <cstdint>
#include <vector>

#include "hypertick/feed/frame_builder.hpp"
#include "message_stream.hpp"
#include "options.hpp"
#include "rng.hpp"

namespace itch_gen {

enum class packet_kind : uint8_t { data, heartbeat, end_of_session };

// One datagram as the exchange sends it, before any fault.
struct planned_packet {
    packet_kind kind = packet_kind::data;
    uint64_t sequence = 0;       // MoldUDP64 sequence number (of the first message)
    uint64_t first_message = 0;  // index into the message stream
    uint16_t count = 0;          // messages carried (0 for heartbeat and end of session)
    uint64_t timestamp_ns = 0;   // pcap time, UTC
};

enum class packet_fault : uint8_t { none, truncate, corrupt };

// One datagram as a line delivers it (drops are simply absent; duplicates appear twice).
struct line_packet {
    uint32_t planned = 0;
    packet_fault fault = packet_fault::none;
};

std::vector<planned_packet> plan_packets(const message_stream& messages,
                                         const generator_options& options);

std::vector<line_packet> line_a(const std::vector<planned_packet>& planned,
                                const fault_plan& faults, random_generator& rng);
std::vector<line_packet> line_b(const std::vector<planned_packet>& planned,
                                const fault_plan& faults, random_generator& rng);

std::vector<uint8_t> build_frame(const planned_packet& packet, const message_stream& messages,
                                 const hypertick::feed::mold_session& session,
                                 const hypertick::feed::frame_address& address, packet_fault fault,
                                 random_generator& rng);

}  // namespace itch_gen
