#include "deploy/memory_estimate.hpp"

#include "hypertick/book/book_capacities.hpp"
#include "worker/latency_probe.hpp"

namespace hypertick::gw {

memory_estimate estimate_memory(const gateway_config& config) {
    memory_estimate m;
    const std::uint64_t workers = config.worker_lcores().size();
    for (const port_settings& port : config.ports)
        m.rx_pool_bytes += std::uint64_t{port.mempool_mbufs} * mbuf_footprint_bytes(port.max_frame_bytes);
    if (config.publisher.enabled)
        m.tx_pool_bytes = workers * tx_pool_mbufs * mbuf_footprint_bytes(config.publisher.max_datagram_bytes + 64u);
    if (config.latency.enabled) {
        const stats::histogram_params params{1, config.latency.highest_ns, config.latency.significant_digits};
        m.latency_bytes = workers * latency_probe::required_bytes(params);
    }
    m.worker_bytes = workers * worker_allowance_bytes;

    book::BookCapacities capacities;
    capacities.symbols = config.books.max_symbols;
    capacities.orders = config.books.max_orders;
    capacities.levels_per_side = config.books.max_levels_per_side;
    m.book_bytes = config.feeds.size() * book::reserved_bytes(capacities);
    return m;
}

}  // namespace hypertick::gw
