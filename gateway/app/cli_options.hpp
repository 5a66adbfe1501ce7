// hypertick-gw's command line (the gateway's own options; EAL's come from the configuration).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hypertick::gw {

struct cli_options {
    std::string config_path;
    bool check_config = false;
    bool preflight = false;  // --preflight: check this host against the config, then exit
    std::string host_root;   // --host-root: the preflight reads /proc, /sys, /dev under it
    bool help = false;
    bool version = false;
    std::string replay_capture;        // --replay: feed ports read this capture (net_pcap)
    std::string replay_b_capture;      // --replay-b: ports of feeds' B lines read this one instead
    std::string snapshot_path;         // --snapshot: books as JSON at exit
    std::string publish_pcap;          // --publish-pcap: the publisher port writes this capture
    std::string latency_log;           // --latency-log: overrides latency.log
    std::optional<double> duration_s;  // --duration: run this long, then shut down cleanly
    bool loop_capture = false;         // --loop: replay the capture forever (net_pcap infinite_rx)
    // --pace: max, merged, capture[:xN] or an ITCH message rate. parse_cli sets the default:
    // merged for a replay of two lines once (--replay-b without --loop or --clock capture),
    // else max.
    std::string pace;
    bool capture_clock = false;     // --clock capture: worker time follows the capture's timestamps
    bool restart_sequence = false;  // --restart-sequence: a looping capture restarts numbering
    std::uint32_t show_symbols = 5;  // --show-symbols: top of book printed at exit
};

// Returns an empty string on success, else the error to print (exit code 2).
std::string parse_cli(int argc, char** argv, cli_options& out);
void print_help(const char* program);

}  // namespace hypertick::gw
