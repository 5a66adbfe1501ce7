#include "memory/memory_plan.hpp"

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring_elem.h>

#include <algorithm>

#include "config/eal_options.hpp"
#include "contract/latency_probe.hpp"
#include "contract/worker_event.hpp"
#include "contract/worker_shared.hpp"
#include "hypertick/base/assert.hpp"
#include "hypertick/base/size_text.hpp"
#include "hypertick/book/book_capacities.hpp"
#include "hypertick/feed/feed_stream.hpp"

namespace hypertick::gw {
namespace {

std::uint64_t ring_bytes(std::uint32_t entries) {
    const ssize_t bytes = rte_ring_get_memsize_elem(sizeof(void*), entries);
    HT_ASSERT(bytes > 0);  // entries is a power of two within the ring's limit
    return static_cast<std::uint64_t>(bytes);
}

// The executor of a worker lcore: a task slot per worker.max_tasks, pollers for every feed plus
// the stop poller, timers for each feed's health and recovery tasks.
executor_config worker_executor_config(const gateway_config& c) {
    executor_config e;
    e.max_tasks = c.worker.max_tasks;
    e.frame_classes = {
        frame_class{256, c.worker.max_tasks}, frame_class{1024, 16}, frame_class{4096, 4}, {}};
    e.max_pollers = max_feeds_per_worker + 2;
    e.max_armed_timers = 4 * max_feeds_per_worker + 8;
    e.channel_storage_bytes = 0;
    return e;
}

lcore_memory_plan plan_lcore(const gateway_config& c, std::uint32_t lcore,
                             std::uint64_t worker_bytes, std::uint64_t feed_pipeline_bytes) {
    lcore_memory_plan p;
    p.lcore = lcore;
    book::book_capacities capacities;
    capacities.symbols = c.books.max_symbols;
    capacities.orders = c.books.max_orders;
    capacities.levels_per_side = c.books.max_levels_per_side;
    bool recovers = false;
    for (std::size_t f = 0; f < c.feeds.size(); ++f) {
        const feed_settings& fs = c.feeds[f];
        if (fs.lcore != lcore) continue;
        feed_memory_plan feed;
        feed.feed = static_cast<std::uint16_t>(f);
        feed.book_bytes = book::reserved_bytes(capacities);
        feed.hold_messages = hold_messages(fs);
        feed.verify_messages = verify_messages(fs);
        feed.hold_bytes = std::uint64_t{feed.hold_messages} * feed::hold_slot_bytes +
                          std::uint64_t{feed.verify_messages} * sizeof(feed::copy_record);
        p.feeds.push_back(feed);
        recovers |= fs.recovery.enabled;
    }
    p.executor = worker_executor_config(c);
    p.executor_bytes = executor::required_bytes(p.executor);
    if (c.publisher.enabled || recovers)
        p.tx_pool = {"ht_tx_" + std::to_string(lcore), tx_pool_mbufs, tx_pool_cache,
                     static_cast<std::uint16_t>(c.publisher.max_datagram_bytes + 64),
                     eal_memory_spread(c.eal.extra_args)};
    if (c.latency.enabled) {
        const stats::histogram_params params{1, c.latency.highest_ns, c.latency.significant_digits};
        p.latency_bytes = latency_probe::required_bytes(params) + sizeof(latency_probe);
    }
    p.event_ring_entries = c.worker.event_ring_size;
    const ssize_t ring = rte_ring_get_memsize_elem(sizeof(worker_event), c.worker.event_ring_size);
    p.event_ring_bytes =
        ring > 0 ? static_cast<std::uint64_t>(ring) : 0;  // the loader bounds the size
    p.shared_bytes = sizeof(worker_shared);
    p.worker_bytes = worker_bytes + p.feeds.size() * feed_pipeline_bytes;
    return p;
}

// The rings of every port --pace feeds: it makes one RX and one TX ring per queue.
std::uint64_t plan_paced_rings(const gateway_config& c) {
    std::uint64_t total = 0;
    for (const port_settings& port : c.ports)
        if (port.created_by_gateway)
            total += std::max(port.rx_queues, port.tx_queues) *
                     (ring_bytes(paced_rx_ring_entries) + ring_bytes(paced_tx_ring_entries));
    return total;
}

}  // namespace

// As rte_mempool_create_empty reserves the header (RTE_MEMPOOL_HEADER_SIZE plus the private
// data, aligned) and the default "ring_mp_mc" ops their ring (a power of two above the count).
std::uint64_t mempool_header_bytes(std::uint32_t mbufs, std::uint32_t cache) {
    const std::uint64_t caches = cache == 0 ? 0 : sizeof(rte_mempool_cache) * RTE_MAX_LCORE;
    const std::uint64_t header = RTE_ALIGN_CEIL(
        sizeof(rte_mempool) + caches + sizeof(rte_pktmbuf_pool_private), RTE_MEMPOOL_ALIGN);
    return header + ring_bytes(rte_align32pow2(mbufs + 1));
}

std::uint64_t lcore_memory_plan::book_bytes() const {
    std::uint64_t total = 0;
    for (const feed_memory_plan& f : feeds) total += f.book_bytes;
    return total;
}

std::uint64_t lcore_memory_plan::hold_bytes() const {
    std::uint64_t total = 0;
    for (const feed_memory_plan& f : feeds) total += f.hold_bytes;
    return total;
}

std::uint64_t lcore_memory_plan::bytes() const {
    return executor_bytes + book_bytes() + hold_bytes() + tx_pool.bytes() + latency_bytes +
           event_ring_bytes + shared_bytes + worker_bytes;
}

std::uint64_t memory_plan::rx_pool_bytes() const {
    std::uint64_t total = 0;
    for (const pool_plan& p : rx_pools) total += p.bytes();
    return total;
}

std::uint64_t memory_plan::socket_bytes() const {
    std::uint64_t total = rx_pool_bytes() + paced_ring_bytes + eal_bytes;
    for (const lcore_memory_plan& l : lcores) total += l.bytes();
    return total;
}

memory_plan plan_memory(const gateway_config& config, std::uint64_t worker_bytes,
                        std::uint64_t feed_pipeline_bytes) {
    memory_plan m;
    for (const port_settings& port : config.ports)
        m.rx_pools.push_back({"ht_rx_" + port.name, port.mempool_mbufs, port.mempool_cache,
                              port.max_frame_bytes, eal_memory_spread(config.eal.extra_args)});
    for (std::uint32_t lcore : config.worker_lcores())
        m.lcores.push_back(plan_lcore(config, lcore, worker_bytes, feed_pipeline_bytes));
    m.paced_ring_bytes = plan_paced_rings(config);
    return m;
}

std::vector<memory_part> memory_parts(const memory_plan& m) {
    std::uint64_t books = 0, tx_pools = 0, latency = 0, workers = 0;
    for (const lcore_memory_plan& l : m.lcores) {
        books += l.book_bytes() + l.hold_bytes();
        tx_pools += l.tx_pool.bytes();
        latency += l.latency_bytes;
        workers += l.executor_bytes + l.worker_bytes + l.event_ring_bytes + l.shared_bytes;
    }
    std::vector<memory_part> parts = {{"books, hold windows and copy rings", books},
                                      {"RX pools", m.rx_pool_bytes()},
                                      {"TX pools", tx_pools},
                                      {"latency histograms", latency},
                                      {"workers", workers},
                                      {"paced replay rings", m.paced_ring_bytes},
                                      {"EAL", m.eal_bytes}};
    std::stable_sort(parts.begin(), parts.end(),
                     [](const memory_part& a, const memory_part& b) { return a.bytes > b.bytes; });
    std::uint64_t total = 0;
    for (const memory_part& p : parts) total += p.bytes;
    HT_ASSERT(total == m.socket_bytes());
    return parts;
}

std::string memory_parts_text(const memory_plan& m) {
    std::string text;
    for (const memory_part& p : memory_parts(m)) {
        if (p.bytes == 0) continue;
        text += (text.empty() ? "" : ", ") + std::string(p.what) + " " + base::mib(p.bytes);
    }
    return text;
}

std::uint64_t memory_mb_needed(const memory_plan& m) {
    constexpr std::uint64_t mib_bytes = 1u << 20;
    return (m.socket_bytes() + mib_bytes - 1) / mib_bytes;
}

std::string memory_budget_problem(const memory_plan& m, std::uint32_t memory_mb) {
    const std::uint64_t needed = memory_mb_needed(m);
    if (needed <= memory_mb) return {};
    return "eal.memory_mb: the memory plan needs " + base::mib(m.socket_bytes()) + " (" +
           memory_parts_text(m) + ") but eal.memory_mb is " + std::to_string(memory_mb) +
           " MiB: raise eal.memory_mb to at least " + std::to_string(needed) +
           " (and the hugepages with it), or lower books.* capacities, ports[].mempool_mbufs, "
           "recovery.hold_capacity or verify_window (--preflight shows the plan)";
}

}  // namespace hypertick::gw
