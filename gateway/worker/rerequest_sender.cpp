#include "worker/rerequest_sender.hpp"

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <cstring>

#include "dpdk/ports.hpp"
#include "hypertick/base/assert.hpp"
#include "hypertick/base/ipv4_udp_header.hpp"

namespace hypertick::gw {

void rerequest_sender::init(const recovery_settings& s, std::uint16_t port_id, rte_mempool* pool) {
    port_id_ = port_id;
    queue_ = s.tx_queue;
    pool_ = pool;
    // The server is on the local segment; without ARP on the data path the frame is broadcast,
    // which a host's IP stack accepts for its own unicast address.
    base::udp_frame_fields fields;
    fields.destination_mac = base::broadcast_mac;
    fields.source_mac = port_mac_address(port_id);
    fields.source_ip = s.source_ip;
    fields.destination_ip = s.server_ip;
    fields.source_port = s.source_port;
    fields.destination_port = s.server_port;
    HT_ASSERT(base::udp_frame_header_length(fields) == sizeof header_);
    (void)base::write_udp_frame_header(header_, fields, feed::rerequest_bytes);
}

void rerequest_sender::send(const feed::mold_session& session,
                            const feed::recovery_request* requests, std::uint32_t n) noexcept {
    rte_mbuf* out[8];
    std::uint16_t ready = 0;
    for (std::uint32_t i = 0; i < n && ready < 8; ++i) {
        rte_mbuf* m = rte_pktmbuf_alloc(pool_);
        if (m == nullptr) {
            ++counters_.dropped;
            continue;
        }
        auto* p = reinterpret_cast<std::uint8_t*>(rte_pktmbuf_append(m, frame_bytes));
        if (p == nullptr) {  // the pool's buffers are always larger: never taken, but defined
            rte_pktmbuf_free(m);
            ++counters_.dropped;
            continue;
        }
        std::memcpy(p, header_, sizeof header_);
        feed::encode_rerequest(session, requests[i], p + sizeof header_);
        out[ready++] = m;
    }
    const std::uint16_t sent = ready == 0 ? 0 : rte_eth_tx_burst(port_id_, queue_, out, ready);
    counters_.sent += sent;
    counters_.dropped += ready - sent;
    if (sent < ready) rte_pktmbuf_free_bulk(out + sent, ready - sent);
}

}  // namespace hypertick::gw
