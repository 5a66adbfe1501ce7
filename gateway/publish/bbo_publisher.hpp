// Encodes BBO updates into UDP multicast datagrams and sends them on one TX queue.
//
// Runs on a worker lcore: packet buffers come from the worker's TX pool (made at start-up),
// the Ethernet/IPv4/UDP header is a template built once, and a full TX queue drops the
// datagram and counts it instead of waiting.
#pragma once

#include <cstdint>

#include "config/settings.hpp"
#include "hypertick/base/ipv4_udp_header.hpp"
#include "hypertick/book/bbo.hpp"

struct rte_mempool;
struct rte_mbuf;

namespace hypertick::gw {

struct publisher_counters {
    std::uint64_t datagrams = 0;
    std::uint64_t records = 0;
    std::uint64_t tx_dropped = 0;  // refused by the TX queue
    std::uint64_t no_buffers = 0;  // the TX pool was empty
};

class bbo_publisher {
  public:
    static constexpr std::uint32_t max_datagrams_per_call = 64;
    static constexpr std::uint32_t frame_overhead =
        base::ethernet_header_length + base::ipv4_header_length_min + base::udp_header_length;

    void init(const publisher_settings& settings, std::uint16_t port_id, std::uint16_t queue,
              rte_mempool* pool, std::uint8_t publisher_id);

    // Sends `count` updates in as few datagrams as fit (up to max_datagrams_per_call; the rest
    // is counted as no_buffers). Returns datagrams handed to the TX queue.
    std::uint32_t publish(const book::bbo_update* updates, std::uint32_t count,
                          std::uint64_t now_ns);

    [[nodiscard]] const publisher_counters& counters() const { return counters_; }
    [[nodiscard]] std::uint32_t records_per_datagram() const { return records_per_datagram_; }

  private:
    void fill(rte_mbuf* m, const book::bbo_update* updates, std::uint32_t n, std::uint64_t now_ns);

    std::uint16_t port_id_ = 0;
    std::uint16_t queue_ = 0;
    rte_mempool* pool_ = nullptr;
    std::uint8_t publisher_id_ = 0;
    std::uint32_t records_per_datagram_ = 0;
    std::uint64_t sequence_ = 0;
    std::uint8_t header_template_[frame_overhead] = {};
    publisher_counters counters_;
};

}  // namespace hypertick::gw
