// The gateway's typed settings, as parsed and validated from the YAML configuration.
//
// Every field has a default that runs on a machine with no NIC, taken from the configuration's
// schema (config_schema.hpp) where the YAML file has a key for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config_schema.hpp"

namespace hypertick::gw {

enum class hugepage_mode : std::uint8_t {
    automatic,  // use hugepages when enough are reserved, otherwise --no-huge
    required,   // fail at start-up without them
    disabled,   // always --no-huge
};

struct eal_settings {
    std::string lcores{schema_text("eal", "lcores")};  // DPDK --lcores syntax
    std::uint32_t main_lcore = schema_integer("eal", "main_lcore");
    hugepage_mode hugepages = hugepage_mode::automatic;
    std::uint32_t memory_mb = schema_integer("eal", "memory_mb");
    std::string file_prefix{schema_text("eal", "file_prefix")};
    std::vector<std::string> pci_allow;  // empty: --no-pci
    std::string log_level{schema_text("eal", "log_level")};
    bool telemetry = schema_boolean("eal", "telemetry");
    std::vector<std::string> extra_args;
};

struct port_settings {
    std::string name;
    std::string device;  // a vdev ("net_pcap0,rx_pcap=...") or a PCI address
    std::uint16_t rx_queues = schema_integer("ports[]", "rx_queues");
    std::uint16_t tx_queues = schema_integer("ports[]", "tx_queues");
    std::uint16_t rx_descriptors = schema_integer("ports[]", "rx_descriptors");
    std::uint16_t tx_descriptors = schema_integer("ports[]", "tx_descriptors");
    std::uint32_t mempool_mbufs = schema_integer("ports[]", "mempool_mbufs");
    std::uint32_t mempool_cache = schema_integer("ports[]", "mempool_cache");
    // The largest frame received in one buffer: raise it for jumbo frames. A longer frame is
    // dropped by a NIC (port ierrors in the final report) or cut by net_pcap (then rejected by
    // the decoder as malformed); either way counted, and its messages become a gap.
    std::uint16_t max_frame_bytes = schema_integer("ports[]", "max_frame_bytes");

    // Made by hypertick-gw itself after EAL start-up (the paced replay's net_ring ports), so
    // not passed to EAL as --vdev.
    bool created_by_gateway = false;
    // --clock capture: ask the device for receive timestamps (net_pcap: the capture's).
    bool rx_timestamps = false;

    [[nodiscard]] bool is_vdev() const { return device.rfind("net_", 0) == 0; }
};

// One line of a feed (A or B): where its datagrams arrive. nullopt filters mean "any".
struct line_settings {
    std::string port;
    std::uint16_t rx_queue = schema_integer("feeds[].lines[]", "rx_queue");
    std::optional<std::uint32_t> group;  // host byte order
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
    std::uint16_t tx_queue = schema_integer("feeds[].recovery", "tx_queue");
    std::uint16_t rx_queue = schema_integer("feeds[].recovery", "rx_queue");
    std::uint32_t server_ip = 0;
    std::uint16_t server_port = 0;
    std::uint32_t source_ip = 0;
    std::uint16_t source_port = 0;
    std::uint32_t timeout_ms = schema_integer("feeds[].recovery", "timeout_ms");
    std::uint32_t retry_ms = schema_integer("feeds[].recovery", "retry_ms");
    std::uint32_t max_outstanding = schema_integer("feeds[].recovery", "max_outstanding");
    std::uint16_t max_messages_per_request =
        schema_integer("feeds[].recovery", "max_messages_per_request");
    std::uint32_t hold_capacity = schema_integer("feeds[].recovery", "hold_capacity");
};

// `lines` holds every line, A first: one when the file gives the line's keys on the feed itself.
struct feed_settings {
    std::string name;
    std::uint32_t lcore = schema_integer("feeds[]", "lcore");
    std::vector<line_settings> lines;
    std::uint32_t line_wait_ms = schema_integer("feeds[]", "line_wait_ms");
    // A datagram this far beyond the highest known number is followed only once a second
    // datagram confirms the jump (feed/feed_stream.hpp).
    std::uint64_t max_sequence_jump = schema_integer("feeds[]", "max_sequence_jump");
    // Arbitrated feeds: messages whose hash is kept after delivery, so another line's copy of
    // the same number is compared with the one applied (feed/copy_check.hpp).
    std::uint32_t verify_window = schema_integer("feeds[]", "verify_window");
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
    std::uint32_t max_symbols = schema_integer("books", "max_symbols");
    std::uint32_t max_orders = schema_integer("books", "max_orders");
    std::uint32_t max_levels_per_side = schema_integer("books", "max_levels_per_side");
    std::uint32_t snapshot_depth = schema_integer("books", "snapshot_depth");
    // 0: derived from the L2 cache (book::derive_level_prefetch_books).
    std::uint32_t level_prefetch_books = schema_integer("books", "level_prefetch_books");
};

struct publisher_settings {
    bool enabled = schema_boolean("publisher", "enabled");
    std::string port;
    std::uint16_t tx_queue = schema_integer("publisher", "tx_queue");
    std::uint32_t destination_group = schema_ipv4("publisher", "destination_group");
    std::uint16_t destination_port = schema_integer("publisher", "destination_port");
    std::uint32_t source_address = schema_ipv4("publisher", "source_address");
    std::uint16_t source_port = schema_integer("publisher", "source_port");
    std::uint8_t ttl = schema_integer("publisher", "ttl");
    std::uint16_t max_datagram_bytes = schema_integer("publisher", "max_datagram_bytes");
};

struct timer_settings {
    std::uint32_t heartbeat_ms = schema_integer("timers", "heartbeat_ms");
    std::uint32_t stale_after_ms = schema_integer("timers", "stale_after_ms");
    std::uint32_t stats_interval_ms = schema_integer("timers", "stats_interval_ms");
    std::uint32_t replay_idle_ms = schema_integer("timers", "replay_idle_ms");
};

struct latency_settings {
    bool enabled = schema_boolean("latency", "enabled");
    std::string log_path{schema_text(
        "latency", "log")};  // empty: no .hlog (the final report still prints percentiles)
    std::uint32_t interval_ms = schema_integer("latency", "interval_ms");
    std::uint64_t highest_ns = schema_integer("latency", "highest_ns");
    std::uint32_t significant_digits = schema_integer("latency", "significant_digits");
};

struct logging_settings {
    std::string level{schema_text("logging", "level")};
    std::string file{schema_text("logging", "file")};  // empty: standard output
};

struct worker_settings {
    std::uint32_t max_tasks = schema_integer("worker", "max_tasks");
    std::uint32_t event_ring_size =
        schema_integer("worker", "event_ring_size");  // worker -> control plane events
    std::uint32_t stall_budget_us =
        schema_integer("worker", "stall_budget_us");  // 0: no stall detector
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
