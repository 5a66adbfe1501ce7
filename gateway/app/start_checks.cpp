#include "app/start_checks.hpp"

#include <fcntl.h>
#include <rte_config.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

#include "config/lcore_map.hpp"
#include "control/log_text.hpp"
#include "control/snapshot_path.hpp"
#include "hypertick/base/file_kind.hpp"
#include "hypertick/base/same_file.hpp"

namespace hypertick::gw {
namespace {

// rte_eal_init walks memory segment lists sized by RTE_MAX_MEM_MB: a larger -m makes it fault.
static_assert(config_schema[key_spec_index("eal", "memory_mb")].max <= RTE_MAX_MEM_MB,
              "eal.memory_mb's range must stay within what this DPDK's EAL can map");

// A file the run will create or replace: its folder must exist and be writable, and the path
// itself, if it exists, must be a writable file (not a folder).
std::string unwritable(const std::string& what, const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "."
                               : slash == 0               ? "/"
                                                          : path.substr(0, slash);
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0)
        return what + " \"" + path + "\": folder \"" + folder + "\": " + std::strerror(errno);
    if (!S_ISDIR(st.st_mode)) return what + " \"" + path + "\": \"" + folder + "\" is not a folder";
    if (::access(folder.c_str(), W_OK | X_OK) != 0)
        return what + " \"" + path + "\": cannot create files in \"" + folder +
               "\": " + std::strerror(errno);
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) return what + " \"" + path + "\" is a folder";
        // Written through a temporary file and a rename, or opened and waited on: a device
        // node would be replaced, a FIFO would block the start. Only the log is appended to,
        // as a shell redirection would (logging.file may be /dev/null or a FIFO).
        if (const std::string kind = base::special_file_kind(path);
            !kind.empty() && what != "logging.file")
            return what + " \"" + path + "\" is " + kind + ", not a regular file";
        if (::access(path.c_str(), W_OK) != 0)
            return what + " \"" + path + "\": " + std::strerror(errno);
    }
    return {};
}

// Why a feed's name cannot be part of its snapshot's file name; empty when it can. A '/' would
// put the file in another folder, a control character would make a name no listing shows
// faithfully.
std::string snapshot_name_problem(const std::string& name) {
    for (const char ch : name) {
        const auto byte = static_cast<unsigned char>(ch);
        if (ch == '/') return "holds '/'";
        if (byte < 0x20 || byte == 0x7f) return "holds a control character";
    }
    return {};
}

std::string latency_log_path(const cli_options& o, const gateway_config& c) {
    return o.latency_log.empty() ? c.latency.log_path : o.latency_log;
}

}  // namespace

std::string option_problem(const cli_options& o, const gateway_config& c) {
    if (!o.latency_log.empty() && !c.latency.enabled)
        return "--latency-log: latency.enabled is false in " + c.source_path +
               ", so no latency log would be written";
    if (!o.publish_pcap.empty() && !c.publisher.enabled)
        return "--publish-pcap: the publisher is disabled in " + c.source_path +
               " (publisher.enabled), so nothing would be written";
    const bool has_b_line = std::any_of(c.feeds.begin(), c.feeds.end(),
                                        [](const feed_settings& f) { return f.lines.size() > 1; });
    if (!o.replay_b_capture.empty() && !has_b_line)
        return "--replay-b: no feed in " + c.source_path +
               " has a B line (feeds[].lines), so the capture would not be read";
    return {};
}

std::string output_path_problem(const cli_options& o, const gateway_config& c) {
    struct named_path {
        std::string what;
        std::string path;
    };
    std::vector<named_path> outputs = {{"--snapshot", o.snapshot_path},
                                       {"--publish-pcap", o.publish_pcap},
                                       {o.latency_log.empty() ? "latency.log" : "--latency-log",
                                        c.latency.enabled ? latency_log_path(o, c) : ""},
                                       {"logging.file", c.logging.file}};
    // The other feeds' snapshots are written at exit too: a name that cannot be a file would
    // lose that feed's books after the whole run.
    for (std::size_t i = 1; !o.snapshot_path.empty() && i < c.feeds.size(); ++i) {
        if (std::string why = snapshot_name_problem(c.feeds[i].name); !why.empty())
            return "--snapshot: feeds[" + std::to_string(i) + "].name \"" +
                   printable_text(c.feeds[i].name) + "\" " + why +
                   " (each feed after the first is written to OUT.<name>.json)";
        outputs.push_back({"--snapshot (feed \"" + c.feeds[i].name + "\")",
                           feed_snapshot_path(o.snapshot_path, c, i)});
    }
    std::vector<named_path> inputs = {{"--replay", o.replay_capture},
                                      {"--replay-b", o.replay_b_capture},
                                      {"--config", c.source_path}};
    // A net_pcap port's capture, "...,rx_pcap=PATH[,...]" (config/feed.yaml's sample).
    for (const port_settings& port : c.ports) {
        const std::size_t at = port.device.find("rx_pcap=");
        if (at == std::string::npos) continue;
        const std::size_t from = at + std::string_view("rx_pcap=").size();
        inputs.push_back(
            {"a port's rx_pcap", port.device.substr(from, port.device.find(',', from) - from)});
    }
    for (const named_path& out : outputs) {
        if (out.path.empty()) continue;
        if (std::string why = unwritable(out.what, out.path); !why.empty()) return why;
        for (const named_path& other : outputs)
            if (&other != &out && !other.path.empty() && base::same_file(other.path, out.path))
                return std::string(out.what) + " and " + other.what + " name the same file \"" +
                       out.path + "\"";
        // Written at start-up or at exit, an output on an input would destroy what is read.
        for (const named_path& in : inputs)
            if (!in.path.empty() && base::same_file(in.path, out.path))
                return std::string(out.what) + " \"" + out.path + "\" is the file " + in.what +
                       " reads (\"" + in.path + "\"): writing it would destroy it";
    }
    return {};
}

// Only whether each CPU is online: the process's own affinity is no limit (the systemd unit's
// CPUAffinity= keeps the control plane on housekeeping CPUs while EAL pins workers elsewhere).
std::string lcore_problem(const gateway_config& c) {
    std::vector<lcore_placement> placements;
    std::string why;
    if (!parse_lcore_map(c.eal.lcores, placements, why)) return "eal.lcores: " + why;
    std::vector<std::uint32_t> online;
    std::ifstream online_file("/sys/devices/system/cpu/online");
    std::string online_text;
    std::getline(online_file, online_text);
    const bool online_known = parse_cpu_list(online_text, online) && !online.empty();
    for (const lcore_placement& p : placements) {
        if (p.lcore >= RTE_MAX_LCORE)
            return "eal.lcores: lcore " + std::to_string(p.lcore) +
                   " is beyond this DPDK's limit (lcore ids 0-" +
                   std::to_string(RTE_MAX_LCORE - 1) + ")";
        for (std::uint32_t cpu : p.cpus) {
            if (online_known && !std::binary_search(online.begin(), online.end(), cpu))
                return "eal.lcores: lcore " + std::to_string(p.lcore) + " is placed on CPU " +
                       std::to_string(cpu) +
                       ", which is not online (online CPUs: " + format_cpu_list(online) + ")";
        }
    }
    return {};
}

std::string eal_runtime_folder(const std::string& file_prefix) {
    // As EAL makes it: /var/run/dpdk as root, else $XDG_RUNTIME_DIR/dpdk (or /tmp/dpdk).
    const char* xdg = std::getenv("XDG_RUNTIME_DIR");
    const std::string base = ::getuid() == 0 ? "/var/run" : xdg != nullptr ? xdg : "/tmp";
    return base + "/dpdk/" + file_prefix;
}

std::string telemetry_socket_problem(const gateway_config& c) {
    if (!c.eal.telemetry) return {};
    const std::string folder = eal_runtime_folder(c.eal.file_prefix);
    const std::string socket = folder + "/dpdk_telemetry.v2";
    constexpr std::size_t longest = sizeof(sockaddr_un::sun_path) - 1;
    if (socket.size() <= longest) return {};
    return "eal.file_prefix: the telemetry socket " + socket + " would be " +
           std::to_string(socket.size()) + " characters, longer than a unix socket path can be (" +
           std::to_string(longest) + "): shorten eal.file_prefix by " +
           std::to_string(socket.size() - longest) + " or set eal.telemetry: false";
}

std::string file_prefix_holder(const std::string& file_prefix) {
    const std::string config = eal_runtime_folder(file_prefix) + "/config";
    const int fd = ::open(config.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    const bool held = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
    ::close(fd);
    if (!held) return {};
    return "another DPDK process (pid " + std::to_string(lock.l_pid) + ") with eal.file_prefix \"" +
           file_prefix + "\" is running (it locks " + config +
           "): stop it, or give this gateway its own eal.file_prefix";
}

std::string replay_device_problem(const gateway_config& c) {
    // Both drivers' own limits (RTE_PMD_PCAP_MAX_QUEUES, RTE_PMD_RING_MAX_RX/TX_RINGS), private
    // to their sources: beyond them net_pcap's probe fails and rte_eth_from_rings refuses.
    constexpr std::size_t max_queues = 16;
    const auto count = [](const std::string& text, std::string_view what) {
        std::size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    };
    for (const port_settings& port : c.ports) {
        const bool pcap = port.device.rfind("net_pcap", 0) == 0;
        const bool ring = port.created_by_gateway;
        if (!pcap && !ring) continue;
        const std::size_t rx = ring ? port.rx_queues : count(port.device, ",rx_pcap=");
        const std::size_t tx = ring ? port.tx_queues : count(port.device, ",tx_pcap=");
        if (rx <= max_queues && tx <= max_queues) continue;
        const bool rx_over = rx > max_queues;
        return "ports[] \"" + port.name + "\": " + std::to_string(rx_over ? rx : tx) +
               (rx_over ? " RX queues (rx_queues)" : " TX queues (tx_queues)") + " on " +
               (ring ? "the net_ring device --pace feeds" : "a net_pcap device") +
               ", which has at most " + std::to_string(max_queues) + " of each";
    }
    return {};
}

std::string start_problem(const cli_options& options, const gateway_config& config) {
    if (std::string why = option_problem(options, config); !why.empty()) return why;
    if (std::string why = output_path_problem(options, config); !why.empty()) return why;
    if (std::string why = telemetry_socket_problem(config); !why.empty()) return why;
    return lcore_problem(config);
}

}  // namespace hypertick::gw
