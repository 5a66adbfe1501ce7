#include "dpdk/ports.hpp"

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <cstring>

namespace hypertick::gw {
namespace {

std::string failure(const port_settings& s, const char* call, int rc) {
    return "port \"" + s.name + "\" (" + dpdk_device_name(s.device) + "): " + call + ": " +
           rte_strerror(rc < 0 ? -rc : rc);
}

}  // namespace

std::string dpdk_device_name(const std::string& device) {
    return device.substr(0, device.find(','));
}

bool bring_up_port(const port_settings& s, rte_mempool* pool, port_state& state,
                   std::string& error) {
    const std::string name = dpdk_device_name(s.device);
    if (rte_eth_dev_get_port_by_name(name.c_str(), &state.port_id) != 0) {
        error = "port \"" + s.name + "\": no DPDK device named \"" + name +
                "\" (a vdev must be created by EAL, a PCI device bound to a DPDK driver)";
        return false;
    }
    state.socket = rte_eth_dev_socket_id(state.port_id);
    if (state.socket < 0) state.socket = 0;
    state.pool = pool;

    rte_eth_dev_info info{};
    if (int rc = rte_eth_dev_info_get(state.port_id, &info); rc != 0) {
        error = failure(s, "rte_eth_dev_info_get", rc);
        return false;
    }
    if (s.rx_queues > info.max_rx_queues || s.tx_queues > info.max_tx_queues) {
        error = "port \"" + s.name + "\": " + std::to_string(s.rx_queues) + " RX / " +
                std::to_string(s.tx_queues) + " TX queues configured, the device has at most " +
                std::to_string(info.max_rx_queues) + " / " + std::to_string(info.max_tx_queues);
        return false;
    }
    rte_eth_conf conf{};
    // --clock capture: devices that can stamp each packet's receive (capture) time do so.
    if (s.rx_timestamps && (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP) != 0)
        conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
    if (int rc = rte_eth_dev_configure(state.port_id, s.rx_queues, s.tx_queues, &conf); rc != 0) {
        error = failure(s, "rte_eth_dev_configure", rc);
        return false;
    }
    std::uint16_t rx_desc = s.rx_descriptors;
    std::uint16_t tx_desc = s.tx_descriptors;
    if (int rc = rte_eth_dev_adjust_nb_rx_tx_desc(state.port_id, &rx_desc, &tx_desc); rc != 0) {
        error = failure(s, "rte_eth_dev_adjust_nb_rx_tx_desc", rc);
        return false;
    }
    for (std::uint16_t q = 0; q < s.rx_queues; ++q) {
        if (int rc = rte_eth_rx_queue_setup(state.port_id, q, rx_desc,
                                            static_cast<unsigned>(state.socket), nullptr, pool);
            rc != 0) {
            error = failure(s, "rte_eth_rx_queue_setup", rc) +
                    " (net_pcap with infinite_rx=1 needs a pool that holds the whole capture: "
                    "raise mempool_mbufs)";
            return false;
        }
    }
    for (std::uint16_t q = 0; q < s.tx_queues; ++q) {
        if (int rc = rte_eth_tx_queue_setup(state.port_id, q, tx_desc,
                                            static_cast<unsigned>(state.socket), nullptr);
            rc != 0) {
            error = failure(s, "rte_eth_tx_queue_setup", rc);
            return false;
        }
    }
    if (int rc = rte_eth_dev_start(state.port_id); rc != 0) {
        error = failure(s, "rte_eth_dev_start", rc);
        return false;
    }
    state.started = true;
    // Market data arrives on multicast groups; devices that cannot filter simply say so.
    (void)rte_eth_allmulticast_enable(state.port_id);
    return true;
}

void check_link(port_state& state, std::uint32_t timeout_ms) {
    const std::uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * timeout_ms / 1000;
    do {
        rte_eth_link link{};
        if (rte_eth_link_get_nowait(state.port_id, &link) == 0 &&
            link.link_status == RTE_ETH_LINK_UP) {
            state.link_up = true;
            state.link_speed_mbps = link.link_speed;
            return;
        }
        rte_delay_ms(10);
    } while (rte_get_timer_cycles() < deadline);
}

void shut_down_port(port_state& state) {
    if (!state.started) return;
    (void)rte_eth_dev_stop(state.port_id);
    (void)rte_eth_dev_close(state.port_id);
    state.started = false;
}

base::mac_address port_mac_address(std::uint16_t port_id) {
    rte_ether_addr mac{};
    (void)rte_eth_macaddr_get(port_id, &mac);
    base::mac_address out;
    std::memcpy(out.data(), mac.addr_bytes, out.size());
    return out;
}

}  // namespace hypertick::gw
