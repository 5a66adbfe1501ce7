#include "publish/bbo_publisher.hpp"

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <algorithm>
#include <cstring>

#include "dpdk/ports.hpp"
#include "hypertick/base/assert.hpp"
#include "hypertick/base/ipv4_udp_header.hpp"
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

    base::udp_frame_fields fields;
    fields.destination_mac = base::multicast_mac(s.destination_group);
    fields.source_mac = port_mac_address(port_id);
    fields.source_ip = s.source_address;
    fields.destination_ip = s.destination_group;
    fields.source_port = s.source_port;
    fields.destination_port = s.destination_port;
    fields.ttl = s.ttl;
    HT_ASSERT(base::udp_frame_header_length(fields) == frame_overhead);
    (void)base::write_udp_frame_header(header_template_, fields, 0);
}

void bbo_publisher::fill(rte_mbuf* m, const book::bbo_update* updates, std::uint32_t n,
                         std::uint64_t now_ns) {
    const std::uint32_t payload = wire::header_bytes + n * wire::record_bytes;
    auto* frame = rte_pktmbuf_mtod(m, std::uint8_t*);
    std::memcpy(frame, header_template_, frame_overhead);
    base::set_udp_payload_length(frame + base::ethernet_header_length, payload);
    std::uint8_t* out = frame + frame_overhead;
    const wire::header h{wire::magic, wire::version, publisher_id_, static_cast<std::uint16_t>(n),
                         ++sequence_, now_ns};
    std::memcpy(out, &h, sizeof h);
    out += wire::header_bytes;
    for (std::uint32_t i = 0; i < n; ++i, out += wire::record_bytes)
        wire::encode_record(out, updates[i]);
    m->data_len = static_cast<std::uint16_t>(frame_overhead + payload);
    m->pkt_len = m->data_len;
}

std::uint32_t bbo_publisher::publish(const book::bbo_update* updates, std::uint32_t count,
                                     std::uint64_t now_ns) {
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
    const std::uint16_t sent =
        rte_eth_tx_burst(port_id_, queue_, mbufs, static_cast<std::uint16_t>(datagrams));
    if (sent < datagrams) {
        rte_pktmbuf_free_bulk(mbufs + sent, datagrams - sent);
        counters_.tx_dropped += datagrams - sent;
    }
    counters_.datagrams += sent;
    counters_.records += sent_records;
    return sent;
}

}  // namespace hypertick::gw
