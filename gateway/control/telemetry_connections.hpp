// Ends DPDK's telemetry connections before the gateway tears DPDK down.
//
// DPDK 22.11's telemetry library serves every client on a detached thread of its own, and no
// API stops those threads: rte_eal_cleanup closes ports, frees heaps and unmaps memory while
// they keep answering. A DPDK command that arrives then (/ethdev/xstats during a port's close,
// /eal/heap_info while the memory is unmapped) reads freed memory and kills the process at
// exit. The gateway's own commands are gated (close_telemetry); DPDK's are not ours to gate, so
// the gateway shuts the telemetry sockets themselves: the listeners first, so that no new client
// gets in, then every accepted connection, whose thread then ends its read loop and closes it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace hypertick::gw {

struct telemetry_disconnect_result {
    std::size_t listeners_shut = 0;    // listening sockets no client can connect to any more
    std::size_t connections_shut = 0;  // accepted connections shut down
    std::size_t still_open = 0;        // connections whose thread had not closed them in time
};

// True for the sockets DPDK's telemetry binds in `runtime_dir`: dpdk_telemetry.v2 (and any
// later dpdk_telemetry.* version) and the legacy `telemetry` socket.
bool is_telemetry_socket_path(const std::string& runtime_dir, const std::string& path);

// Shuts down every telemetry socket of this process bound in `runtime_dir` (found through
// /proc/self/fd), then waits up to `wait` for the client threads to close their connections.
// When it returns with still_open == 0 no telemetry thread is running a command or can start
// one. Control plane only: it reads /proc and sleeps.
telemetry_disconnect_result disconnect_telemetry_clients(const std::string& runtime_dir,
                                                         std::chrono::milliseconds wait);

}  // namespace hypertick::gw
