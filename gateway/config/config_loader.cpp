#include "config/config_loader.hpp"

#include "config/config_schema.hpp"
#include "config/eal_options.hpp"
#include "config/lcore_map.hpp"
#include "hypertick/base/assert.hpp"
#include "hypertick/feed/file_bytes.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

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

// Text from the file as an error shows it: control characters as \xNN (C1 controls, U+0080 to
// U+009F, are two such bytes in UTF-8), and at most `limit` bytes of it, the rest named by its
// length, so no value or key can flood the terminal or the log, or drive the terminal with
// escape sequences.
std::string printable(std::string_view text, std::size_t limit) {
    std::string out;
    const std::size_t shown = std::min(text.size(), limit);
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const auto escape = [&out](unsigned char c) {
        char hex[5];
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        out += hex;
    };
    for (std::size_t i = 0; i < shown; ++i) {
        const unsigned char c = byte(i);
        if (c == 0xc2 && i + 1 < text.size() && byte(i + 1) >= 0x80 && byte(i + 1) <= 0x9f) {
            escape(c);
            escape(byte(++i));
        } else if (c < 0x20 || c == 0x7f) {
            escape(c);
        } else {
            out += static_cast<char>(c);
        }
    }
    if (shown < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
    return out;
}

// A value from the file, quoted, in an error message.
constexpr std::size_t max_quoted_bytes = 64;
std::string quoted(std::string_view text) {
    return "\"" + printable(text, max_quoted_bytes) + "\"";
}

std::string indexed(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

void expect_map(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap()) fail(node, path, "expected a mapping of keys to values");
}

// The schema's entry for a key the loader reads: a key missing there is a bug in the loader.
const key_spec& spec_of(std::string_view section, std::string_view key) {
    const key_spec* spec = find_key_spec(section, key);
    HT_ASSERT(spec != nullptr);
    return *spec;
}

// Rejects keys the schema does not know in `sections`: a typo must not silently fall back to a
// default.
void check_keys(const YAML::Node& node, const std::string& path,
                std::initializer_list<std::string_view> sections) {
    expect_map(node, path);
    auto known = [&](const std::string& key) {
        for (const std::string_view section : sections)
            if (find_key_spec(section, key) != nullptr) return true;
        return false;
    };
    std::set<std::string> seen;
    for (const auto& entry : node) {
        if (!entry.first.IsScalar())
            fail(entry.first, path, "a key must be a single word, not a mapping or a list");
        const std::string key = entry.first.Scalar();
        // YAML parsers keep one of two equal keys silently; a repeated key is always a mistake.
        if (!seen.insert(key).second) fail(entry.first, join(path, key), "duplicate key");
        if (!known(key)) {
            std::string list;
            for (const std::string_view section : sections)
                for (const key_spec& spec : config_schema)
                    if (spec.section == section)
                        list += (list.empty() ? "" : ", ") + std::string(spec.key);
            fail(entry.first, join(path, key), "unknown key (expected one of: " + list + ")");
        }
    }
}

// The first key of `section` the schema requires that `node` lacks is an error.
void check_required(const YAML::Node& node, const std::string& path, std::string_view section) {
    for (const key_spec& spec : config_schema)
        if (spec.section == section && spec.required && !node[std::string(spec.key)])
            fail(node, join(path, std::string(spec.key)), "missing");
}

std::string scalar(const YAML::Node& node, const std::string& key) {
    if (!node.IsScalar()) fail(node, key, "expected a single value");
    return node.Scalar();
}

// Integers are decimal digits and nothing else: a leading zero is still decimal ("026477" is
// 26477, "08" is 8), and 0x.., signs, spaces and fractions are errors, never another base.
std::uint64_t to_uint(const YAML::Node& node, const std::string& key, std::uint64_t min,
                      std::uint64_t max) {
    const std::string text = scalar(node, key);
    const bool digits = !text.empty() && std::all_of(text.begin(), text.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
    if (!digits)
        fail(node, key, "expected a decimal integer (digits 0-9 only), got " + quoted(text));
    errno = 0;
    const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
    if (errno != 0)
        fail(node, key,
             "value " + printable(text, max_quoted_bytes) + " is out of range [" +
                 std::to_string(min) + ", " + std::to_string(max) + "]");
    if (v < min || v > max)
        fail(node, key,
             "value " + printable(text, max_quoted_bytes) + " is out of range [" +
                 std::to_string(min) + ", " + std::to_string(max) + "]");
    return v;
}

// An integer key of `section`, within the schema's range.
template <class T>
void read_uint(const YAML::Node& map, const std::string& path, std::string_view section,
               const char* key, T& out) {
    const key_spec& spec = spec_of(section, key);
    HT_ASSERT(spec.type == value_type::integer || spec.type == value_type::integer_or_any);
    HT_ASSERT(spec.max <= std::numeric_limits<T>::max());
    if (const YAML::Node n = map[key])
        out = static_cast<T>(to_uint(n, join(path, key), spec.min, spec.max));
}

void read_string(const YAML::Node& map, const std::string& path, std::string_view section,
                 const char* key, std::string& out) {
    const key_spec& spec = spec_of(section, key);
    HT_ASSERT(spec.type == value_type::text || spec.type == value_type::choice);
    if (const YAML::Node n = map[key]) {
        out = scalar(n, join(path, key));
        if (out.empty() && !spec.empty_allowed) fail(n, join(path, key), "must not be empty");
    }
}

// A choice key of `section`: one of the schema's words.
void read_choice(const YAML::Node& map, const std::string& path, std::string_view section,
                 const char* key, std::string& out) {
    const key_spec& spec = spec_of(section, key);
    HT_ASSERT(spec.type == value_type::choice);
    const YAML::Node n = map[key];
    if (!n) return;
    const std::string text = scalar(n, join(path, key));
    std::string_view words = spec.choices;
    while (!words.empty()) {
        const std::size_t comma = words.find(", ");
        if (words.substr(0, comma) == text) {
            out = text;
            return;
        }
        words = comma == std::string_view::npos ? std::string_view{} : words.substr(comma + 2);
    }
    fail(n, join(path, key),
         "expected one of " + std::string(spec.choices) + ", got " + quoted(text));
}

void read_bool(const YAML::Node& map, const std::string& path, std::string_view section,
               const char* key, bool& out) {
    HT_ASSERT(spec_of(section, key).type == value_type::boolean);
    if (const YAML::Node n = map[key]) {
        const std::string t = scalar(n, join(path, key));
        if (t == "true" || t == "yes" || t == "on")
            out = true;
        else if (t == "false" || t == "no" || t == "off")
            out = false;
        else
            fail(n, join(path, key), "expected true or false, got " + quoted(t));
    }
}

std::vector<std::string> read_string_list(const YAML::Node& map, const std::string& path,
                                          std::string_view section, const char* key) {
    HT_ASSERT(spec_of(section, key).type == value_type::list);
    std::vector<std::string> out;
    const YAML::Node n = map[key];
    if (!n) return out;
    if (!n.IsSequence()) fail(n, join(path, key), "expected a list");
    for (std::size_t i = 0; i < n.size(); ++i)
        out.push_back(scalar(n[i], indexed(join(path, key), i)));
    return out;
}

std::string expand_variables(const YAML::Node& node, const std::string& key,
                             const std::string& text,
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
        if (close == std::string::npos) fail(node, key, "unterminated ${ in " + quoted(text));
        const std::string name = text.substr(open + 2, close - open - 2);
        const auto it = variables.find(name);
        if (it == variables.end()) {
            std::string known;
            for (const auto& [k, v] : variables) known += (known.empty() ? "" : ", ") + k;
            fail(node, key, "unknown variable ${" + name + "} (known: " + known + ")");
        }
        // The value lands inside DPDK device arguments: a folder named "a,b" would split the
        // device into other arguments.
        if (const std::string what = device_argument_problem(it->second); !what.empty())
            fail(node, key,
                 "${" + name + "} is \"" + it->second + "\", which holds " + what +
                     ", which DPDK device arguments cannot carry; move the file or use a link to "
                     "it");
        out += text.substr(at, open - at) + it->second;
        at = close + 1;
    }
    return out;
}

void read_eal(const YAML::Node& n, eal_settings& eal) {
    const std::string p = "eal";
    check_keys(n, p, {p});
    read_string(n, p, "eal", "lcores", eal.lcores);
    read_uint(n, p, "eal", "main_lcore", eal.main_lcore);
    if (const YAML::Node h = n["hugepages"]) {
        const std::string t = scalar(h, "eal.hugepages");
        if (t == "auto")
            eal.hugepages = hugepage_mode::automatic;
        else if (t == "on" || t == "true" || t == "required")
            eal.hugepages = hugepage_mode::required;
        else if (t == "off" || t == "false")
            eal.hugepages = hugepage_mode::disabled;
        else
            fail(h, "eal.hugepages", "expected auto, on or off, got " + quoted(t));
    }
    read_uint(n, p, "eal", "memory_mb", eal.memory_mb);
    read_string(n, p, "eal", "file_prefix", eal.file_prefix);
    if (const std::string why = eal_file_prefix_problem(eal.file_prefix); !why.empty())
        fail(n["file_prefix"], "eal.file_prefix", why);
    eal.pci_allow = read_string_list(n, p, "eal", "pci");
    for (std::size_t i = 0; i < eal.pci_allow.size(); ++i)
        if (canonical_pci_address(eal.pci_allow[i]).empty())
            fail(n["pci"][i], indexed("eal.pci", i),
                 "expected a PCI address DDDD:BB:DD.F, got \"" + eal.pci_allow[i] + "\"");
    read_string(n, p, "eal", "log_level", eal.log_level);
    if (const std::string why = eal_log_level_problem(eal.log_level); !why.empty())
        fail(n["log_level"], "eal.log_level", why);
    read_bool(n, p, "eal", "telemetry", eal.telemetry);
    eal.extra_args = read_string_list(n, p, "eal", "extra_args");
    std::size_t bad = 0;
    if (const std::string why = eal_extra_args_problem(eal.extra_args, bad); !why.empty())
        fail(n["extra_args"][std::min(bad, eal.extra_args.size() - 1)],
             indexed("eal.extra_args", bad), why);
}

void read_ports(const YAML::Node& n, std::vector<port_settings>& ports,
                const std::map<std::string, std::string>& variables) {
    if (!n.IsSequence() || n.size() == 0) fail(n, "ports", "expected a non-empty list of ports");
    std::set<std::string> names;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const YAML::Node e = n[i];
        const std::string p = indexed("ports", i);
        check_keys(e, p, {"ports[]"});
        check_required(e, p, "ports[]");
        port_settings port;
        read_string(e, p, "ports[]", "name", port.name);
        if (!names.insert(port.name).second)
            fail(e["name"], p + ".name", "duplicate port name " + quoted(port.name));
        port.device = expand_variables(e["device"], p + ".device",
                                       scalar(e["device"], p + ".device"), variables);
        if (port.device.empty())
            fail(e["device"], p + ".device",
                 "must not be empty (a PCI address or a DPDK vdev such as net_null0)");
        read_uint(e, p, "ports[]", "rx_queues", port.rx_queues);
        read_uint(e, p, "ports[]", "tx_queues", port.tx_queues);
        read_uint(e, p, "ports[]", "rx_descriptors", port.rx_descriptors);
        read_uint(e, p, "ports[]", "tx_descriptors", port.tx_descriptors);
        read_uint(e, p, "ports[]", "mempool_mbufs", port.mempool_mbufs);
        read_uint(e, p, "ports[]", "mempool_cache", port.mempool_cache);
        read_uint(e, p, "ports[]", "max_frame_bytes", port.max_frame_bytes);
        if (port.mempool_cache > port.mempool_mbufs / 1.5)
            fail(e["mempool_cache"] ? e["mempool_cache"] : e, p + ".mempool_cache",
                 "must be at most mempool_mbufs / 1.5 (a DPDK mempool limit)");
        ports.push_back(port);
    }
}

void read_filter_address(const YAML::Node& e, const std::string& p,
                         std::optional<std::uint32_t>& out) {
    if (const YAML::Node g = e["group"]) {
        const std::string t = scalar(g, p + ".group");
        std::uint32_t address = 0;
        if (t == "any")
            out.reset();
        else if (parse_ipv4(t, address))
            out = address;
        else
            fail(g, p + ".group", "expected an IPv4 address or \"any\", got " + quoted(t));
    }
}

void read_address(const YAML::Node& map, const std::string& path, std::string_view section,
                  const char* key, std::uint32_t& out) {
    HT_ASSERT(spec_of(section, key).type == value_type::ipv4);
    if (const YAML::Node n = map[key]) {
        const std::string t = scalar(n, join(path, key));
        if (!parse_ipv4(t, out))
            fail(n, join(path, key), "expected an IPv4 address, got " + quoted(t));
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
        fail(n, p + ".source", "expected A.B.C.D, A.B.C.D:PORT or \"any\", got " + quoted(t));
    line.source_ip = address;
    if (colon == std::string::npos) return;
    const std::string port = t.substr(colon + 1);
    unsigned long value = 0;
    const bool digits = !port.empty() && port.size() <= 5 &&
                        port.find_first_not_of("0123456789") == std::string::npos;
    if (digits) value = std::stoul(port);
    if (!digits || value == 0 || value > 65535)
        fail(n, p + ".source",
             "the port after ':' must be a decimal number 1..65535, got " + quoted(port));
    line.source_port = static_cast<std::uint16_t>(value);
}

// port, rx_queue, group, udp_port, source of one line (a feed's own keys, or an entry of `lines`).
line_settings read_line(const YAML::Node& e, const std::string& p) {
    line_settings line;
    check_required(e, p, "feeds[].lines[]");
    read_string(e, p, "feeds[].lines[]", "port", line.port);
    read_uint(e, p, "feeds[].lines[]", "rx_queue", line.rx_queue);
    read_filter_address(e, p, line.group);
    if (const YAML::Node u = e["udp_port"]) {
        const key_spec& spec = spec_of("feeds[].lines[]", "udp_port");
        if (scalar(u, p + ".udp_port") == "any")
            line.udp_port.reset();
        else
            line.udp_port =
                static_cast<std::uint16_t>(to_uint(u, p + ".udp_port", spec.min, spec.max));
    }
    read_source(e, p, line);
    return line;
}

void read_recovery(const YAML::Node& n, const std::string& p, recovery_settings& r) {
    const std::string_view section = "feeds[].recovery";
    check_keys(n, p, {section});
    check_required(n, p, section);
    r.enabled = true;
    read_string(n, p, section, "port", r.port);
    read_uint(n, p, section, "tx_queue", r.tx_queue);
    read_uint(n, p, section, "rx_queue", r.rx_queue);
    read_address(n, p, section, "server_ip", r.server_ip);
    read_uint(n, p, section, "server_port", r.server_port);
    read_address(n, p, section, "source_ip", r.source_ip);
    read_uint(n, p, section, "source_port", r.source_port);
    read_uint(n, p, section, "timeout_ms", r.timeout_ms);
    read_uint(n, p, section, "retry_ms", r.retry_ms);
    read_uint(n, p, section, "max_outstanding", r.max_outstanding);
    read_uint(n, p, section, "max_messages_per_request", r.max_messages_per_request);
    read_uint(n, p, section, "hold_capacity", r.hold_capacity);
    if (r.hold_capacity & (r.hold_capacity - 1))
        fail(n["hold_capacity"], join(p, "hold_capacity"), "must be a power of two");
}

void read_feeds(const YAML::Node& n, std::vector<feed_settings>& feeds) {
    if (!n.IsSequence() || n.size() == 0) fail(n, "feeds", "expected a non-empty list of feeds");
    std::set<std::string> names;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const YAML::Node e = n[i];
        const std::string p = indexed("feeds", i);
        // A feed without `lines` gives its one line's keys itself.
        check_keys(e, p, {"feeds[]", "feeds[].lines[]"});
        feed_settings feed;
        check_required(e, p, "feeds[]");
        read_string(e, p, "feeds[]", "name", feed.name);
        if (!names.insert(feed.name).second)
            fail(e["name"], p + ".name", "duplicate feed name " + quoted(feed.name));
        read_uint(e, p, "feeds[]", "lcore", feed.lcore);
        if (const YAML::Node lines = e["lines"]) {
            // Both lines are polled by the feed's lcore: one `lcore` key serves them all.
            for (const key_spec& spec : config_schema) {
                const std::string key(spec.key);
                if (spec.section == "feeds[].lines[]" && e[key])
                    fail(e[key], join(p, key),
                         "give it inside each entry of lines, not beside them");
            }
            if (!lines.IsSequence() || lines.size() == 0 || lines.size() > 2)
                fail(lines, p + ".lines", "expected a list of one or two lines (A, B)");
            for (std::size_t l = 0; l < lines.size(); ++l) {
                const std::string lp = indexed(p + ".lines", l);
                check_keys(lines[l], lp, {"feeds[].lines[]"});
                feed.lines.push_back(read_line(lines[l], lp));
            }
        } else {
            feed.lines.push_back(read_line(e, p));
        }
        read_uint(e, p, "feeds[]", "line_wait_ms", feed.line_wait_ms);
        read_uint(e, p, "feeds[]", "max_sequence_jump", feed.max_sequence_jump);
        read_uint(e, p, "feeds[]", "verify_window", feed.verify_window);
        if (feed.verify_window & (feed.verify_window - 1))
            fail(e["verify_window"], join(p, "verify_window"), "must be a power of two or 0");
        if (const YAML::Node u = e["unsequenced"]) {
            const std::string t = scalar(u, p + ".unsequenced");
            if (t == "accept")
                feed.unsequenced = unsequenced_policy::accept;
            else if (t == "drop")
                feed.unsequenced = unsequenced_policy::drop;
            else
                fail(u, p + ".unsequenced", "expected accept or drop, got " + quoted(t));
        }
        if (const YAML::Node r = e["recovery"]) read_recovery(r, p + ".recovery", feed.recovery);
        feeds.push_back(feed);
    }
}

void read_books(const YAML::Node& n, book_settings& b) {
    const std::string p = "books";
    check_keys(n, p, {p});
    read_uint(n, p, p, "max_symbols", b.max_symbols);
    read_uint(n, p, p, "max_orders", b.max_orders);
    read_uint(n, p, p, "max_levels_per_side", b.max_levels_per_side);
    read_uint(n, p, p, "snapshot_depth", b.snapshot_depth);
    read_uint(n, p, p, "level_prefetch_books", b.level_prefetch_books);
}

void read_publisher(const YAML::Node& n, publisher_settings& pub) {
    const std::string p = "publisher";
    check_keys(n, p, {p});
    read_bool(n, p, p, "enabled", pub.enabled);
    read_string(n, p, p, "port", pub.port);
    read_uint(n, p, p, "tx_queue", pub.tx_queue);
    read_address(n, p, p, "destination_group", pub.destination_group);
    read_uint(n, p, p, "destination_port", pub.destination_port);
    read_address(n, p, p, "source_address", pub.source_address);
    read_uint(n, p, p, "source_port", pub.source_port);
    read_uint(n, p, p, "ttl", pub.ttl);
    read_uint(n, p, p, "max_datagram_bytes", pub.max_datagram_bytes);
    if (const YAML::Node g = n["destination_group"]) {
        if ((pub.destination_group >> 28) != 0xE)
            fail(g, "publisher.destination_group", "must be a multicast address (224.0.0.0/4)");
    }
}

void read_timers(const YAML::Node& n, timer_settings& t) {
    const std::string p = "timers";
    check_keys(n, p, {p});
    read_uint(n, p, p, "heartbeat_ms", t.heartbeat_ms);
    read_uint(n, p, p, "stale_after_ms", t.stale_after_ms);
    read_uint(n, p, p, "stats_interval_ms", t.stats_interval_ms);
    read_uint(n, p, p, "replay_idle_ms", t.replay_idle_ms);
    if (t.stale_after_ms < t.heartbeat_ms) {
        const YAML::Node at = n["stale_after_ms"] ? n["stale_after_ms"] : n;
        fail(at, "timers.stale_after_ms",
             "must be at least timers.heartbeat_ms (" + std::to_string(t.heartbeat_ms) + ")");
    }
}

void read_latency(const YAML::Node& n, latency_settings& l) {
    const std::string p = "latency";
    check_keys(n, p, {p});
    read_bool(n, p, p, "enabled", l.enabled);
    read_string(n, p, p, "log", l.log_path);
    read_uint(n, p, p, "interval_ms", l.interval_ms);
    read_uint(n, p, p, "highest_ns", l.highest_ns);
    read_uint(n, p, p, "significant_digits", l.significant_digits);
}

void read_logging(const YAML::Node& n, logging_settings& l) {
    const std::string p = "logging";
    check_keys(n, p, {p});
    read_choice(n, p, p, "level", l.level);
    read_string(n, p, p, "file", l.file);
}

void read_worker(const YAML::Node& n, worker_settings& w) {
    const std::string p = "worker";
    check_keys(n, p, {p});
    read_uint(n, p, p, "max_tasks", w.max_tasks);
    read_uint(n, p, p, "event_ring_size", w.event_ring_size);
    if (w.event_ring_size & (w.event_ring_size - 1))
        fail(n["event_ring_size"], "worker.event_ring_size", "must be a power of two");
    read_uint(n, p, p, "stall_budget_us", w.stall_budget_us);
}

// Cross-field checks, each against the rest of the file, in four concerns: lcores, NIC ports,
// queues, publisher.

// The main lcore and every feed's lcore are in eal.lcores; feeds run on worker lcores only.
void check_lcores(const YAML::Node& root, const gateway_config& c) {
    std::vector<std::uint32_t> lcores;
    std::string why;
    if (!parse_lcore_list(c.eal.lcores, lcores, why))
        fail(root["eal"]["lcores"], "eal.lcores", why);
    auto has_lcore = [&](std::uint32_t id) {
        return std::find(lcores.begin(), lcores.end(), id) != lcores.end();
    };
    if (!has_lcore(c.eal.main_lcore)) {
        const YAML::Node at = root["eal"]["main_lcore"] ? root["eal"]["main_lcore"] : root["eal"];
        fail(at, "eal.main_lcore",
             "lcore " + std::to_string(c.eal.main_lcore) + " is not in eal.lcores \"" +
                 c.eal.lcores + "\"");
    }
    for (std::size_t i = 0; i < c.feeds.size(); ++i) {
        const feed_settings& f = c.feeds[i];
        const YAML::Node e = root["feeds"][i];
        const std::string p = indexed("feeds", i);
        if (!has_lcore(f.lcore))
            fail(e["lcore"] ? e["lcore"] : e, p + ".lcore",
                 "lcore " + std::to_string(f.lcore) + " is not in eal.lcores \"" + c.eal.lcores +
                     "\"");
        if (f.lcore == c.eal.main_lcore)
            fail(e["lcore"] ? e["lcore"] : e, p + ".lcore",
                 "lcore " + std::to_string(f.lcore) +
                     " is the main lcore (the control plane); feeds run on worker lcores");
    }
}

// A NIC port is probed only when eal.pci lists it (otherwise EAL runs --no-pci or skips it).
void check_pci_ports(const YAML::Node& root, const gateway_config& c) {
    for (std::size_t i = 0; i < c.ports.size(); ++i) {
        const port_settings& port = c.ports[i];
        if (port.is_vdev()) continue;
        const std::string address = canonical_pci_address(port.device);
        const YAML::Node at = root["ports"][i]["device"];
        if (address.empty())
            fail(at, indexed("ports", i) + ".device",
                 "\"" + port.device +
                     "\" is neither a virtual device (net_...) nor a PCI address DDDD:BB:DD.F");
        const bool allowed =
            std::any_of(c.eal.pci_allow.begin(), c.eal.pci_allow.end(),
                        [&](const std::string& a) { return canonical_pci_address(a) == address; });
        if (!allowed)
            fail(at, indexed("ports", i) + ".device",
                 "PCI device " + address + " is not in eal.pci, so EAL would not probe it");
    }
}

// Every line and every recovery names a port that exists, and a queue that port has; no RX
// queue serves two lines.
void check_queues(const YAML::Node& root, const gateway_config& c) {
    std::set<std::pair<std::string, std::uint16_t>> queues_used;
    auto check_rx_queue = [&](const std::string& port_name, std::uint16_t queue,
                              const YAML::Node& e, const std::string& p) {
        const port_settings* port = c.find_port(port_name);
        if (port == nullptr)
            fail(e["port"], p + ".port", "no port named " + quoted(port_name) + " in ports");
        if (queue >= port->rx_queues)
            fail(e["rx_queue"] ? e["rx_queue"] : e, p + ".rx_queue",
                 "port " + quoted(port_name) + " has " + std::to_string(port->rx_queues) +
                     " RX queue(s)");
        if (!queues_used.insert({port_name, queue}).second)
            fail(e["rx_queue"] ? e["rx_queue"] : e, p + ".rx_queue",
                 "RX queue " + std::to_string(queue) + " of port \"" + port_name +
                     "\" is already used by another feed or line");
    };
    for (std::size_t i = 0; i < c.feeds.size(); ++i) {
        const feed_settings& f = c.feeds[i];
        const YAML::Node fe = root["feeds"][i];
        const std::string fp = indexed("feeds", i);
        const bool listed = static_cast<bool>(fe["lines"]);
        for (std::size_t l = 0; l < f.lines.size(); ++l)
            check_rx_queue(f.lines[l].port, f.lines[l].rx_queue, listed ? fe["lines"][l] : fe,
                           listed ? indexed(fp + ".lines", l) : fp);
        if (f.recovery.enabled) {
            const YAML::Node re = fe["recovery"];
            check_rx_queue(f.recovery.port, f.recovery.rx_queue, re, fp + ".recovery");
            const port_settings* port = c.find_port(f.recovery.port);
            if (f.recovery.tx_queue >= port->tx_queues)
                fail(re["tx_queue"] ? re["tx_queue"] : re, fp + ".recovery.tx_queue",
                     "port " + quoted(f.recovery.port) + " has " + std::to_string(port->tx_queues) +
                         " TX queue(s)");
        }
    }
}

// An enabled publisher names a port with a TX queue for every worker lcore.
void check_publisher(const YAML::Node& root, const gateway_config& c) {
    if (!c.publisher.enabled) return;
    const YAML::Node pn = root["publisher"];
    if (c.publisher.port.empty())
        fail(pn ? pn : root, "publisher.port", "missing (or set publisher.enabled: false)");
    const port_settings* port = c.find_port(c.publisher.port);
    if (port == nullptr)
        fail(pn["port"], "publisher.port",
             "no port named " + quoted(c.publisher.port) + " in ports");
    // Each worker lcore publishes on its own TX queue: tx_queue, tx_queue + 1, ...
    const std::size_t workers = c.worker_lcores().size();
    if (c.publisher.tx_queue + workers > port->tx_queues)
        fail(pn["tx_queue"] ? pn["tx_queue"] : pn, "publisher.tx_queue",
             "port \"" + port->name + "\" has " + std::to_string(port->tx_queues) +
                 " TX queue(s) but " + std::to_string(workers) +
                 " worker lcore(s) publish from queue " + std::to_string(c.publisher.tx_queue) +
                 " on (one TX queue per worker)");
}

gateway_config read_root(const YAML::Node& root,
                         const std::map<std::string, std::string>& variables) {
    gateway_config c;
    check_keys(root, "", {""});
    if (const YAML::Node n = root["eal"]) read_eal(n, c.eal);
    if (!root["ports"]) fail(root, "ports", "missing: at least one port is needed");
    read_ports(root["ports"], c.ports, variables);
    if (!root["feeds"]) fail(root, "feeds", "missing: at least one feed is needed");
    read_feeds(root["feeds"], c.feeds);
    if (const YAML::Node n = root["books"]) read_books(n, c.books);
    if (const YAML::Node n = root["publisher"])
        read_publisher(n, c.publisher);
    else
        c.publisher.enabled = false;
    if (const YAML::Node n = root["timers"]) read_timers(n, c.timers);
    if (const YAML::Node n = root["latency"]) read_latency(n, c.latency);
    if (const YAML::Node n = root["logging"]) read_logging(n, c.logging);
    if (const YAML::Node n = root["worker"]) read_worker(n, c.worker);
    check_lcores(root, c);
    check_pci_ports(root, c);
    check_queues(root, c);
    check_publisher(root, c);
    return c;
}

// yaml-cpp's tag for a node written without one: "?" for plain scalars and collections, "!"
// for quoted scalars.
bool untagged(const YAML::Node& node) {
    return node.Tag() == "?" || node.Tag() == "!";
}

void refuse_tag(const YAML::Node& node, const std::string& path) {
    if (!untagged(node))
        fail(node, path,
             "explicit tag \"" + node.Tag() +
                 "\" is not accepted: the configuration takes plain values, without tags");
}

// The collections already walked, by where they start and their type. An alias is the node
// its anchor names, so a walk that entered every alias would be exponential in a file of aliases
// of aliases (a "billion laughs"); each collection is walked once instead.
using walked_collections = std::set<std::pair<std::size_t, int>>;

// Rejects a tag on any node or key: the loader reads every value as text, so "!!binary" or
// "!foo" would otherwise be dropped without a word and the value taken as written.
void refuse_tags(const YAML::Node& node, const std::string& path, walked_collections& walked) {
    refuse_tag(node, path);
    if (!node.IsSequence() && !node.IsMap()) return;
    const int position = node.Mark().pos;
    if (!walked.emplace(position < 0 ? 0 : position, node.Type()).second) return;
    if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            refuse_tags(node[i], indexed(path, i), walked);
        return;
    }
    for (const auto& entry : node) {
        const std::string key = join(path, entry.first.Scalar());
        refuse_tag(entry.first, key);
        refuse_tags(entry.second, key, walked);
    }
}

// The one document of a configuration file; a second one ("---" then more keys) is refused, as
// the loader would otherwise read the first and ignore the rest.
YAML::Node only_document(const std::string& yaml_text) {
    const std::vector<YAML::Node> documents = YAML::LoadAll(yaml_text);
    if (documents.size() > 1) {
        const YAML::Node& second = documents[1];
        const std::string key =
            second.IsMap() && second.begin() != second.end() ? second.begin()->first.Scalar() : "";
        fail(second, key,
             "a second YAML document (after \"---\"): a configuration file holds one document");
    }
    return documents.empty() ? YAML::Node() : documents[0];
}

config_result unreadable(const std::string& file, const std::string& why) {
    config_result r;
    r.error.file = file;
    r.error.message = "cannot read the configuration: " + why;
    return r;
}

constexpr std::size_t max_error_key_bytes = 256;
constexpr std::size_t max_error_message_bytes = 1024;

config_result from_problem(const std::string& file, const problem& p) {
    config_result r;
    r.error.file = file;
    r.error.line = p.mark.line >= 0 ? p.mark.line + 1 : 0;
    r.error.column = p.mark.column >= 0 ? p.mark.column + 1 : 0;
    // The key may be one the file made up, and messages quote values: both bounded here too.
    r.error.key = printable(p.key, max_error_key_bytes);
    r.error.message = printable(p.message, max_error_message_bytes);
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
        const YAML::Node root = only_document(yaml_text);
        if (!root || root.IsNull()) throw problem{YAML::Mark(), "", "the configuration is empty"};
        walked_collections walked;
        refuse_tags(root, "", walked);
        config_result r;
        r.config = read_root(root, variables);
        r.config.source_path = file_name;
        r.ok = true;
        return r;
    } catch (const problem& p) {
        return from_problem(file_name, p);
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp's own message for this one is "bad file".
        return from_problem(file_name,
                            problem{e.mark, "",
                                    "YAML nested deeper than " + std::to_string(e.depth()) +
                                        " mappings and lists (a configuration nests a few)"});
    } catch (const YAML::Exception& e) {
        return from_problem(file_name, problem{e.mark, "", "YAML syntax: " + e.msg});
    }
}

config_result load_config(const std::string& path,
                          const std::map<std::string, std::string>& variables) {
    // Mapped, never read in a loop: a device (/dev/zero never ends), a FIFO (opening one waits
    // for a writer) or a folder is refused before a byte is read, and so is a file too large to
    // be a configuration.
    feed::file_image image;
    std::string why;
    if (!image.map(path, why)) return unreadable(path, why);
    if (image.size() > max_config_bytes)
        return unreadable(path, "is " + std::to_string(image.size()) +
                                    " bytes, larger than a configuration can be (at most " +
                                    std::to_string(max_config_bytes) + ")");
    return parse_config(std::string(reinterpret_cast<const char*>(image.data()), image.size()),
                        path, variables);
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

bool parse_lcore_list(const std::string& text, std::vector<std::uint32_t>& lcores,
                      std::string& why) {
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
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xFF) + "." +
           std::to_string((a >> 8) & 0xFF) + "." + std::to_string(a & 0xFF);
}

}  // namespace hypertick::gw
