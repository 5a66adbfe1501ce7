// What a configuration will allocate, computed from the configuration alone (no DPDK).
//
// Two kinds of memory: EAL socket memory (hugepages, or 4 KiB pages under --no-huge), which
// holds the packet mempools and each worker's executor, latency histograms and rings; and
// ordinary process memory, where the book library's tables live (calloc, prefaulted at start).
// EAL reserves all of eal.memory_mb at start-up, so the hugepages wanted are eal.memory_mb and
// the socket-memory estimate must fit inside it.
#pragma once

#include <cstdint>

#include "config/settings.hpp"

namespace hypertick::gw {

// One mbuf as the gateway's pools lay it out (dpdk/mempool.cpp): sizeof(rte_mbuf) 128 +
// headroom 128 + the frame, rounded to a cache line, + the mempool's object header 64. For
// max_frame_bytes 2048 that is the 2368 B the start-up memory plan prints.
inline constexpr std::uint64_t mbuf_footprint_bytes(std::uint64_t frame_bytes) {
    return (128 + 128 + frame_bytes + 63) / 64 * 64 + 64;
}
static_assert(mbuf_footprint_bytes(2048) == 2368);
// Each worker's TX pool when the publisher is on, frames of max_datagram_bytes + 64 (gateway_app.cpp).
inline constexpr std::uint64_t tx_pool_mbufs = 2047;
// Per worker: executor (about 52 KiB with the default worker.max_tasks), feed pipelines, the
// event ring and shared counters. Measured well under this; an allowance, not a figure.
inline constexpr std::uint64_t worker_allowance_bytes = 1u << 20;
// EAL's own memzones, ethdev structures and descriptor rings: an allowance.
inline constexpr std::uint64_t eal_allowance_bytes = 16u << 20;

struct memory_estimate {
    std::uint64_t rx_pool_bytes = 0;     // every port's RX mempool
    std::uint64_t tx_pool_bytes = 0;     // every worker's TX mempool
    std::uint64_t latency_bytes = 0;     // every worker's latency histograms
    std::uint64_t worker_bytes = 0;      // worker_allowance_bytes x workers
    std::uint64_t eal_bytes = eal_allowance_bytes;
    std::uint64_t book_bytes = 0;        // every feed's books (rte_zmalloc_socket on its lcore)

    [[nodiscard]] std::uint64_t socket_bytes() const {
        return rx_pool_bytes + tx_pool_bytes + latency_bytes + worker_bytes + eal_bytes + book_bytes;
    }
};

memory_estimate estimate_memory(const gateway_config& config);

}  // namespace hypertick::gw
