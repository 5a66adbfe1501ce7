#include "packets.hpp"

#include <cassert>
#include <optional>

#include "hypertick/base/byte_order.hpp"
#include "hypertick/feed/ethernet_ipv4_udp.hpp"

namespace itch_gen {

namespace {

using namespace hypertick::feed;

// 2024-01-02 00:00 US Eastern (05:00 UTC): ITCH times are nanoseconds since that midnight.
constexpr uint64_t session_date_utc_ns = 1'704'171'600ull * 1'000'000'000ull;
constexpr uint64_t heartbeat_delay_ns = 1'000;

}  // namespace

std::vector<planned_packet> plan_packets(const message_stream& messages,
                                         const generator_options& options) {
    const uint32_t payload_max = options.mtu - ipv4_header_length_min - udp_header_length;
    std::vector<planned_packet> planned;
    uint64_t next = 0;
    uint64_t data_packets = 0;
    uint64_t now_ns = session_date_utc_ns;
    while (next < messages.size()) {
        planned_packet packet;
        packet.sequence = next + 1;  // MoldUDP64 numbers messages from 1
        packet.first_message = next;
        uint32_t bytes = mold_header_length;
        while (next < messages.size() && packet.count < options.per_packet) {
            const uint32_t block = mold_length_prefix + messages.length(next);
            // A message always fits an empty datagram: the MTU floor is 100 bytes.
            if (packet.count > 0 && bytes + block > payload_max) break;
            bytes += block;
            ++packet.count;
            ++next;
        }
        now_ns = session_date_utc_ns + hypertick::base::load_be48(messages.data(next - 1) + 5);
        packet.timestamp_ns = now_ns;
        planned.push_back(packet);
        ++data_packets;
        if (options.heartbeat_every != 0 && data_packets % options.heartbeat_every == 0) {
            now_ns += heartbeat_delay_ns;
            planned.push_back({packet_kind::heartbeat, next + 1, next, 0, now_ns});
        }
    }
    for (uint32_t i = 0; i < options.end_of_session; ++i) {
        now_ns += heartbeat_delay_ns;
        planned.push_back({packet_kind::end_of_session, next + 1, next, 0, now_ns});
    }
    return planned;
}

std::vector<line_packet> line_a(const std::vector<planned_packet>& planned,
                                const fault_plan& faults, random_generator& rng) {
    std::vector<line_packet> out;
    out.reserve(planned.size() + planned.size() / 8);
    // A datagram held back to arrive after the next one (reordered, or the copy of a duplicate).
    std::optional<line_packet> held;
    auto emit = [&](line_packet packet) {
        out.push_back(packet);
        if (held) out.push_back(*held);
        held.reset();
    };
    for (uint32_t i = 0; i < planned.size(); ++i) {
        const line_packet packet{i, packet_fault::none};
        if (planned[i].kind != packet_kind::data) {
            emit(packet);
            continue;
        }
        uint64_t roll = rng.below(1'000'000);
        auto hit = [&roll](uint32_t ppm) {
            if (roll < ppm) return true;
            roll -= ppm;
            return false;
        };
        if (hit(faults.drop_ppm)) continue;
        if (hit(faults.duplicate_ppm)) {
            emit(packet);  // emit() has flushed `held`, so the copy can wait for the next one.
            held = packet;
        } else if (hit(faults.reorder_ppm)) {
            if (held)
                emit(packet);  // One datagram held back at a time.
            else
                held = packet;
        } else if (hit(faults.truncate_ppm)) {
            emit({i, packet_fault::truncate});
        } else if (hit(faults.corrupt_ppm)) {
            emit({i, packet_fault::corrupt});
        } else {
            emit(packet);
        }
    }
    if (held) out.push_back(*held);
    return out;
}

std::vector<line_packet> line_b(const std::vector<planned_packet>& planned,
                                const fault_plan& faults, random_generator& rng) {
    std::vector<line_packet> out;
    out.reserve(planned.size());
    for (uint32_t i = 0; i < planned.size(); ++i) {
        if (planned[i].kind == packet_kind::data && rng.below(1'000'000) < faults.b_drop_ppm)
            continue;
        out.push_back({i, packet_fault::none});
    }
    return out;
}

std::vector<uint8_t> build_frame(const planned_packet& packet, const message_stream& messages,
                                 const mold_session& session, const frame_address& address,
                                 packet_fault fault, random_generator& rng) {
    mold_payload_builder payload;
    payload.start(session, packet.sequence);
    for (uint64_t i = packet.first_message; i < packet.first_message + packet.count; ++i) {
        payload.append(messages.data(i), messages.length(i));
    }
    if (packet.kind == packet_kind::end_of_session)
        payload.finish_with_count(mold_end_of_session_count);
    else
        payload.finish();
    std::vector<uint8_t> frame = build_udp_frame(address, payload.bytes().data(),
                                                 static_cast<uint32_t>(payload.bytes().size()),
                                                 static_cast<uint16_t>(packet.sequence));
    const uint32_t ip = ethernet_header_length + (address.vlan != 0 ? vlan_tag_length : 0);
    if (fault == packet_fault::truncate) {
        // Anywhere short of the end: the IPv4 total length then runs past the frame.
        frame.resize(rng.between(1, frame.size() - 1));
    } else if (fault == packet_fault::corrupt) {
        // Damage chosen so that a correct receiver must reject the whole datagram before
        // reading any message: IP version 6 inside an IPv4 EtherType, or a UDP length beyond
        // the IP payload.
        if (rng.below(2) == 0) {
            frame[ip] = static_cast<uint8_t>(0x60 | (frame[ip] & 0x0f));
        } else {
            uint8_t* udp_length = frame.data() + ip + ipv4_header_length_min + 4;
            hypertick::base::store_be16(
                udp_length,
                static_cast<uint16_t>(hypertick::base::load_be16(udp_length) + 1 + rng.below(200)));
        }
    }
    return frame;
}

}  // namespace itch_gen
