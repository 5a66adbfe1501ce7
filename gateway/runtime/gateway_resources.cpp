#include "runtime/gateway_resources.hpp"

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_ring.h>

namespace hypertick::gw {

resources::~resources() {
    for (worker_slot& s : workers) {
        if (s.w) {
            s.w->~worker();
            rte_free(s.w);
        }
        if (s.latency) {
            s.latency->~latency_probe();
            rte_free(s.latency);
        }
        rte_free(s.latency_memory);
        if (s.shared) {
            s.shared->~worker_shared();
            rte_free(s.shared);
        }
        rte_ring_free(s.events);
    }
    for (port_state& p : ports) shut_down_port(p);
    for (rte_mempool* pool : pools) rte_mempool_free(pool);
    for (worker_slot& s : workers) rte_mempool_free(s.tx_pool);
    if (eal_up) rte_eal_cleanup();
}

}  // namespace hypertick::gw
