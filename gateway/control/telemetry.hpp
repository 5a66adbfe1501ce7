// DPDK telemetry commands, served on the telemetry thread (dpdk-telemetry.py):
//   /hypertick/stats          per worker lcore: loop, RX, TX, drops
//   /hypertick/feeds          per feed: sequencing, decode and book counters, state; feeds that
//                             do not fit DPDK's 16,384-byte reply are named in omitted_feeds
//   /hypertick/feed,<NAME>    one feed's counters, by its name or its key in /hypertick/feeds
//   /hypertick/book,<SYMBOL>  the top 10 levels of a symbol's book
// Callbacks read the workers' published atomics and ask for books through the one-slot query
// box each worker answers on its own lcore: they never touch a worker's data or take a lock a
// worker takes.
#pragma once

#include <cstdint>
#include <vector>

#include "config/settings.hpp"
#include "contract/worker_shared.hpp"
#include "control/telemetry_connections.hpp"

namespace hypertick::gw {

struct telemetry_worker {
    std::uint32_t lcore;
    worker_shared* shared;
    std::vector<std::uint16_t> feeds;  // indices into config.feeds, in slot order
};

struct telemetry_view {
    const gateway_config* config = nullptr;
    std::vector<telemetry_worker> workers;
};

// Registers the commands over `view`; they answer until close_telemetry.
bool register_telemetry(const telemetry_view* view);
// Telemetry client threads live until the process ends, past rte_eal_cleanup: call this
// before `view`, the configuration, the workers' memory, the ports or EAL go away. It shuts the
// gate of our commands (one that still runs answers {"state": "shutting down"}), waits for the
// ones inside, then disconnects every telemetry client (telemetry_connections.hpp) and waits up
// to one second for their threads to let go. With still_open == 0 no telemetry thread runs a
// command of ours or of DPDK's, or can start one.
telemetry_disconnect_result close_telemetry();

}  // namespace hypertick::gw
