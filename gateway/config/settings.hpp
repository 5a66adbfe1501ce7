// The gateway's typed settings, as parsed and validated from the YAML configuration.
//
// Every field has a default that runs on a machine with no NIC; config/feed.yaml spells them out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hypertick::gw {

enum class hugepage_mode : std::uint8_t {
    automatic,  // use hugepages when enough are reserved, otherwise --no-huge
    required,   // fail at start-up without them
    disabled,   // always --no-huge
};

struct eal_settings {
    std::string lcores = "0@0,1@1";  // DPDK --lcores syntax
    std::uint32_t main_lcore = 0;
    hugepage_mode hugepages = hugepage_mode::automatic;
    std::uint32_t memory_mb = 512;
    std::string file_prefix = "hypertick";
    std::vector<std::string> pci_allow;  // empty: --no-pci
    std::string log_level = "warning";
    bool telemetry = true;
    std::vector<std::string> extra_args;
};

struct port_settings {
    std::string name;
    std::string device;  // a vdev ("net_pcap0,rx_pcap=...") or a PCI address
    std::uint16_t rx_queues = 1;
    std::uint16_t tx_queues = 1;
    std::uint16_t rx_descriptors = 1024;
    std::uint16_t tx_descriptors = 1024;
    std::uint32_t mempool_mbufs = 16383;
    std::uint32_t mempool_cache = 256;
    // The largest frame received in one buffer: raise it for jumbo frames. A longer frame is
    // dropped by a NIC (port ierrors in the final report) or cut by net_pcap (then rejected by
    // the decoder as malformed); either way counted, and its messages become a gap.
    std::uint16_t max_frame_bytes = 2048;

    // Made by hypertick-gw itself after EAL start-up (the paced replay's net_ring ports), so
    // not passed to EAL as --vdev.
    bool created_by_gateway = false;

    [[nodiscard]] bool is_vdev() const { return device.rfind("net_", 0) == 0; }
};

// One line of a feed (A or B): where its datagrams arrive. nullopt filters mean "any".
struct line_settings {
    std::string port;
    std::uint16_t rx_queue = 0;
    std::optional<std::uint32_t> group;     // host byte order
    std::optional<std::uint16_t> udp_port;
    // Expected source of the line's datagrams (the exchange's sender): frames from any other
    // address or port are dropped and counted (wrong_source).
    std::optional<std::uint32_t> source_ip;  // host byte order
    std::optional<std::uint16_t> source_port;
};

// Whether datagrams with sequence number 0 (no numbering: anonymised captures) are applied.
enum class unsequenced_policy : std::uint8_t {
    automatic,  // accepted on a single-line feed without recovery, dropped otherwise
    accept,
    drop,
};

// MoldUDP64 re-requests for holes both lines missed (docs/protocol.md, gap recovery). Requests
// leave on port/tx_queue; the server's unicast answers arrive on port/rx_queue addressed to
// source_ip:source_port.
struct recovery_settings {
    bool enabled = false;
    std::string port;
    std::uint16_t tx_queue = 0;
    std::uint16_t rx_queue = 0;
    std::uint32_t server_ip = 0;
    std::uint16_t server_port = 0;
    std::uint32_t source_ip = 0;
    std::uint16_t source_port = 0;
    std::uint32_t timeout_ms = 1000;        // a hole without progress this long: given up
    std::uint32_t retry_ms = 50;            // between request rounds
    std::uint32_t max_outstanding = 4;      // requests per round (at most 16)
    std::uint16_t max_messages_per_request = 40;  // about 1400 bytes of ITCH messages
    std::uint32_t hold_capacity = 65536;    // held messages (64 B each), a power of two
};

// An IPv4 address or port filter; nullopt means "any". port/rx_queue/group/udp_port are line A;
// `lines` holds every line (A first), built from them when the file has no `lines` key.
struct feed_settings {
    std::string name;
    std::string port;
    std::uint16_t rx_queue = 0;
    std::uint32_t lcore = 1;
    std::optional<std::uint32_t> group;     // host byte order
    std::optional<std::uint16_t> udp_port;
    std::vector<line_settings> lines;
    std::uint32_t line_wait_ms = 20;        // a hole's age before it is requested or skipped
    // A datagram this far beyond the highest known number is followed only once a second
    // datagram confirms the jump (feed/feed_stream.hpp).
    std::uint64_t max_sequence_jump = 65536;
    unsequenced_policy unsequenced = unsequenced_policy::automatic;
    recovery_settings recovery;

    // Two lines or recovery: the stream holds messages beyond a hole (feed/feed_stream.hpp).
    [[nodiscard]] bool arbitrated() const { return lines.size() > 1 || recovery.enabled; }
    [[nodiscard]] bool accepts_unsequenced() const {
        return unsequenced == unsequenced_policy::accept ||
               (unsequenced == unsequenced_policy::automatic && !arbitrated());
    }
};

struct book_settings {
    std::uint32_t max_symbols = 16384;        // stock locates (ITCH locates are 16-bit)
    std::uint32_t max_orders = 1u << 20;      // live orders per feed
    std::uint32_t max_levels_per_side = 256;  // price levels per side per symbol
    std::uint32_t snapshot_depth = 0;         // 0: all levels
};

struct publisher_settings {
    bool enabled = true;
    std::string port;
    std::uint16_t tx_queue = 0;
    std::uint32_t destination_group = 0xEF010101;  // 239.1.1.1
    std::uint16_t destination_port = 30001;
    std::uint32_t source_address = 0x0A000001;     // 10.0.0.1
    std::uint16_t source_port = 30000;
    std::uint8_t ttl = 1;
    std::uint16_t max_datagram_bytes = 1400;       // UDP payload
};

struct timer_settings {
    std::uint32_t heartbeat_ms = 1000;   // how often each feed's health is checked
    std::uint32_t stale_after_ms = 3000; // no datagram (data or heartbeat) for this long: stale
    std::uint32_t stats_interval_ms = 1000;
    std::uint32_t replay_idle_ms = 500;  // --replay: idle this long after the last packet: done
};

struct latency_settings {
    bool enabled = true;
    std::string log_path;  // empty: no .hlog (the final report still prints percentiles)
    std::uint32_t interval_ms = 1000;
    std::uint64_t highest_ns = 10'000'000'000ull;
    std::uint32_t significant_digits = 3;
};

struct logging_settings {
    std::string level = "info";
    std::string file;  // empty: standard output
};

struct worker_settings {
    std::uint32_t max_tasks = 64;
    std::uint32_t event_ring_size = 1024;  // worker -> control plane events
    std::uint32_t stall_budget_us = 1000;  // 0: no stall detector
};

struct gateway_config {
    std::string source_path;
    eal_settings eal;
    std::vector<port_settings> ports;
    std::vector<feed_settings> feeds;
    book_settings books;
    publisher_settings publisher;
    timer_settings timers;
    latency_settings latency;
    logging_settings logging;
    worker_settings worker;

    [[nodiscard]] const port_settings* find_port(const std::string& name) const;
    // Worker lcores in ascending order (every lcore that owns a feed).
    [[nodiscard]] std::vector<std::uint32_t> worker_lcores() const;
};

}  // namespace hypertick::gw
