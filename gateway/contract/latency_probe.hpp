// The three latency metrics a worker lcore records (docs/latency.md), each an interval
// recorder the control plane harvests into the .hlog without stopping the worker:
//   rx_to_book    per message applied to the books: rte_eth_rx_burst returned -> applied
//   rx_to_bbo_tx  per BBO datagram: rte_eth_rx_burst returned -> the datagram handed to TX
//   task_poll     per executor poll: how long each task ran
// All histograms live in the lcore's socket memory, allocated before launch.
#pragma once

#include <cstddef>
#include <span>

#include "hypertick/stats/interval_recorder.hpp"

namespace hypertick::gw {

enum class latency_metric : std::uint8_t { rx_to_book, rx_to_bbo_tx, task_poll };
inline constexpr std::size_t latency_metric_count = 3;
inline constexpr const char* latency_metric_names[latency_metric_count] = {
    "rx_to_book", "rx_to_bbo_tx", "task_poll"};

struct latency_probe {
    static std::size_t required_bytes(const stats::histogram_params& p) {
        return latency_metric_count * stats::interval_recorder::required_bytes(p);
    }
    latency_probe(const stats::histogram_params& p, stats::tsc_to_ns rate,
                  std::span<std::byte> memory)
        : rx_to_book(p, rate, memory.subspan(0, stats::interval_recorder::required_bytes(p))),
          rx_to_bbo_tx(p, rate,
                       memory.subspan(stats::interval_recorder::required_bytes(p),
                                      stats::interval_recorder::required_bytes(p))),
          task_poll(p, rate,
                    memory.subspan(2 * stats::interval_recorder::required_bytes(p),
                                   stats::interval_recorder::required_bytes(p))) {}

    stats::interval_recorder& metric(latency_metric m) {
        switch (m) {
            case latency_metric::rx_to_book:
                return rx_to_book;
            case latency_metric::rx_to_bbo_tx:
                return rx_to_bbo_tx;
            case latency_metric::task_poll:
                break;
        }
        return task_poll;
    }
    void service() noexcept {
        rx_to_book.service();
        rx_to_bbo_tx.service();
        task_poll.service();
    }

    stats::interval_recorder rx_to_book;
    stats::interval_recorder rx_to_bbo_tx;
    stats::interval_recorder task_poll;
};

}  // namespace hypertick::gw
