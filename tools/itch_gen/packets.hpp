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

enum class PacketKind : uint8_t { data, heartbeat, end_of_session };

// One datagram as the exchange sends it, before any fault.
struct PlannedPacket {
    PacketKind kind = PacketKind::data;
    uint64_t sequence = 0;       // MoldUDP64 sequence number (of the first message)
    uint64_t first_message = 0;  // index into the message stream
    uint16_t count = 0;          // messages carried (0 for heartbeat and end of session)
    uint64_t timestamp_ns = 0;   // pcap time, UTC
};

enum class Fault : uint8_t { none, truncate, corrupt };

// One datagram as a line delivers it (drops are simply absent; duplicates appear twice).
struct LinePacket {
    uint32_t planned = 0;
    Fault fault = Fault::none;
};

std::vector<PlannedPacket> plan_packets(const MessageStream& messages, const Options& options);

std::vector<LinePacket> line_a(const std::vector<PlannedPacket>& planned, const Faults& faults,
                               Rng& rng);
std::vector<LinePacket> line_b(const std::vector<PlannedPacket>& planned, const Faults& faults,
                               Rng& rng);

std::vector<uint8_t> build_frame(const PlannedPacket& packet, const MessageStream& messages,
                                 const hypertick::feed::MoldSession& session,
                                 const hypertick::feed::FrameAddress& address, Fault fault,
                                 Rng& rng);

}  // namespace itch_gen
