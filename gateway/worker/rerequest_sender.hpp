// Sends MoldUDP64 re-request datagrams (20 bytes of UDP payload) to a feed's re-request server
// from the worker lcore: a prebuilt Ethernet/IPv4/UDP header (constant, checksum included, since
// the payload length never changes), one mbuf per request from the lcore's TX pool, one
// rte_eth_tx_burst per round. A missing buffer or a refused datagram is counted, never waited
// for: the next retry round asks again.
#pragma once

#include <cstdint>

#include "config/settings.hpp"
#include "hypertick/base/ipv4_udp_header.hpp"
#include "hypertick/feed/rerequest.hpp"

struct rte_mempool;

namespace hypertick::gw {

struct rerequest_counters {
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;  // no buffer, or the TX queue refused it
};

class rerequest_sender {
  public:
    static constexpr std::uint32_t header_bytes =
        base::ethernet_header_length + base::ipv4_header_length_min + base::udp_header_length;
    static constexpr std::uint32_t frame_bytes = header_bytes + feed::rerequest_bytes;

    // Control plane, before launch: reads the port's MAC address.
    void init(const recovery_settings& s, std::uint16_t port_id, rte_mempool* pool);
    // Worker lcore: sends up to `n` requests in one burst.
    void send(const feed::mold_session& session, const feed::recovery_request* requests,
              std::uint32_t n) noexcept;
    [[nodiscard]] const rerequest_counters& counters() const { return counters_; }

  private:
    std::uint8_t header_[header_bytes] = {};
    std::uint16_t port_id_ = 0;
    std::uint16_t queue_ = 0;
    rte_mempool* pool_ = nullptr;
    rerequest_counters counters_;
};

}  // namespace hypertick::gw
