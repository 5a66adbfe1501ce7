#include "dpdk/mempool.hpp"

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_mempool.h>

namespace hypertick::gw {

rte_mempool* create_packet_pool(const std::string& name, std::uint32_t mbufs, std::uint32_t cache,
                                std::uint16_t frame_bytes, int socket, bool hugepages,
                                std::string& error) {
    const auto data_room = static_cast<std::uint16_t>(RTE_PKTMBUF_HEADROOM + frame_bytes);
    if (hugepages) {
        rte_mempool* pool =
            rte_pktmbuf_pool_create(name.c_str(), mbufs, cache, 0, data_room, socket);
        if (pool == nullptr)
            error = std::string("rte_pktmbuf_pool_create: ") + rte_strerror(rte_errno);
        return pool;
    }
    const std::uint32_t element = sizeof(rte_mbuf) + data_room;
    rte_mempool* pool = rte_mempool_create_empty(name.c_str(), mbufs, element, cache,
                                                 sizeof(rte_pktmbuf_pool_private), socket,
                                                 RTE_MEMPOOL_F_NO_IOVA_CONTIG);
    if (pool == nullptr) {
        error = std::string("rte_mempool_create_empty: ") + rte_strerror(rte_errno);
        return nullptr;
    }
    auto fail = [&](const char* what, int rc) -> rte_mempool* {
        error = std::string(what) + ": " + rte_strerror(rc < 0 ? -rc : rc);
        rte_mempool_free(pool);
        return nullptr;
    };
    if (int rc = rte_mempool_set_ops_byname(pool, rte_mbuf_best_mempool_ops(), nullptr); rc != 0)
        return fail("rte_mempool_set_ops_byname", rc);
    rte_pktmbuf_pool_private priv{};
    priv.mbuf_data_room_size = data_room;
    priv.mbuf_priv_size = 0;
    rte_pktmbuf_pool_init(pool, &priv);
    if (int rc = rte_mempool_populate_default(pool);
        rc < 0 || static_cast<std::uint32_t>(rc) != mbufs)
        return fail("rte_mempool_populate_default", rc < 0 ? rc : -ENOMEM);
    rte_mempool_obj_iter(pool, rte_pktmbuf_init, nullptr);
    return pool;
}

}  // namespace hypertick::gw
