// The files --replay, --replay-b and --publish-pcap name, checked before EAL starts: DPDK's
// net_pcap would otherwise turn any problem into "no DPDK device named ...", and would replay
// a cut capture up to the cut without a word.
#pragma once

#include <string>
#include <vector>

#include "app/cli_options.hpp"

namespace hypertick::gw {

struct capture_check {
    std::string error;                  // non-empty: the command line cannot run (exit 2)
    std::vector<std::string> warnings;  // captures that stop before their end: replayed up to there
};

// Each capture must be a regular pcap or pcapng file with Ethernet link type; it is read to its
// end with the tools' reader (feed/pcap_file.hpp), so a cut or damaged record is reported in the
// same words book_replay uses; a capture without a single record is refused (the replay would
// end at once, having done nothing). A record longer than the file's snapshot length (pcap header,
// or pcapng's first interface) is refused: book_replay reads it whole, but DPDK's net_pcap
// (libpcap) would cut or drop it. Paths travel
// inside DPDK device arguments
// ("net_pcap_x,rx_pcap=PATH"), which have no quoting: a path holding one of , = [ ] or a control
// character is refused instead of being split into other arguments.
capture_check check_capture_options(const cli_options& options);

}  // namespace hypertick::gw
