#include "runtime/allocation_check.hpp"

#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <string_view>

namespace hypertick::gw {
namespace {

void check_pool(const rte_mempool* pool, const pool_plan& plan, std::vector<std::string>& out) {
    const std::string what = "mempool " + plan.name;
    if (pool == nullptr) {
        if (plan.mbufs != 0)
            out.push_back(what + ": planned " + std::to_string(plan.mbufs) + " mbufs, none made");
        return;
    }
    if (plan.mbufs == 0) {
        out.push_back(what + ": made with " + std::to_string(pool->size) + " mbufs, not planned");
        return;
    }
    if (pool->size != plan.mbufs)
        out.push_back(what + ": " + std::to_string(pool->size) + " mbufs, planned " +
                      std::to_string(plan.mbufs));
    const std::uint64_t footprint =
        std::uint64_t{pool->header_size} + pool->elt_size + pool->trailer_size;
    if (footprint != plan.mbuf_bytes())
        out.push_back(what + ": " + std::to_string(footprint) + " B per mbuf, planned " +
                      std::to_string(plan.mbuf_bytes()));
    // Its header memzone and, with the ring ops the plan assumes, the ring's memzone.
    const rte_mempool_ops* ops = rte_mempool_get_ops(pool->ops_index);
    const auto* ring = static_cast<const rte_ring*>(pool->pool_data);
    if (std::string_view(ops->name).rfind("ring_", 0) != 0 || ring == nullptr) {
        out.push_back(what + ": mempool ops " + ops->name + ", planned a ring");
        return;
    }
    const std::uint64_t header = std::uint64_t{pool->mz->len} + ring->memzone->len;
    if (header != plan.header_bytes())
        out.push_back(what + ": header and ring " + std::to_string(header) + " B, planned " +
                      std::to_string(plan.header_bytes()));
}

// rte_malloc rounds a block up, never down: a block smaller than planned is a mismatch.
void check_block(const void* block, std::uint64_t planned, const std::string& what,
                 std::vector<std::string>& out) {
    if (planned == 0 && block == nullptr) return;
    std::size_t size = 0;
    if (block == nullptr || rte_malloc_validate(block, &size) != 0) {
        out.push_back(what + ": planned " + std::to_string(planned) + " B, no block");
        return;
    }
    if (size < planned)
        out.push_back(what + ": " + std::to_string(size) + " B, planned " +
                      std::to_string(planned));
}

}  // namespace

std::vector<std::string> allocation_mismatches(const resources& r) {
    std::vector<std::string> out;
    const memory_plan& plan = r.plan;
    if (r.pools.size() != plan.rx_pools.size())
        out.push_back(std::to_string(r.pools.size()) + " RX mempools, planned " +
                      std::to_string(plan.rx_pools.size()));
    for (std::size_t i = 0; i < r.pools.size() && i < plan.rx_pools.size(); ++i)
        check_pool(r.pools[i], plan.rx_pools[i], out);
    if (r.workers.size() != plan.lcores.size())
        out.push_back(std::to_string(r.workers.size()) + " workers, planned " +
                      std::to_string(plan.lcores.size()));
    for (std::size_t i = 0; i < r.workers.size() && i < plan.lcores.size(); ++i) {
        const worker_slot& s = r.workers[i];
        const lcore_memory_plan& l = plan.lcores[i];
        const std::string lcore = "lcore " + std::to_string(s.lcore);
        check_pool(s.tx_pool, l.tx_pool, out);
        if (s.w->book_bytes() != l.book_bytes())
            out.push_back(lcore + ": books " + std::to_string(s.w->book_bytes()) + " B, planned " +
                          std::to_string(l.book_bytes()));
        check_block(s.w->executor_memory(), l.executor_bytes, lcore + ": executor", out);
        for (std::uint32_t f = 0; f < s.w->feed_count() && f < l.feeds.size(); ++f)
            check_block(s.w->feed(f).hold_memory, l.feeds[f].hold_bytes, lcore + ": hold window",
                        out);
        std::size_t histograms = 0;
        std::size_t probe = 0;
        if (s.latency != nullptr && (rte_malloc_validate(s.latency_memory, &histograms) != 0 ||
                                     rte_malloc_validate(s.latency, &probe) != 0))
            histograms = probe = 0;
        if (histograms + probe < l.latency_bytes)
            out.push_back(lcore + ": latency histograms " + std::to_string(histograms + probe) +
                          " B, planned " + std::to_string(l.latency_bytes));
        if (rte_ring_get_size(s.events) != l.event_ring_entries)
            out.push_back(lcore + ": event ring of " + std::to_string(rte_ring_get_size(s.events)) +
                          " entries, planned " + std::to_string(l.event_ring_entries));
    }
    return out;
}

}  // namespace hypertick::gw
