// itch_gen end to end: messages (generated or from a historical file), datagrams, lines,
// expected result; in memory so tests and benchmarks can use it without touching disk.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "message_stream.hpp"
#include "options.hpp"
#include "receiver_model.hpp"

namespace itch_gen {

struct generated_capture {
    message_stream messages;
    std::vector<uint8_t> pcap_a;  // complete pcap file images
    std::vector<uint8_t> pcap_b;  // empty unless options.out_b is set
    receiver_result expected;     // what a receiver of the A line ends with
};

// Builds everything in memory. Fails only when --from-historical cannot be read.
bool generate(const generator_options& options, generated_capture& capture, std::string& error);

// Writes the files the options ask for. Returns the process exit status.
int write_outputs(const generator_options& options, const generated_capture& capture);

// Reads a NASDAQ historical file (2-byte big-endian length + message, repeated).
bool read_historical(const std::string& path, message_stream& messages, std::string& error);

}  // namespace itch_gen
