// DPDK telemetry commands, served on the telemetry thread (dpdk-telemetry.py):
//   /hypertick/stats          per worker lcore: loop, RX, TX, drops; lcores that do not fit
//                             DPDK's 16,384-byte reply are named in omitted_lcores
//   /hypertick/stats,<N>      one worker lcore's counters, by its number or its key ("lcore3")
//   /hypertick/feeds          per feed: sequencing, decode and book counters, state; feeds that
//                             do not fit DPDK's 16,384-byte reply are named in omitted_feeds
//   /hypertick/feed,<NAME>    one feed's counters, by its name or its key in /hypertick/feeds
//   /hypertick/book,<SYMBOL>  the top 10 levels of a symbol's book (its size is bounded by
//                             constants alone: a static_assert in telemetry.cpp)
// Callbacks read the workers' published atomics and ask for books through the one-slot query
// box each worker answers on its own lcore: they never touch a worker's data or take a lock a
// worker takes.
#pragma once

#include "control/telemetry_connections.hpp"
#include "control/telemetry_replies.hpp"

namespace hypertick::gw {

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
