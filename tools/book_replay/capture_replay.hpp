// Loads a capture (pcap, pcapng or NASDAQ historical, told apart by the magic number) and
// replays it through feed_receiver<book_feed_handler>: the same decode, sequencing and book code
// the gateway runs on its lcores. Top-of-book updates go to a fixed buffer drained after every
// frame, as the publisher will drain it once per burst.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hypertick/book/book_manager.hpp"
#include "hypertick/book/snapshot_json.hpp"
#include "hypertick/feed/ethernet_ipv4_udp.hpp"
#include "hypertick/feed/historical_file.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace book_replay {

enum class capture_kind : uint8_t { pcap, historical };

struct byte_span {
    const uint8_t* data;
    uint32_t length;
};

// Why a historical file keeps no list of its messages: they lie one after another, each after
// its 2-byte length, and the replay walks them by those lengths; the loader only counts them
// and finds where the last complete one ends (a list would be 16 bytes a message, 96 MiB for
// the nasdaq profile's file, that nothing reads).
struct loaded_capture {
    capture_kind kind = capture_kind::pcap;
    hypertick::feed::pcap_reader pcap;
    hypertick::feed::historical_reader historical;
    std::vector<byte_span> frames;  // pcap only: every frame, pointing into the reader
    uint64_t messages = 0;          // historical only: its complete messages, from the start
    uint64_t messages_bytes = 0;    // historical only: their bytes, length prefixes included
    std::string stopped;            // non-empty: the file stops before its end (cut, damaged) here

    // Frames (pcap) or messages (historical) the replay will read.
    uint64_t items() const { return kind == capture_kind::pcap ? frames.size() : messages; }
};

// Maps the file and indexes its frames or counts its messages. False with a reason (without the
// path) when it is not a capture this tool reads; a capture cut short loads up to the cut and says
// so in `stopped`.
bool load_capture(const std::string& path, loaded_capture& capture, std::string& error);

struct replay_result {
    uint64_t elapsed_ns = 0;  // the replay loop only: no file reading
    uint64_t messages = 0;    // ITCH messages delivered to the handler
    hypertick::book::feed_summary feed;
    hypertick::feed::feed_counters feed_counters;
    uint64_t bbo_updates_drained = 0;
    uint64_t bbo_checksum = 0;  // folds every update, so none can be optimised away
    uint64_t bbo_overflowed = 0;
};

// One pass over `capture` into `books` (freshly initialised by the caller).
replay_result replay(const loaded_capture& capture, hypertick::book::book_manager& books,
                     hypertick::feed::udp_filter filter);

}  // namespace book_replay
