// Ethernet port bring-up and shut-down, shaped like DPDK's l2fwd.
#pragma once

#include <cstdint>
#include <string>

#include "config/settings.hpp"
#include "hypertick/base/ipv4_udp_header.hpp"

struct rte_mempool;

namespace hypertick::gw {

// The DPDK port name of a configured device: a vdev's name is the part before its first comma.
std::string dpdk_device_name(const std::string& device);

struct port_state {
    std::uint16_t port_id = 0;
    int socket = 0;
    rte_mempool* pool = nullptr;
    bool started = false;
    bool link_up = false;
    std::uint32_t link_speed_mbps = 0;
};

// Finds the port, configures its queues on `pool` and starts it. False with `error` naming the
// port and the call that failed.
bool bring_up_port(const port_settings& settings, rte_mempool* pool, port_state& state,
                   std::string& error);
// Waits up to `timeout_ms` for link up (virtual devices report up at once).
void check_link(port_state& state, std::uint32_t timeout_ms);
void shut_down_port(port_state& state);

// The port's own Ethernet address: the source of every frame we send from it (zero when DPDK
// cannot tell, which only a broken device does).
base::mac_address port_mac_address(std::uint16_t port_id);

}  // namespace hypertick::gw
