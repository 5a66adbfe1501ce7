// The configuration's schema: every key of the YAML file once, with its type, its range, its
// default and one line saying what it does.
//
// Three readers, so they cannot drift apart: the loader (config_loader.cpp) takes the keys it
// accepts, the required ones and every integer range from here; settings.hpp takes its defaults
// from here at compile time (a key missing from the table does not compile); and the reference
// table in docs/configuration.md is generated from here by config_reference, with a test that
// fails when the committed table is stale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "hypertick/book/book_capacities.hpp"

namespace hypertick::gw {

enum class value_type : std::uint8_t {
    section,         // a mapping of further keys
    list,            // a YAML list (of sections or of strings)
    integer,         // decimal digits only, within [min, max]
    integer_or_any,  // an integer within [min, max], or "any"
    boolean,         // true/false (also yes/no, on/off)
    text,
    choice,       // one of `choices`
    ipv4,         // A.B.C.D
    ipv4_or_any,  // A.B.C.D or "any"
    source,       // A.B.C.D, A.B.C.D:PORT or "any"
};

struct key_spec {
    // Where the key lives: "" (the top level), "eal", "ports[]" (each entry of ports),
    // "feeds[].lines[]", "feeds[].recovery", ...
    std::string_view section;
    std::string_view key;
    value_type type = value_type::text;
    std::uint64_t min = 0;  // integers only
    std::uint64_t max = 0;
    // As written in YAML; empty when the key has no single default (see `doc`).
    std::string_view default_value = {};
    bool required = false;
    bool empty_allowed = false;     // text: "" is a valid value
    std::string_view choices = {};  // choice: the accepted words, ", "-separated
    std::string_view doc = {};
};

inline constexpr std::uint64_t ms_per_hour = 3'600'000;

// In file order: sections first as they appear at the top level, each followed by its keys.
// Kept as a table (clang-format would spread each entry one field a line).
// clang-format off
inline constexpr key_spec config_schema[] = {
    // The top level.
    {.section = "", .key = "eal", .type = value_type::section, .doc = "DPDK EAL: lcores, memory, devices"},
    {.section = "", .key = "ports", .type = value_type::list, .required = true, .doc = "the DPDK ports, at least one"},
    {.section = "", .key = "feeds", .type = value_type::list, .required = true, .doc = "the feeds, at least one"},
    {.section = "", .key = "books", .type = value_type::section, .doc = "order book capacities, per feed"},
    {.section = "", .key = "publisher", .type = value_type::section, .doc = "top-of-book datagrams; absent: no publisher"},
    {.section = "", .key = "timers", .type = value_type::section, .doc = "feed health and reporting periods"},
    {.section = "", .key = "latency", .type = value_type::section, .doc = "latency histograms and the .hlog log"},
    {.section = "", .key = "logging", .type = value_type::section, .doc = "the control plane's log"},
    {.section = "", .key = "worker", .type = value_type::section, .doc = "each worker lcore's executor"},

    {.section = "eal", .key = "lcores", .type = value_type::text, .default_value = "0@0,1@1",
     .doc = "DPDK --lcores: lcore@CPU pairs; the main lcore and every feed's lcore must be in it"},
    {.section = "eal", .key = "main_lcore", .type = value_type::integer, .min = 0, .max = 1023, .default_value = "0",
     .doc = "the control plane's lcore (no feed may run on it)"},
    {.section = "eal", .key = "hugepages", .type = value_type::choice, .default_value = "auto", .choices = "auto, on, off",
     .doc = "auto: 2 MB hugepages when reserved, else --no-huge; on: fail without them; off: --no-huge"},
    {.section = "eal", .key = "memory_mb", .type = value_type::integer, .min = 64, .max = 1u << 19, .default_value = "512",
     .doc = "EAL memory (-m), for every pool, book and worker: at least the memory plan (--preflight prints it), or the gateway refuses to start; at most DPDK's RTE_MAX_MEM_MB (more crashes EAL)"},
    {.section = "eal", .key = "file_prefix", .type = value_type::text, .default_value = "hypertick",
     .doc = "EAL --file-prefix: separates concurrent DPDK processes; letters, digits, . _ - and at most 241 of them (with telemetry, its socket path must fit 107 characters: 75 as root)"},
    {.section = "eal", .key = "pci", .type = value_type::list, .default_value = "[]",
     .doc = "PCI addresses DDDD:BB:DD.F EAL may probe; empty: --no-pci"},
    {.section = "eal", .key = "log_level", .type = value_type::text, .default_value = "warning",
     .doc = "EAL --log-level"},
    {.section = "eal", .key = "telemetry", .type = value_type::boolean, .default_value = "true",
     .doc = "answer dpdk-telemetry.py (/hypertick/stats, /feeds, /feed, /book)"},
    {.section = "eal", .key = "extra_args", .type = value_type::list, .default_value = "[]",
     .doc = "further EAL arguments, checked before EAL starts"},

    {.section = "ports[]", .key = "name", .type = value_type::text, .required = true,
     .doc = "the name feeds and the publisher refer to"},
    {.section = "ports[]", .key = "device", .type = value_type::text, .required = true,
     .doc = "a DPDK vdev (net_...) or a PCI address listed in eal.pci; ${sample_capture}, ${config_dir} expand"},
    {.section = "ports[]", .key = "rx_queues", .type = value_type::integer, .min = 1, .max = 64, .default_value = "1",
     .doc = "RX queues (one per feed line, plus recovery answers)"},
    {.section = "ports[]", .key = "tx_queues", .type = value_type::integer, .min = 1, .max = 64, .default_value = "1",
     .doc = "TX queues (one per publishing worker, plus recovery requests)"},
    {.section = "ports[]", .key = "rx_descriptors", .type = value_type::integer, .min = 32, .max = 16384,
     .default_value = "1024", .doc = "descriptors per RX queue"},
    {.section = "ports[]", .key = "tx_descriptors", .type = value_type::integer, .min = 32, .max = 16384,
     .default_value = "1024", .doc = "descriptors per TX queue"},
    {.section = "ports[]", .key = "mempool_mbufs", .type = value_type::integer, .min = 1023, .max = 1u << 24,
     .default_value = "16383", .doc = "packet buffers in the port's RX pool"},
    {.section = "ports[]", .key = "mempool_cache", .type = value_type::integer, .min = 0, .max = 512,
     .default_value = "256", .doc = "per-lcore cache of the pool; at most mempool_mbufs / 1.5"},
    {.section = "ports[]", .key = "max_frame_bytes", .type = value_type::integer, .min = 256, .max = 16128,
     .default_value = "2048", .doc = "largest frame in one buffer; longer ones are dropped or cut, counted, a gap"},

    {.section = "feeds[]", .key = "name", .type = value_type::text, .required = true, .doc = "the feed's name in logs and reports"},
    {.section = "feeds[]", .key = "lcore", .type = value_type::integer, .min = 0, .max = 1023, .default_value = "1",
     .doc = "the worker lcore that polls every line of the feed"},
    {.section = "feeds[]", .key = "lines", .type = value_type::list,
     .doc = "lines A and B, each with the keys of feeds[].lines[]; absent: those keys are given on the feed itself"},
    {.section = "feeds[]", .key = "line_wait_ms", .type = value_type::integer, .min = 1, .max = 600'000, .default_value = "20",
     .doc = "a hole's age before it is re-requested or skipped"},
    {.section = "feeds[]", .key = "max_sequence_jump", .type = value_type::integer, .min = 1, .max = std::uint64_t{1} << 40,
     .default_value = "65536", .doc = "a datagram further ahead is followed once a second one confirms it"},
    {.section = "feeds[]", .key = "verify_window", .type = value_type::integer, .min = 0, .max = 1u << 24,
     .default_value = "4096",
     .doc = "two lines or recovery: delivered messages remembered (16 B each) to compare other copies with; a power of two, 0: off"},
    {.section = "feeds[]", .key = "unsequenced", .type = value_type::choice, .choices = "accept, drop",
     .doc = "sequence-0 datagrams; default: accept on a single line without recovery, else drop"},
    {.section = "feeds[]", .key = "recovery", .type = value_type::section,
     .doc = "MoldUDP64 re-requests for holes both lines missed; absent: none"},

    {.section = "feeds[].lines[]", .key = "port", .type = value_type::text, .required = true,
     .doc = "the port the line arrives on"},
    {.section = "feeds[].lines[]", .key = "rx_queue", .type = value_type::integer, .min = 0, .max = 63, .default_value = "0",
     .doc = "its RX queue; each (port, queue) serves one line"},
    {.section = "feeds[].lines[]", .key = "group", .type = value_type::ipv4_or_any, .default_value = "any",
     .doc = "IPv4 destination (multicast group) to accept"},
    {.section = "feeds[].lines[]", .key = "udp_port", .type = value_type::integer_or_any, .min = 1, .max = 65535,
     .default_value = "any", .doc = "UDP destination port to accept"},
    {.section = "feeds[].lines[]", .key = "source", .type = value_type::source, .default_value = "any",
     .doc = "the exchange's sender; datagrams from elsewhere are dropped and counted"},

    {.section = "feeds[].recovery", .key = "port", .type = value_type::text, .required = true,
     .doc = "the port requests leave from and answers arrive on"},
    {.section = "feeds[].recovery", .key = "tx_queue", .type = value_type::integer, .min = 0, .max = 63, .default_value = "0",
     .doc = "TX queue for the requests"},
    {.section = "feeds[].recovery", .key = "rx_queue", .type = value_type::integer, .min = 0, .max = 63, .default_value = "0",
     .doc = "RX queue for the answers"},
    {.section = "feeds[].recovery", .key = "server_ip", .type = value_type::ipv4, .required = true,
     .doc = "the re-request server"},
    {.section = "feeds[].recovery", .key = "server_port", .type = value_type::integer, .min = 1, .max = 65535,
     .required = true, .doc = "its UDP port"},
    {.section = "feeds[].recovery", .key = "source_ip", .type = value_type::ipv4, .required = true,
     .doc = "our address: requests come from it, answers go to it"},
    {.section = "feeds[].recovery", .key = "source_port", .type = value_type::integer, .min = 1, .max = 65535,
     .required = true, .doc = "our UDP port"},
    {.section = "feeds[].recovery", .key = "timeout_ms", .type = value_type::integer, .min = 1, .max = ms_per_hour,
     .default_value = "1000", .doc = "a hole without progress this long is given up"},
    {.section = "feeds[].recovery", .key = "retry_ms", .type = value_type::integer, .min = 1, .max = 600'000,
     .default_value = "50", .doc = "time between request rounds"},
    {.section = "feeds[].recovery", .key = "max_outstanding", .type = value_type::integer, .min = 1, .max = 16,
     .default_value = "4", .doc = "requests per round"},
    // One answer datagram holds about 1400 bytes of messages: at least 28 ITCH messages of 50 bytes.
    {.section = "feeds[].recovery", .key = "max_messages_per_request", .type = value_type::integer, .min = 1, .max = 1000,
     .default_value = "40", .doc = "messages asked for per request (about 1400 bytes)"},
    {.section = "feeds[].recovery", .key = "hold_capacity", .type = value_type::integer, .min = 16, .max = 1u << 24,
     .default_value = "65536", .doc = "messages held beyond a hole (64 B each); a power of two"},

    {.section = "books", .key = "max_symbols", .type = value_type::integer, .min = 1, .max = book::max_symbols,
     .default_value = "16384", .doc = "stock locates"},
    {.section = "books", .key = "max_orders", .type = value_type::integer, .min = 1, .max = 1u << 28,
     .default_value = "1048576", .doc = "live orders per feed"},
    {.section = "books", .key = "max_levels_per_side", .type = value_type::integer, .min = 1, .max = 1u << 20,
     .default_value = "256", .doc = "price levels per side per symbol"},
    {.section = "books", .key = "level_prefetch_books", .type = value_type::integer, .min = 0,
     .max = book::max_symbols, .default_value = "0",
     .doc = "prefetch levels ahead once more books are in use; 0: one per 4 KiB of L2"},
    {.section = "books", .key = "snapshot_depth", .type = value_type::integer, .min = 0, .max = 1u << 20,
     .default_value = "0", .doc = "levels per side in snapshots; 0: every level"},

    {.section = "publisher", .key = "enabled", .type = value_type::boolean, .default_value = "true",
     .doc = "publish top-of-book changes"},
    {.section = "publisher", .key = "port", .type = value_type::text,
     .doc = "the port to send on; required when enabled"},
    {.section = "publisher", .key = "tx_queue", .type = value_type::integer, .min = 0, .max = 63, .default_value = "0",
     .doc = "worker n publishes on tx_queue + n"},
    {.section = "publisher", .key = "destination_group", .type = value_type::ipv4, .default_value = "239.1.1.1",
     .doc = "multicast group (224.0.0.0/4)"},
    {.section = "publisher", .key = "destination_port", .type = value_type::integer, .min = 1, .max = 65535,
     .default_value = "30001", .doc = "UDP destination port"},
    {.section = "publisher", .key = "source_address", .type = value_type::ipv4, .default_value = "10.0.0.1",
     .doc = "IPv4 source address"},
    {.section = "publisher", .key = "source_port", .type = value_type::integer, .min = 1, .max = 65535,
     .default_value = "30000", .doc = "UDP source port"},
    {.section = "publisher", .key = "ttl", .type = value_type::integer, .min = 1, .max = 255, .default_value = "1",
     .doc = "IPv4 time to live"},
    {.section = "publisher", .key = "max_datagram_bytes", .type = value_type::integer, .min = 128, .max = 8972,
     .default_value = "1400", .doc = "UDP payload per datagram"},

    {.section = "timers", .key = "heartbeat_ms", .type = value_type::integer, .min = 1, .max = ms_per_hour,
     .default_value = "1000", .doc = "how often each feed's health is checked"},
    {.section = "timers", .key = "stale_after_ms", .type = value_type::integer, .min = 1, .max = ms_per_hour,
     .default_value = "3000", .doc = "no datagram for this long: stale; at least heartbeat_ms"},
    {.section = "timers", .key = "stats_interval_ms", .type = value_type::integer, .min = 10, .max = ms_per_hour,
     .default_value = "1000", .doc = "the control plane's one-line report"},
    {.section = "timers", .key = "replay_idle_ms", .type = value_type::integer, .min = 10, .max = 600'000,
     .default_value = "500", .doc = "--replay ends this long after the last packet"},

    {.section = "latency", .key = "enabled", .type = value_type::boolean, .default_value = "true",
     .doc = "record latency histograms"},
    {.section = "latency", .key = "log", .type = value_type::text, .default_value = "", .empty_allowed = true,
     .doc = "an .hlog path, or empty for none (--latency-log overrides)"},
    {.section = "latency", .key = "interval_ms", .type = value_type::integer, .min = 10, .max = ms_per_hour,
     .default_value = "1000", .doc = "histogram interval of the .hlog"},
    // hdr-histogram-js and JSON consumers lose precision at 2^53: keep the range below it.
    {.section = "latency", .key = "highest_ns", .type = value_type::integer, .min = 2, .max = (std::uint64_t{1} << 53) - 1,
     .default_value = "10000000000", .doc = "highest trackable latency"},
    {.section = "latency", .key = "significant_digits", .type = value_type::integer, .min = 1, .max = 5,
     .default_value = "3", .doc = "histogram precision"},

    {.section = "logging", .key = "level", .type = value_type::choice, .default_value = "info",
     .choices = "trace, debug, info, warn, error, critical, off", .doc = "the lowest level logged"},
    {.section = "logging", .key = "file", .type = value_type::text, .default_value = "", .empty_allowed = true,
     .doc = "a log file, or empty for standard output"},

    {.section = "worker", .key = "max_tasks", .type = value_type::integer, .min = 16, .max = 65536, .default_value = "64",
     .doc = "task slots of each worker's executor"},
    {.section = "worker", .key = "event_ring_size", .type = value_type::integer, .min = 64, .max = 1u << 20,
     .default_value = "1024", .doc = "worker -> control plane events; a power of two"},
    {.section = "worker", .key = "stall_budget_us", .type = value_type::integer, .min = 0, .max = 1'000'000,
     .default_value = "1000", .doc = "a task poll longer than this is counted and reported; 0: no stall detector"},
};
// clang-format on

// The index of `key` in `section` in config_schema, or no_key_spec. Compile-time lookups use the
// index: g++ 12 with -fsanitize=undefined cannot compare a pointer into the table with nullptr
// in a constant expression.
inline constexpr std::size_t no_key_spec = static_cast<std::size_t>(-1);
constexpr std::size_t key_spec_index(std::string_view section, std::string_view key) {
    for (std::size_t i = 0; i < std::size(config_schema); ++i)
        if (config_schema[i].section == section && config_schema[i].key == key) return i;
    return no_key_spec;
}

// The entry for `key` in `section`, or nullptr.
constexpr const key_spec* find_key_spec(std::string_view section, std::string_view key) {
    const std::size_t index = key_spec_index(section, key);
    return index == no_key_spec ? nullptr : &config_schema[index];
}

namespace schema_detail {
// Not constexpr: reaching it in a constant evaluation is a compile error naming the problem.
void key_not_in_schema_or_default_of_wrong_type();

consteval const key_spec& spec_with_default(std::string_view section, std::string_view key) {
    const std::size_t index = key_spec_index(section, key);
    if (index == no_key_spec || config_schema[index].default_value.empty())
        key_not_in_schema_or_default_of_wrong_type();
    return config_schema[index];
}
}  // namespace schema_detail

// Defaults for settings.hpp, evaluated at compile time.
consteval std::uint64_t schema_integer(std::string_view section, std::string_view key) {
    const key_spec& spec = schema_detail::spec_with_default(section, key);
    if (spec.type != value_type::integer)
        schema_detail::key_not_in_schema_or_default_of_wrong_type();
    std::uint64_t value = 0;
    for (const char c : spec.default_value) {
        if (c < '0' || c > '9') schema_detail::key_not_in_schema_or_default_of_wrong_type();
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value < spec.min || value > spec.max)
        schema_detail::key_not_in_schema_or_default_of_wrong_type();
    return value;
}

consteval bool schema_boolean(std::string_view section, std::string_view key) {
    const key_spec& spec = schema_detail::spec_with_default(section, key);
    if (spec.type != value_type::boolean)
        schema_detail::key_not_in_schema_or_default_of_wrong_type();
    return spec.default_value == "true";
}

consteval std::uint32_t schema_ipv4(std::string_view section, std::string_view key) {
    const key_spec& spec = schema_detail::spec_with_default(section, key);
    if (spec.type != value_type::ipv4) schema_detail::key_not_in_schema_or_default_of_wrong_type();
    std::uint32_t address = 0;
    std::uint32_t part = 0;
    int dots = 0;
    for (const char c : spec.default_value) {
        if (c == '.') {
            address = (address << 8) | part;
            part = 0;
            ++dots;
        } else if (c >= '0' && c <= '9') {
            part = part * 10 + static_cast<std::uint32_t>(c - '0');
        } else {
            schema_detail::key_not_in_schema_or_default_of_wrong_type();
        }
        if (part > 255) schema_detail::key_not_in_schema_or_default_of_wrong_type();
    }
    if (dots != 3) schema_detail::key_not_in_schema_or_default_of_wrong_type();
    return (address << 8) | part;
}

// Text defaults; "" is a valid default only where the schema allows an empty value.
consteval std::string_view schema_text(std::string_view section, std::string_view key) {
    const std::size_t index = key_spec_index(section, key);
    if (index == no_key_spec) schema_detail::key_not_in_schema_or_default_of_wrong_type();
    const key_spec& spec = config_schema[index];
    if ((spec.type != value_type::text && spec.type != value_type::choice) ||
        (spec.default_value.empty() && !spec.empty_allowed))
        schema_detail::key_not_in_schema_or_default_of_wrong_type();
    return spec.default_value;
}

}  // namespace hypertick::gw
