// Everything hypertick-gw makes at start-up (ports, pools, per-worker rings, shared counters,
// histograms, workers), released in reverse order whatever happens.
#pragma once

#include <cstdint>
#include <vector>

#include "dpdk/ports.hpp"
#include "worker/latency_probe.hpp"
#include "worker/worker.hpp"
#include "worker/worker_shared.hpp"

struct rte_mempool;
struct rte_ring;

namespace hypertick::gw {

struct worker_slot {
    std::uint32_t lcore = 0;
    std::vector<std::uint16_t> feeds;
    rte_ring* events = nullptr;
    worker_shared* shared = nullptr;
    rte_mempool* tx_pool = nullptr;
    void* latency_memory = nullptr;
    latency_probe* latency = nullptr;
    worker* w = nullptr;
    bool launched = false;
};

struct resources {
    std::vector<port_state> ports;
    std::vector<rte_mempool*> pools;
    std::vector<worker_slot> workers;
    bool eal_up = false;

    resources() = default;
    resources(const resources&) = delete;
    resources& operator=(const resources&) = delete;
    ~resources();
};


}  // namespace hypertick::gw
