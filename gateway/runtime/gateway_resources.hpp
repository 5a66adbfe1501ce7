// Everything hypertick-gw makes at start-up (the memory plan, ports, pools, per-worker rings,
// shared counters, histograms, workers), released in reverse order whatever happens. The app
// fills it; the control plane and the final report read it.
#pragma once

#include <cstdint>
#include <vector>

#include "contract/latency_probe.hpp"
#include "contract/worker_shared.hpp"
#include "dpdk/ports.hpp"
#include "memory/memory_plan.hpp"
#include "worker/worker.hpp"

struct rte_mempool;
struct rte_ring;

namespace hypertick::gw {

struct worker_slot {
    std::uint32_t lcore = 0;
    std::vector<std::uint16_t> feeds;  // indices into config.feeds, in the worker's slot order
    rte_ring* events = nullptr;
    worker_shared* shared = nullptr;
    rte_mempool* tx_pool = nullptr;
    void* latency_memory = nullptr;
    latency_probe* latency = nullptr;
    worker* w = nullptr;
    bool launched = false;
};

struct resources {
    memory_plan plan;  // what the rest was allocated from (workers point into it)
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
