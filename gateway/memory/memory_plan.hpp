// What the gateway allocates, computed once from the configuration (no DPDK running): every
// port's RX mempool and, per worker lcore, its executor, feed pipelines, books, hold windows,
// TX mempool, latency histograms, event ring and shared counters.
//
// The one source of these sizes: start-up allocates from it (gateway_app.cpp, worker.cpp),
// prints it (the start-up "memory plan" lines) and checks what DPDK actually made against it
// (runtime/allocation_check.cpp); --preflight adds it up against eal.memory_mb.
//
// Everything here lives in EAL socket memory: hugepages, or 4 KiB pages under --no-huge. EAL
// reserves all of eal.memory_mb at start-up, so the plan's total must fit inside it: under
// --no-huge that is all EAL ever has, and with hugepages EAL would map more pages past it, found
// only by chance on the host. The gateway refuses a plan larger than eal.memory_mb before EAL
// starts (memory_budget_problem).
#pragma once

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "hypertick/hypertick.hpp"

namespace hypertick::gw {

// One mbuf as DPDK lays out the gateway's pools (dpdk/mempool.cpp): the mempool's object header
// (one cache line), then sizeof(rte_mbuf) 128 + headroom 128 + the frame, rounded to a cache
// line; then padded to a number of cache lines sharing no factor with `spread`, memory channels
// x ranks, so consecutive objects start on different channels (rte_mempool_calc_obj_size;
// eal_memory_spread reads -n and -r, 4 x 1 when not given).
inline constexpr std::uint64_t mbuf_footprint_bytes(std::uint64_t frame_bytes,
                                                    std::uint32_t spread = 4) {
    std::uint64_t lines = 1 + (128 + 128 + frame_bytes + 63) / 64;
    while (std::gcd(lines, std::uint64_t{spread}) != 1) ++lines;
    return lines * 64;
}
static_assert(mbuf_footprint_bytes(2048) == 2368);          // 37 lines
static_assert(mbuf_footprint_bytes(1400 + 64) == 1856);     // 28 lines, padded to 29
static_assert(mbuf_footprint_bytes(1400 + 64, 1) == 1792);  // -n 1: no padding
static_assert(mbuf_footprint_bytes(1400 + 64, 3) == 1792);  // -n 3: 28 lines share no factor

// A mempool's own memory besides its mbufs: the rte_mempool header with the mbuf pool's private
// data and, when the pool has a per-lcore cache, one cache for every lcore this DPDK can run
// (RTE_MAX_LCORE of them, about 1 MiB in all, whatever eal.lcores says); then the ring that holds
// its free mbufs.
std::uint64_t mempool_header_bytes(std::uint32_t mbufs, std::uint32_t cache);

// A worker's TX pool (the publisher's datagrams and the re-requests): mbufs and per-lcore cache.
inline constexpr std::uint32_t tx_pool_mbufs = 2047;
inline constexpr std::uint32_t tx_pool_cache = 64;
// The rings of a port that --pace feeds (replay_pacer.hpp): per queue, an RX ring the pacer
// fills (a NIC's RX ring's worth and more: overflow is counted) and a TX ring.
inline constexpr std::uint32_t paced_rx_ring_entries = 16384;
inline constexpr std::uint32_t paced_tx_ring_entries = 1024;
// What EAL takes from eal.memory_mb for itself beyond the plan's parts: its memzones, the ethdev
// tables, the heap's element headers and alignment, and what the hugepage allocator leaves
// between segments. Measured with config/feed.yaml and with a two-worker configuration, with
// and without hugepages, at budgets around the plan (docs/deploy.md, "Memory budget").
inline constexpr std::uint64_t eal_allowance_bytes = 4u << 20;

struct pool_plan {
    std::string name;         // the rte_mempool's name
    std::uint32_t mbufs = 0;  // 0: no pool
    std::uint32_t cache = 0;
    std::uint16_t frame_bytes = 0;  // data room after the headroom
    std::uint32_t spread = 4;       // memory channels x ranks (eal_memory_spread)
    [[nodiscard]] std::uint64_t mbuf_bytes() const {
        return mbuf_footprint_bytes(frame_bytes, spread);
    }
    [[nodiscard]] std::uint64_t header_bytes() const {
        return mbufs == 0 ? 0 : mempool_header_bytes(mbufs, cache);
    }
    [[nodiscard]] std::uint64_t bytes() const { return mbufs * mbuf_bytes() + header_bytes(); }
};

struct feed_memory_plan {
    std::uint16_t feed = 0;             // index into gateway_config::feeds
    std::uint64_t book_bytes = 0;       // book::reserved_bytes of books.*
    std::uint32_t hold_messages = 0;    // the hold window (arbitrated feeds), 0 otherwise
    std::uint32_t verify_messages = 0;  // the copy ring (arbitrated feeds), 0 otherwise
    std::uint64_t hold_bytes = 0;       // the stream's memory: hold window, then copy ring
};

struct lcore_memory_plan {
    std::uint32_t lcore = 0;
    std::vector<feed_memory_plan> feeds;
    executor_config executor;          // memory and memory_bytes left for the worker to fill
    std::uint64_t executor_bytes = 0;  // executor::required_bytes(executor)
    pool_plan tx_pool;                 // when the publisher or a feed's recovery is on
    std::uint64_t latency_bytes = 0;   // histograms and their probe (latency.enabled)
    std::uint32_t event_ring_entries = 0;
    std::uint64_t event_ring_bytes = 0;
    std::uint64_t shared_bytes = 0;  // worker_shared
    std::uint64_t worker_bytes = 0;  // the worker object and its feed pipelines

    [[nodiscard]] std::uint64_t book_bytes() const;
    [[nodiscard]] std::uint64_t hold_bytes() const;
    [[nodiscard]] std::uint64_t bytes() const;
};

struct memory_plan {
    std::vector<pool_plan> rx_pools;        // one per port, in configuration order
    std::vector<lcore_memory_plan> lcores;  // one per worker lcore, in config.worker_lcores() order
    std::uint64_t paced_ring_bytes = 0;     // the rings of ports that --pace feeds
    std::uint64_t eal_bytes = eal_allowance_bytes;

    [[nodiscard]] std::uint64_t rx_pool_bytes() const;
    [[nodiscard]] std::uint64_t socket_bytes() const;  // everything, the EAL allowance included
};

// The plan's total in the parts people size (books, pools, histograms...), largest first; they
// add up to socket_bytes().
struct memory_part {
    const char* what;
    std::uint64_t bytes;
};
std::vector<memory_part> memory_parts(const memory_plan& plan);

// "books, hold windows and copy rings 291.5 MiB, RX pools 41.6 MiB, ...": every part with bytes.
std::string memory_parts_text(const memory_plan& plan);

// The smallest eal.memory_mb that holds the plan.
std::uint64_t memory_mb_needed(const memory_plan& plan);

// Empty when the plan fits in `memory_mb`; else the refusal: the plan's total and its largest
// parts, the budget, the key, and the value to raise it to.
std::string memory_budget_problem(const memory_plan& plan, std::uint32_t memory_mb);

// The hold window of a feed, in messages: arbitrated feeds (two lines, or recovery) hold the
// messages that arrive past a hole; a single line without recovery holds none.
inline std::uint32_t hold_messages(const feed_settings& feed) {
    return feed.arbitrated() ? feed.recovery.hold_capacity : 0;
}

// The copy ring of a feed, in messages: only an arbitrated feed has other copies to compare.
inline std::uint32_t verify_messages(const feed_settings& feed) {
    return feed.arbitrated() ? feed.verify_window : 0;
}

// `worker_bytes` and `feed_pipeline_bytes` are the sizes of the worker's objects, which this
// layer below the worker cannot see (worker.hpp's plan_memory(config) passes them).
memory_plan plan_memory(const gateway_config& config, std::uint64_t worker_bytes,
                        std::uint64_t feed_pipeline_bytes);

}  // namespace hypertick::gw
