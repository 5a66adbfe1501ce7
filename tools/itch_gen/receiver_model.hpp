// What a receiver of one line ends up with: the feed counters defined in docs/protocol.md and
// the books built from the messages it delivered. Written from the definitions, independently
// of the feed library's stream for one line, so tests can compare the two.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "message_stream.hpp"
#include "packets.hpp"
#include "reference_books.hpp"

namespace itch_gen {

struct expected_feed {
    std::string session;  // trailing spaces removed
    uint64_t packets = 0;
    uint64_t messages = 0;
    uint64_t next_seq = 1;
    uint64_t gaps = 0;
    uint64_t missing_messages = 0;
    uint64_t duplicate_messages = 0;
    uint64_t heartbeats = 0;
    uint64_t end_of_session_packets = 0;
    uint64_t rejected_packets = 0;  // truncated or corrupted: malformed at the receiver
};

struct receiver_result {
    expected_feed feed;
    reference_books books;
};

receiver_result receive_line(const std::vector<planned_packet>& planned,
                             const std::vector<line_packet>& line, const message_stream& messages,
                             const std::string& session);

// The whole --expect document (schema in docs/protocol.md).
std::string expect_json(const receiver_result& result);

}  // namespace itch_gen
