#include "generator.hpp"

#include <cstdio>

#include "hypertick/feed/historical_file.hpp"
#include "hypertick/feed/pcap_file.hpp"
#include "hypertick/feed/replace_file.hpp"
#include "market.hpp"
#include "packets.hpp"

namespace itch_gen {

namespace {

using namespace hypertick::feed;

// Fault rolls use their own stream so the market is the same with and without faults.
constexpr uint64_t line_a_stream = 0xa11e'a000'0000'0001ull;
constexpr uint64_t line_b_stream = 0xb11e'b000'0000'0002ull;

std::vector<uint8_t> render_line(const std::vector<planned_packet>& planned,
                                 const std::vector<line_packet>& line,
                                 const message_stream& messages, const mold_session& session,
                                 const frame_address& address, random_generator& rng) {
    std::vector<uint8_t> pcap;
    append_pcap_header(pcap);
    for (const line_packet& packet : line) {
        const planned_packet& plan = planned[packet.planned];
        const std::vector<uint8_t> frame =
            build_frame(plan, messages, session, address, packet.fault, rng);
        append_pcap_record(pcap, plan.timestamp_ns, frame.data(),
                           static_cast<uint32_t>(frame.size()),
                           static_cast<uint32_t>(frame.size()));
    }
    return pcap;
}

}  // namespace

bool read_historical(const std::string& path, message_stream& messages, std::string& error) {
    historical_reader reader;
    if (!reader.open(path)) {
        error = path + ": " + reader.error();
        return false;
    }
    const uint8_t* message = nullptr;
    uint16_t length = 0;
    while (reader.next(message, length)) messages.append(message, length);
    if (!reader.error().empty()) error = path + ": " + reader.error();
    return error.empty();
}

bool generate(const generator_options& options, generated_capture& capture, std::string& error) {
    if (options.from_historical.empty()) {
        capture.messages = generate_market(options);
    } else if (!read_historical(options.from_historical, capture.messages, error)) {
        return false;
    }
    const std::vector<planned_packet> planned = plan_packets(capture.messages, options);
    const mold_session session = mold_session::from_text(options.session);
    random_generator rng_a(options.seed ^ line_a_stream);
    const std::vector<line_packet> a = line_a(planned, options.faults, rng_a);
    frame_address address;
    address.group = options.group;
    address.port = options.port;
    address.vlan = options.vlan;
    capture.pcap_a = render_line(planned, a, capture.messages, session, address, rng_a);
    if (!options.out_b.empty()) {
        random_generator rng_b(options.seed ^ line_b_stream);
        const std::vector<line_packet> b = line_b(planned, options.faults, rng_b);
        frame_address address_b = address;
        address_b.group = options.b_group;
        address_b.port = options.b_port;
        capture.pcap_b = render_line(planned, b, capture.messages, session, address_b, rng_b);
    }
    capture.expected = receive_line(planned, a, capture.messages, options.session);
    return true;
}

int write_outputs(const generator_options& options, const generated_capture& capture) {
    // Each file is replaced whole or not at all: a full disk leaves the previous file, never a
    // cut capture that a later replay would read as damaged, or an empty --expect.
    std::string error;
    auto write_bytes = [&](const std::string& path, const void* data, size_t size) {
        if (replace_file(path, data, size, error)) return true;
        error = path + ": " + error + " (a previous file is left as it was)";
        return false;
    };
    bool ok = true;
    if (!options.out.empty())
        ok = ok && write_bytes(options.out, capture.pcap_a.data(), capture.pcap_a.size());
    if (!options.out_b.empty())
        ok = ok && write_bytes(options.out_b, capture.pcap_b.data(), capture.pcap_b.size());
    if (ok && !options.expect.empty()) {
        const std::string json = expect_json(capture.expected);
        ok = write_bytes(options.expect, json.data(), json.size());
    }
    if (ok && !options.historical_out.empty()) {
        std::vector<uint8_t> file;
        file.reserve(capture.messages.byte_size() + 2 * capture.messages.size());
        for (uint64_t i = 0; i < capture.messages.size(); ++i)
            append_historical_message(file, capture.messages.data(i), capture.messages.length(i));
        ok = write_bytes(options.historical_out, file.data(), file.size());
    }
    if (!ok) {
        std::fprintf(stderr, "itch_gen: %s\n", error.c_str());
        return 1;
    }
    return 0;
}

}  // namespace itch_gen
