#include "config/config_loader.hpp"

#include "config/eal_options.hpp"
#include "config/lcore_map.hpp"
#include "hypertick/book/book_capacities.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <limits>
#include <set>
#include <sstream>

namespace hypertick::gw {
namespace {

// Parsing runs once at start-up on the control plane; a thrown problem unwinds to one catch.
struct problem {
    YAML::Mark mark;
    std::string key;
    std::string message;
};

[[noreturn]] void fail(const YAML::Node& node, const std::string& key, const std::string& message) {
    throw problem{node.Mark(), key, message};
}

std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

std::string indexed(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

void expect_map(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap()) fail(node, path, "expected a mapping of keys to values");
}

// Rejects keys the schema does not know: a typo must not silently fall back to a default.
void check_keys(const YAML::Node& node, const std::string& path, std::initializer_list<const char*> allowed) {
    expect_map(node, path);
    std::set<std::string> seen;
    for (const auto& entry : node) {
        const std::string key = entry.first.as<std::string>();
        // YAML parsers keep one of two equal keys silently; a repeated key is always a mistake.
        if (!seen.insert(key).second) fail(entry.first, join(path, key), "duplicate key");
        const bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; });
        if (!known) {
            std::string list;
            for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            fail(entry.first, join(path, key), "unknown key (expected one of: " + list + ")");
        }
    }
}

std::string scalar(const YAML::Node& node, const std::string& key) {
    if (!node.IsScalar()) fail(node, key, "expected a single value");
    return node.Scalar();
}

// Integers are decimal digits and nothing else: a leading zero is still decimal ("026477" is
// 26477, "08" is 8), and 0x.., signs, spaces and fractions are errors, never another base.
std::uint64_t to_uint(const YAML::Node& node, const std::string& key, std::uint64_t min, std::uint64_t max) {
    const std::string text = scalar(node, key);
    const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) fail(node, key, "expected a decimal integer (digits 0-9 only), got \"" + text + "\"");
    errno = 0;
    const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
    if (errno != 0)
        fail(node, key, "value " + text + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    if (v < min || v > max)
        fail(node, key, "value " + text + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return v;
}

template <class T>
void read_uint(const YAML::Node& map, const std::string& path, const char* key, T& out,
               std::uint64_t min = 0, std::uint64_t max = std::numeric_limits<T>::max()) {
    if (const YAML::Node n = map[key]) out = static_cast<T>(to_uint(n, join(path, key), min, max));
}

void read_string(const YAML::Node& map, const std::string& path, const char* key, std::string& out,
                 bool allow_empty = false) {
    if (const YAML::Node n = map[key]) {
        out = scalar(n, join(path, key));
        if (out.empty() && !allow_empty) fail(n, join(path, key), "must not be empty");
    }
}

void read_bool(const YAML::Node& map, const std::string& path, const char* key, bool& out) {
    if (const YAML::Node n = map[key]) {
        const std::string t = scalar(n, join(path, key));
        if (t == "true" || t == "yes" || t == "on") out = true;
        else if (t == "false" || t == "no" || t == "off") out = false;
        else fail(n, join(path, key), "expected true or false, got \"" + t + "\"");
    }
}

std::vector<std::string> read_string_list(const YAML::Node& map, const std::string& path, const char* key) {
    std::vector<std::string> out;
    const YAML::Node n = map[key];
    if (!n) return out;
    if (!n.IsSequence()) fail(n, join(path, key), "expected a list");
    for (std::size_t i = 0; i < n.size(); ++i) out.push_back(scalar(n[i], indexed(join(path, key), i)));
    return out;
}

std::string expand_variables(const YAML::Node& node, const std::string& key, const std::string& text,
                             const std::map<std::string, std::string>& variables) {
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t open = text.find("${", at);
        if (open == std::string::npos) {
            out += text.substr(at);
            break;
        }
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) fail(node, key, "unterminated ${ in \"" + text + "\"");
        const std::string name = text.substr(open + 2, close - open - 2);
        const auto it = variables.find(name);
        if (it == variables.end()) {
            std::string known;
            for (const auto& [k, v] : variables) known += (known.empty() ? "" : ", ") + k;
            fail(node, key, "unknown variable ${" + name + "} (known: " + known + ")");
        }
        out += text.substr(at, open - at) + it->second;
        at = close + 1;
    }
    return out;
}

void read_eal(const YAML::Node& n, eal_settings& eal) {
    const std::string p = "eal";
    check_keys(n, p, {"lcores", "main_lcore", "hugepages", "memory_mb", "file_prefix", "pci", "log_level",
                      "telemetry", "extra_args"});
    read_string(n, p, "lcores", eal.lcores);
    read_uint(n, p, "main_lcore", eal.main_lcore, 0, 1023);
    if (const YAML::Node h = n["hugepages"]) {
        const std::string t = scalar(h, "eal.hugepages");
        if (t == "auto") eal.hugepages = hugepage_mode::automatic;
        else if (t == "on" || t == "true" || t == "required") eal.hugepages = hugepage_mode::required;
        else if (t == "off" || t == "false") eal.hugepages = hugepage_mode::disabled;
        else fail(h, "eal.hugepages", "expected auto, on or off, got \"" + t + "\"");
    }
    read_uint(n, p, "memory_mb", eal.memory_mb, 64, 1u << 20);
    read_string(n, p, "file_prefix", eal.file_prefix);
    eal.pci_allow = read_string_list(n, p, "pci");
    for (std::size_t i = 0; i < eal.pci_allow.size(); ++i)
        if (canonical_pci_address(eal.pci_allow[i]).empty())
            fail(n["pci"][i], indexed("eal.pci", i), "expected a PCI address DDDD:BB:DD.F, got \"" + eal.pci_allow[i] + "\"");
    read_string(n, p, "log_level", eal.log_level);
    if (const std::string why = eal_log_level_problem(eal.log_level); !why.empty()) fail(n["log_level"], "eal.log_level", why);
    read_bool(n, p, "telemetry", eal.telemetry);
    eal.extra_args = read_string_list(n, p, "extra_args");
    std::size_t bad = 0;
    if (const std::string why = eal_extra_args_problem(eal.extra_args, bad); !why.empty())
        fail(n["extra_args"][std::min(bad, eal.extra_args.size() - 1)], indexed("eal.extra_args", bad), why);
}

void read_ports(const YAML::Node& n, std::vector<port_settings>& ports,
                const std::map<std::string, std::string>& variables) {
    if (!n.IsSequence() || n.size() == 0) fail(n, "ports", "expected a non-empty list of ports");
    std::set<std::string> names;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const YAML::Node e = n[i];
        const std::string p = indexed("ports", i);
        check_keys(e, p, {"name", "device", "rx_queues", "tx_queues", "rx_descriptors", "tx_descriptors",
                          "mempool_mbufs", "mempool_cache", "max_frame_bytes"});
        port_settings port;
        if (!e["name"]) fail(e, p + ".name", "missing");
        if (!e["device"]) fail(e, p + ".device", "missing");
        read_string(e, p, "name", port.name);
        if (!names.insert(port.name).second) fail(e["name"], p + ".name", "duplicate port name \"" + port.name + "\"");
        port.device = expand_variables(e["device"], p + ".device", scalar(e["device"], p + ".device"), variables);
        if (port.device.empty()) fail(e["device"], p + ".device", "must not be empty (a PCI address or a DPDK vdev such as net_null0)");
        read_uint(e, p, "rx_queues", port.rx_queues, 1, 64);
        read_uint(e, p, "tx_queues", port.tx_queues, 1, 64);
        read_uint(e, p, "rx_descriptors", port.rx_descriptors, 32, 16384);
        read_uint(e, p, "tx_descriptors", port.tx_descriptors, 32, 16384);
        read_uint(e, p, "mempool_mbufs", port.mempool_mbufs, 1023, 1u << 24);
        read_uint(e, p, "mempool_cache", port.mempool_cache, 0, 512);
        read_uint(e, p, "max_frame_bytes", port.max_frame_bytes, 256, 16128);
        if (port.mempool_cache > port.mempool_mbufs / 1.5)
            fail(e["mempool_cache"] ? e["mempool_cache"] : e, p + ".mempool_cache",
                 "must be at most mempool_mbufs / 1.5 (a DPDK mempool limit)");
        ports.push_back(port);
    }
}

void read_filter_address(const YAML::Node& e, const std::string& p, std::optional<std::uint32_t>& out) {
    if (const YAML::Node g = e["group"]) {
        const std::string t = scalar(g, p + ".group");
        std::uint32_t address = 0;
        if (t == "any") out.reset();
        else if (parse_ipv4(t, address)) out = address;
        else fail(g, p + ".group", "expected an IPv4 address or \"any\", got \"" + t + "\"");
    }
}

void read_address(const YAML::Node& map, const std::string& path, const char* key, std::uint32_t& out) {
    if (const YAML::Node n = map[key]) {
        const std::string t = scalar(n, join(path, key));
        if (!parse_ipv4(t, out)) fail(n, join(path, key), "expected an IPv4 address, got \"" + t + "\"");
    }
}

// `source: A.B.C.D`, `A.B.C.D:PORT` or `any`.
void read_source(const YAML::Node& e, const std::string& p, line_settings& line) {
    const YAML::Node n = e["source"];
    if (!n) return;
    const std::string t = scalar(n, p + ".source");
    if (t == "any") return;
    const std::size_t colon = t.find(':');
    std::uint32_t address = 0;
    if (!parse_ipv4(t.substr(0, colon), address))
        fail(n, p + ".source", "expected A.B.C.D, A.B.C.D:PORT or \"any\", got \"" + t + "\"");
    line.source_ip = address;
    if (colon == std::string::npos) return;
    const std::string port = t.substr(colon + 1);
    unsigned long value = 0;
    const bool digits = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
    if (digits) value = std::stoul(port);
    if (!digits || value == 0 || value > 65535)
        fail(n, p + ".source", "the port after ':' must be a decimal number 1..65535, got \"" + port + "\"");
    line.source_port = static_cast<std::uint16_t>(value);
}

// port, rx_queue, group, udp_port, source of one line (a feed's own keys, or an entry of `lines`).
line_settings read_line(const YAML::Node& e, const std::string& p) {
    line_settings line;
    if (!e["port"]) fail(e, p + ".port", "missing");
    read_string(e, p, "port", line.port);
    read_uint(e, p, "rx_queue", line.rx_queue, 0, 63);
    read_filter_address(e, p, line.group);
    if (const YAML::Node u = e["udp_port"]) {
        if (scalar(u, p + ".udp_port") == "any") line.udp_port.reset();
        else line.udp_port = static_cast<std::uint16_t>(to_uint(u, p + ".udp_port", 1, 65535));
    }
    read_source(e, p, line);
    return line;
}

void read_recovery(const YAML::Node& n, const std::string& p, recovery_settings& r) {
    check_keys(n, p, {"port", "tx_queue", "rx_queue", "server_ip", "server_port", "source_ip", "source_port", "timeout_ms",
                      "retry_ms", "max_outstanding", "max_messages_per_request", "hold_capacity"});
    for (const char* key : {"port", "server_ip", "server_port", "source_ip", "source_port"})
        if (!n[key]) fail(n, join(p, key), "missing");
    r.enabled = true;
    read_string(n, p, "port", r.port);
    read_uint(n, p, "tx_queue", r.tx_queue, 0, 63);
    read_uint(n, p, "rx_queue", r.rx_queue, 0, 63);
    read_address(n, p, "server_ip", r.server_ip);
    read_uint(n, p, "server_port", r.server_port, 1, 65535);
    read_address(n, p, "source_ip", r.source_ip);
    read_uint(n, p, "source_port", r.source_port, 1, 65535);
    read_uint(n, p, "timeout_ms", r.timeout_ms, 1, 3'600'000);
    read_uint(n, p, "retry_ms", r.retry_ms, 1, 600'000);
    read_uint(n, p, "max_outstanding", r.max_outstanding, 1, 16);
    // One answer datagram holds about 1400 bytes of messages: at least 28 ITCH messages of 50 bytes.
    read_uint(n, p, "max_messages_per_request", r.max_messages_per_request, 1, 1000);
    read_uint(n, p, "hold_capacity", r.hold_capacity, 16, 1u << 24);
    if (r.hold_capacity & (r.hold_capacity - 1)) fail(n["hold_capacity"], join(p, "hold_capacity"), "must be a power of two");
}

void read_feeds(const YAML::Node& n, std::vector<feed_settings>& feeds) {
    if (!n.IsSequence() || n.size() == 0) fail(n, "feeds", "expected a non-empty list of feeds");
    std::set<std::string> names;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const YAML::Node e = n[i];
        const std::string p = indexed("feeds", i);
        check_keys(e, p, {"name", "port", "rx_queue", "lcore", "group", "udp_port", "source", "lines", "line_wait_ms",
                          "max_sequence_jump", "unsequenced", "recovery"});
        feed_settings feed;
        if (!e["name"]) fail(e, p + ".name", "missing");
        read_string(e, p, "name", feed.name);
        if (!names.insert(feed.name).second) fail(e["name"], p + ".name", "duplicate feed name \"" + feed.name + "\"");
        read_uint(e, p, "lcore", feed.lcore, 0, 1023);
        if (const YAML::Node lines = e["lines"]) {
            // Both lines are polled by the feed's lcore: one `lcore` key serves them all.
            for (const char* key : {"port", "rx_queue", "group", "udp_port", "source"})
                if (e[key]) fail(e[key], join(p, key), "give it inside each entry of lines, not beside them");
            if (!lines.IsSequence() || lines.size() == 0 || lines.size() > 2)
                fail(lines, p + ".lines", "expected a list of one or two lines (A, B)");
            for (std::size_t l = 0; l < lines.size(); ++l) {
                const std::string lp = indexed(p + ".lines", l);
                check_keys(lines[l], lp, {"port", "rx_queue", "group", "udp_port", "source"});
                feed.lines.push_back(read_line(lines[l], lp));
            }
        } else {
            feed.lines.push_back(read_line(e, p));
        }
        feed.port = feed.lines[0].port;
        feed.rx_queue = feed.lines[0].rx_queue;
        feed.group = feed.lines[0].group;
        feed.udp_port = feed.lines[0].udp_port;
        read_uint(e, p, "line_wait_ms", feed.line_wait_ms, 1, 600'000);
        read_uint(e, p, "max_sequence_jump", feed.max_sequence_jump, 1, std::uint64_t{1} << 40);
        if (const YAML::Node u = e["unsequenced"]) {
            const std::string t = scalar(u, p + ".unsequenced");
            if (t == "accept") feed.unsequenced = unsequenced_policy::accept;
            else if (t == "drop") feed.unsequenced = unsequenced_policy::drop;
            else fail(u, p + ".unsequenced", "expected accept or drop, got \"" + t + "\"");
        }
        if (const YAML::Node r = e["recovery"]) read_recovery(r, p + ".recovery", feed.recovery);
        feeds.push_back(feed);
    }
}

void read_books(const YAML::Node& n, book_settings& b) {
    check_keys(n, "books", {"max_symbols", "max_orders", "max_levels_per_side", "snapshot_depth"});
    read_uint(n, "books", "max_symbols", b.max_symbols, 1, book::max_symbols);
    read_uint(n, "books", "max_orders", b.max_orders, 1, 1u << 28);
    read_uint(n, "books", "max_levels_per_side", b.max_levels_per_side, 1, 1u << 20);
    read_uint(n, "books", "snapshot_depth", b.snapshot_depth, 0, 1u << 20);
}

void read_publisher(const YAML::Node& n, publisher_settings& pub) {
    const std::string p = "publisher";
    check_keys(n, p, {"enabled", "port", "tx_queue", "destination_group", "destination_port", "source_address",
                      "source_port", "ttl", "max_datagram_bytes"});
    read_bool(n, p, "enabled", pub.enabled);
    read_string(n, p, "port", pub.port);
    read_uint(n, p, "tx_queue", pub.tx_queue, 0, 63);
    read_address(n, p, "destination_group", pub.destination_group);
    read_uint(n, p, "destination_port", pub.destination_port, 1, 65535);
    read_address(n, p, "source_address", pub.source_address);
    read_uint(n, p, "source_port", pub.source_port, 1, 65535);
    read_uint(n, p, "ttl", pub.ttl, 1, 255);
    read_uint(n, p, "max_datagram_bytes", pub.max_datagram_bytes, 128, 8972);
    if (const YAML::Node g = n["destination_group"]) {
        if ((pub.destination_group >> 28) != 0xE) fail(g, "publisher.destination_group", "must be a multicast address (224.0.0.0/4)");
    }
}

void read_timers(const YAML::Node& n, timer_settings& t) {
    const std::string p = "timers";
    check_keys(n, p, {"heartbeat_ms", "stale_after_ms", "stats_interval_ms", "replay_idle_ms"});
    read_uint(n, p, "heartbeat_ms", t.heartbeat_ms, 1, 3'600'000);
    read_uint(n, p, "stale_after_ms", t.stale_after_ms, 1, 3'600'000);
    read_uint(n, p, "stats_interval_ms", t.stats_interval_ms, 10, 3'600'000);
    read_uint(n, p, "replay_idle_ms", t.replay_idle_ms, 10, 600'000);
    if (t.stale_after_ms < t.heartbeat_ms) {
        const YAML::Node at = n["stale_after_ms"] ? n["stale_after_ms"] : n;
        fail(at, "timers.stale_after_ms", "must be at least timers.heartbeat_ms (" + std::to_string(t.heartbeat_ms) + ")");
    }
}

void read_latency(const YAML::Node& n, latency_settings& l) {
    const std::string p = "latency";
    check_keys(n, p, {"enabled", "log", "interval_ms", "highest_ns", "significant_digits"});
    read_bool(n, p, "enabled", l.enabled);
    read_string(n, p, "log", l.log_path, true);
    read_uint(n, p, "interval_ms", l.interval_ms, 10, 3'600'000);
    // hdr-histogram-js and JSON consumers lose precision at 2^53: keep the range below it.
    read_uint(n, p, "highest_ns", l.highest_ns, 2, (std::uint64_t{1} << 53) - 1);
    read_uint(n, p, "significant_digits", l.significant_digits, 1, 5);
}

void read_logging(const YAML::Node& n, logging_settings& l) {
    check_keys(n, "logging", {"level", "file"});
    read_string(n, "logging", "level", l.level);
    static const char* levels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    if (std::find_if(std::begin(levels), std::end(levels), [&](const char* v) { return l.level == v; }) == std::end(levels))
        fail(n["level"], "logging.level", "expected one of trace, debug, info, warn, error, critical, off");
    read_string(n, "logging", "file", l.file, true);
}

void read_worker(const YAML::Node& n, worker_settings& w) {
    check_keys(n, "worker", {"max_tasks", "event_ring_size", "stall_budget_us"});
    read_uint(n, "worker", "max_tasks", w.max_tasks, 16, 65536);
    read_uint(n, "worker", "event_ring_size", w.event_ring_size, 64, 1u << 20);
    if (w.event_ring_size & (w.event_ring_size - 1))
        fail(n["event_ring_size"], "worker.event_ring_size", "must be a power of two");
    read_uint(n, "worker", "stall_budget_us", w.stall_budget_us, 0, 1'000'000);
}

// Cross-field checks: everything that only makes sense against the rest of the file.
void check_relations(const YAML::Node& root, gateway_config& c) {
    std::vector<std::uint32_t> lcores;
    std::string why;
    if (!parse_lcore_list(c.eal.lcores, lcores, why)) fail(root["eal"]["lcores"], "eal.lcores", why);
    auto has_lcore = [&](std::uint32_t id) { return std::find(lcores.begin(), lcores.end(), id) != lcores.end(); };
    if (!has_lcore(c.eal.main_lcore)) {
        const YAML::Node at = root["eal"]["main_lcore"] ? root["eal"]["main_lcore"] : root["eal"];
        fail(at, "eal.main_lcore", "lcore " + std::to_string(c.eal.main_lcore) + " is not in eal.lcores \"" + c.eal.lcores + "\"");
    }
    // A NIC port is probed only when eal.pci lists it (otherwise EAL runs --no-pci or skips it).
    for (std::size_t i = 0; i < c.ports.size(); ++i) {
        const port_settings& port = c.ports[i];
        if (port.is_vdev()) continue;
        const std::string address = canonical_pci_address(port.device);
        const YAML::Node at = root["ports"][i]["device"];
        if (address.empty())
            fail(at, indexed("ports", i) + ".device", "\"" + port.device + "\" is neither a virtual device (net_...) nor a PCI address DDDD:BB:DD.F");
        const bool allowed = std::any_of(c.eal.pci_allow.begin(), c.eal.pci_allow.end(),
                                         [&](const std::string& a) { return canonical_pci_address(a) == address; });
        if (!allowed) fail(at, indexed("ports", i) + ".device", "PCI device " + address + " is not in eal.pci, so EAL would not probe it");
    }
    std::set<std::pair<std::string, std::uint16_t>> queues_used;
    for (std::size_t i = 0; i < c.feeds.size(); ++i) {
        const feed_settings& f = c.feeds[i];
        const YAML::Node fe = root["feeds"][i];
        const std::string fp = indexed("feeds", i);
        auto check_queue = [&](const std::string& port_name, std::uint16_t queue, const YAML::Node& e, const std::string& p) {
            const port_settings* port = c.find_port(port_name);
            if (port == nullptr) fail(e["port"], p + ".port", "no port named \"" + port_name + "\" in ports");
            if (queue >= port->rx_queues)
                fail(e["rx_queue"] ? e["rx_queue"] : e, p + ".rx_queue",
                     "port \"" + port_name + "\" has " + std::to_string(port->rx_queues) + " RX queue(s)");
            if (!queues_used.insert({port_name, queue}).second)
                fail(e["rx_queue"] ? e["rx_queue"] : e, p + ".rx_queue", "RX queue " + std::to_string(queue) + " of port \"" + port_name + "\" is already used by another feed or line");
        };
        for (std::size_t l = 0; l < f.lines.size(); ++l) {
            const bool listed = static_cast<bool>(fe["lines"]);
            check_queue(f.lines[l].port, f.lines[l].rx_queue, listed ? fe["lines"][l] : fe, listed ? indexed(fp + ".lines", l) : fp);
        }
        if (f.recovery.enabled) {
            const YAML::Node re = fe["recovery"];
            check_queue(f.recovery.port, f.recovery.rx_queue, re, fp + ".recovery");
            if (f.recovery.tx_queue >= c.find_port(f.recovery.port)->tx_queues)
                fail(re["tx_queue"] ? re["tx_queue"] : re, fp + ".recovery.tx_queue", "port \"" + f.recovery.port + "\" has " + std::to_string(c.find_port(f.recovery.port)->tx_queues) + " TX queue(s)");
        }
        const YAML::Node e = fe;
        const std::string p = fp;
        if (!has_lcore(f.lcore))
            fail(e["lcore"] ? e["lcore"] : e, p + ".lcore", "lcore " + std::to_string(f.lcore) + " is not in eal.lcores \"" + c.eal.lcores + "\"");
        if (f.lcore == c.eal.main_lcore)
            fail(e["lcore"] ? e["lcore"] : e, p + ".lcore", "lcore " + std::to_string(f.lcore) + " is the main lcore (the control plane); feeds run on worker lcores");
    }
    if (c.publisher.enabled) {
        const YAML::Node pn = root["publisher"];
        if (c.publisher.port.empty()) fail(pn ? pn : root, "publisher.port", "missing (or set publisher.enabled: false)");
        const port_settings* port = c.find_port(c.publisher.port);
        if (port == nullptr) fail(pn["port"], "publisher.port", "no port named \"" + c.publisher.port + "\" in ports");
        // Each worker lcore publishes on its own TX queue: tx_queue, tx_queue + 1, ...
        const std::size_t workers = c.worker_lcores().size();
        if (c.publisher.tx_queue + workers > port->tx_queues)
            fail(pn["tx_queue"] ? pn["tx_queue"] : pn, "publisher.tx_queue",
                 "port \"" + port->name + "\" has " + std::to_string(port->tx_queues) + " TX queue(s) but " +
                     std::to_string(workers) + " worker lcore(s) publish from queue " + std::to_string(c.publisher.tx_queue) +
                     " on (one TX queue per worker)");
    }
}

gateway_config read_root(const YAML::Node& root, const std::map<std::string, std::string>& variables) {
    gateway_config c;
    check_keys(root, "", {"eal", "ports", "feeds", "books", "publisher", "timers", "latency", "logging", "worker"});
    if (const YAML::Node n = root["eal"]) read_eal(n, c.eal);
    if (!root["ports"]) fail(root, "ports", "missing: at least one port is needed");
    read_ports(root["ports"], c.ports, variables);
    if (!root["feeds"]) fail(root, "feeds", "missing: at least one feed is needed");
    read_feeds(root["feeds"], c.feeds);
    if (const YAML::Node n = root["books"]) read_books(n, c.books);
    if (const YAML::Node n = root["publisher"]) read_publisher(n, c.publisher);
    else c.publisher.enabled = false;
    if (const YAML::Node n = root["timers"]) read_timers(n, c.timers);
    if (const YAML::Node n = root["latency"]) read_latency(n, c.latency);
    if (const YAML::Node n = root["logging"]) read_logging(n, c.logging);
    if (const YAML::Node n = root["worker"]) read_worker(n, c.worker);
    check_relations(root, c);
    return c;
}

config_result from_problem(const std::string& file, const problem& p) {
    config_result r;
    r.error.file = file;
    r.error.line = p.mark.line >= 0 ? p.mark.line + 1 : 0;
    r.error.column = p.mark.column >= 0 ? p.mark.column + 1 : 0;
    r.error.key = p.key;
    r.error.message = p.message;
    return r;
}

}  // namespace

std::string config_error::to_string() const {
    std::ostringstream out;
    out << file;
    if (line > 0) out << ':' << line << ':' << column;
    out << ": ";
    if (!key.empty()) out << key << ": ";
    out << message;
    return out.str();
}

config_result parse_config(const std::string& yaml_text, const std::string& file_name,
                           const std::map<std::string, std::string>& variables) {
    try {
        const YAML::Node root = YAML::Load(yaml_text);
        if (!root || root.IsNull()) throw problem{YAML::Mark(), "", "the configuration is empty"};
        config_result r;
        r.config = read_root(root, variables);
        r.config.source_path = file_name;
        r.ok = true;
        return r;
    } catch (const problem& p) {
        return from_problem(file_name, p);
    } catch (const YAML::Exception& e) {
        return from_problem(file_name, problem{e.mark, "", "YAML syntax: " + e.msg});
    }
}

config_result load_config(const std::string& path, const std::map<std::string, std::string>& variables) {
    std::string text;
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
        char buffer[8192];
        std::size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
        std::fclose(f);
    } else {
        config_result r;
        r.error.file = path;
        r.error.message = std::string("cannot read the configuration: ") + std::strerror(errno);
        return r;
    }
    return parse_config(text, path, variables);
}

const port_settings* gateway_config::find_port(const std::string& name) const {
    for (const port_settings& p : ports)
        if (p.name == name) return &p;
    return nullptr;
}

std::vector<std::uint32_t> gateway_config::worker_lcores() const {
    std::set<std::uint32_t> ids;
    for (const feed_settings& f : feeds) ids.insert(f.lcore);
    return {ids.begin(), ids.end()};
}

bool parse_lcore_list(const std::string& text, std::vector<std::uint32_t>& lcores, std::string& why) {
    std::vector<lcore_placement> placements;
    if (!parse_lcore_map(text, placements, why)) return false;
    for (const lcore_placement& p : placements) lcores.push_back(p.lcore);
    std::sort(lcores.begin(), lcores.end());
    lcores.erase(std::unique(lcores.begin(), lcores.end()), lcores.end());
    return true;
}

bool parse_ipv4(const std::string& text, std::uint32_t& address) {
    std::uint32_t out = 0;
    int parts = 0;
    std::size_t at = 0;
    while (parts < 4) {
        std::size_t end = at;
        while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
        if (end == at || end - at > 3) return false;
        const unsigned long v = std::strtoul(text.substr(at, end - at).c_str(), nullptr, 10);
        if (v > 255) return false;
        out = (out << 8) | static_cast<std::uint32_t>(v);
        ++parts;
        if (parts < 4) {
            if (end >= text.size() || text[end] != '.') return false;
            at = end + 1;
        } else if (end != text.size()) {
            return false;
        }
    }
    address = out;
    return true;
}

std::string format_ipv4(std::uint32_t a) {
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xFF) + "." + std::to_string((a >> 8) & 0xFF) +
           "." + std::to_string(a & 0xFF);
}

}  // namespace hypertick::gw
