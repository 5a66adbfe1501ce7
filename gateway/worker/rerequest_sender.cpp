#include "worker/rerequest_sender.hpp"

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <cstring>

namespace hypertick::gw {
namespace {

void put16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) {
    put16(p, static_cast<std::uint16_t>(v >> 16));
    put16(p + 2, static_cast<std::uint16_t>(v));
}

std::uint16_t ipv4_checksum(const std::uint8_t* h) {
    std::uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2) sum += static_cast<std::uint32_t>(h[i] << 8 | h[i + 1]);
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

}  // namespace

void rerequest_sender::init(const recovery_settings& s, std::uint16_t port_id, rte_mempool* pool) {
    port_id_ = port_id;
    queue_ = s.tx_queue;
    pool_ = pool;
    std::uint8_t* h = header_;
    // The server is on the local segment; without ARP on the data path the frame is broadcast,
    // which a host's IP stack accepts for its own unicast address.
    std::memset(h, 0xFF, 6);
    rte_ether_addr mac{};
    (void)rte_eth_macaddr_get(port_id, &mac);
    std::memcpy(h + 6, mac.addr_bytes, 6);
    put16(h + 12, 0x0800);
    std::uint8_t* ip = h + 14;
    ip[0] = 0x45;
    put16(ip + 2, 20 + 8 + 20);
    put16(ip + 6, 0x4000);  // DF
    ip[8] = 64;
    ip[9] = 17;
    put32(ip + 12, s.source_ip);
    put32(ip + 16, s.server_ip);
    put16(ip + 10, ipv4_checksum(ip));
    std::uint8_t* udp = ip + 20;
    put16(udp, s.source_port);
    put16(udp + 2, s.server_port);
    put16(udp + 4, 8 + 20);  // checksum 0: optional over IPv4
}

void rerequest_sender::send(const feed::MoldSession& session, const feed::RecoveryRequest* requests,
                            std::uint32_t n) noexcept {
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
