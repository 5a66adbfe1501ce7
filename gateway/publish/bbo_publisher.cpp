#include "publish/bbo_publisher.hpp"

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include <algorithm>
#include <cstring>

#include "hypertick/assert.hpp"
#include "publish/bbo_wire.hpp"

namespace hypertick::gw {

void bbo_publisher::init(const publisher_settings& s, std::uint16_t port_id, std::uint16_t queue,
                         rte_mempool* pool, std::uint8_t publisher_id) {
    port_id_ = port_id;
    queue_ = queue;
    pool_ = pool;
    publisher_id_ = publisher_id;
    records_per_datagram_ = wire::records_per_datagram(s.max_datagram_bytes);
    HT_ASSERT(records_per_datagram_ > 0);

    auto* eth = reinterpret_cast<rte_ether_hdr*>(header_template_);
    // IPv4 multicast MAC: 01:00:5e + the low 23 bits of the group.
    const std::uint32_t g = s.destination_group;
    const std::uint8_t dst[6] = {0x01, 0x00, 0x5e, static_cast<std::uint8_t>((g >> 16) & 0x7F),
                                 static_cast<std::uint8_t>(g >> 8), static_cast<std::uint8_t>(g)};
    std::memcpy(eth->dst_addr.addr_bytes, dst, sizeof dst);
    (void)rte_eth_macaddr_get(port_id, &eth->src_addr);
    eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
    auto* ip = reinterpret_cast<rte_ipv4_hdr*>(eth + 1);
    ip->version_ihl = RTE_IPV4_VHL_DEF;
    ip->type_of_service = 0;
    ip->packet_id = 0;
    ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
    ip->time_to_live = s.ttl;
    ip->next_proto_id = IPPROTO_UDP;
    ip->src_addr = rte_cpu_to_be_32(s.source_address);
    ip->dst_addr = rte_cpu_to_be_32(s.destination_group);
    auto* udp = reinterpret_cast<rte_udp_hdr*>(ip + 1);
    udp->src_port = rte_cpu_to_be_16(s.source_port);
    udp->dst_port = rte_cpu_to_be_16(s.destination_port);
    udp->dgram_cksum = 0;  // optional over IPv4
}

void bbo_publisher::fill(rte_mbuf* m, const book::BboUpdate* updates, std::uint32_t n, std::uint64_t now_ns) {
    const std::uint32_t payload = wire::header_bytes + n * wire::record_bytes;
    auto* frame = rte_pktmbuf_mtod(m, std::uint8_t*);
    std::memcpy(frame, header_template_, frame_overhead);
    auto* ip = reinterpret_cast<rte_ipv4_hdr*>(frame + sizeof(rte_ether_hdr));
    ip->total_length = rte_cpu_to_be_16(static_cast<std::uint16_t>(20 + 8 + payload));
    ip->hdr_checksum = 0;
    ip->hdr_checksum = rte_ipv4_cksum(ip);
    auto* udp = reinterpret_cast<rte_udp_hdr*>(ip + 1);
    udp->dgram_len = rte_cpu_to_be_16(static_cast<std::uint16_t>(8 + payload));
    std::uint8_t* out = frame + frame_overhead;
    const wire::header h{wire::magic, wire::version, publisher_id_, static_cast<std::uint16_t>(n), ++sequence_, now_ns};
    std::memcpy(out, &h, sizeof h);
    out += wire::header_bytes;
    for (std::uint32_t i = 0; i < n; ++i, out += wire::record_bytes) wire::encode_record(out, updates[i]);
    m->data_len = static_cast<std::uint16_t>(frame_overhead + payload);
    m->pkt_len = m->data_len;
}

std::uint32_t bbo_publisher::publish(const book::BboUpdate* updates, std::uint32_t count, std::uint64_t now_ns) {
    if (count == 0) return 0;
    const std::uint32_t wanted = (count + records_per_datagram_ - 1) / records_per_datagram_;
    const std::uint32_t datagrams = std::min(wanted, max_datagrams_per_call);
    rte_mbuf* mbufs[max_datagrams_per_call];
    if (rte_pktmbuf_alloc_bulk(pool_, mbufs, datagrams) != 0) {
        counters_.no_buffers += wanted;
        return 0;
    }
    counters_.no_buffers += wanted - datagrams;
    std::uint32_t sent_records = 0;
    for (std::uint32_t d = 0; d < datagrams; ++d) {
        const std::uint32_t n = std::min(records_per_datagram_, count - sent_records);
        fill(mbufs[d], updates + sent_records, n, now_ns);
        sent_records += n;
    }
    const std::uint16_t sent = rte_eth_tx_burst(port_id_, queue_, mbufs, static_cast<std::uint16_t>(datagrams));
    if (sent < datagrams) {
        rte_pktmbuf_free_bulk(mbufs + sent, datagrams - sent);
        counters_.tx_dropped += datagrams - sent;
    }
    counters_.datagrams += sent;
    counters_.records += sent_records;
    return sent;
}

}  // namespace hypertick::gw
