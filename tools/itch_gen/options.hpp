// itch_gen's command line: every option, its default, and strict parsing with errors that name
// the offending argument.
#pragma once

#include <cstdint>
#include <string>

namespace itch_gen {

struct fault_plan {
    // Probabilities per data datagram of the A line, in parts per million. At most one fault
    // hits a datagram.
    uint32_t drop_ppm = 0;
    uint32_t duplicate_ppm = 0;
    uint32_t reorder_ppm = 0;
    uint32_t truncate_ppm = 0;
    uint32_t corrupt_ppm = 0;
    uint32_t b_drop_ppm = 0;  // independent losses of the B line
};

// basic: the original small-book mix. nasdaq: a day-like stream (nasdaq_profile.hpp).
enum class feed_profile { basic, nasdaq };

struct generator_options {
    feed_profile profile = feed_profile::basic;
    uint64_t seed = 1;
    uint32_t symbols = 8;
    uint64_t messages = 100'000;
    std::string out;
    std::string out_b;
    std::string expect;
    std::string historical_out;
    std::string from_historical;
    uint32_t per_packet = 40;
    uint32_t mtu = 1500;
    uint32_t heartbeat_every = 500;
    uint32_t end_of_session = 3;
    bool empty_at_end = false;
    std::string session = "HTGEN00001";
    uint32_t group = 0xe9360c6f;  // 233.54.12.111
    uint16_t port = 26477;
    uint32_t b_group = 0xe9360c70;  // 233.54.12.112
    uint16_t b_port = 26477;
    uint16_t vlan = 0;
    fault_plan faults;
};

enum class parse_result { ok, help, version, error };

parse_result parse_options(int argc, const char* const* argv, generator_options& options,
                           std::string& error);
const char* usage_text();

}  // namespace itch_gen
