// mold_server's command line.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace hypertick::mold_server {

struct options {
    std::string capture;
    std::string listen_text;  // as given, for messages
    sockaddr_in listen{};
    std::optional<std::string> session;  // default: the capture's
    // Requesters answered: those whose IPv4 source address masked by allow_mask equals
    // allow_network (host byte order). The default mask 0 answers anyone.
    std::uint32_t allow_network = 0;
    std::uint32_t allow_mask = 0;
    bool never_answer = false;
    std::uint32_t delay_ms = 0;
    std::uint32_t drop_every = 0;    // 0: answer every request
    std::uint64_t max_requests = 0;  // 0: no limit
    double duration_s = 0;           // 0: until SIGTERM/SIGINT
    bool help = false;
    bool version = false;
};

// Fills `o`; returns an error message, or an empty string when the command line is valid.
std::string parse_options(int argc, const char* const* argv, options& o);
void print_usage(std::FILE* out);

}  // namespace hypertick::mold_server
