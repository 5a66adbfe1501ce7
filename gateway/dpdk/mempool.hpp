// Packet-buffer pools, made once at start-up.
#pragma once

#include <cstdint>
#include <string>

struct rte_mempool;

namespace hypertick::gw {

// With hugepages: rte_pktmbuf_pool_create. Without (--no-huge, 4 KiB pages), that call lays
// every mbuf on its own page and the mbuf headers then fight over the same L1 sets (4-5x slower
// on this kind of VM, see shared notes); the pool is built by hand instead, packed, with
// RTE_MEMPOOL_F_NO_IOVA_CONTIG. That is fine for virtual devices; a NIC doing DMA wants
// hugepages.
// Each mbuf holds `frame_bytes` of data after DPDK's headroom.
rte_mempool* create_packet_pool(const std::string& name, std::uint32_t mbufs, std::uint32_t cache,
                                std::uint16_t frame_bytes, int socket, bool hugepages,
                                std::string& error);

}  // namespace hypertick::gw
