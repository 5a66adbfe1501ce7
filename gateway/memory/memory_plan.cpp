#include "memory/memory_plan.hpp"

#include <rte_ring_elem.h>

#include "config/eal_options.hpp"
#include "contract/latency_probe.hpp"
#include "contract/worker_event.hpp"
#include "contract/worker_shared.hpp"
#include "hypertick/book/book_capacities.hpp"
#include "hypertick/feed/feed_stream.hpp"

namespace hypertick::gw {
namespace {

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

}  // namespace

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
    std::uint64_t total = rx_pool_bytes() + eal_bytes;
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
    return m;
}

}  // namespace hypertick::gw
