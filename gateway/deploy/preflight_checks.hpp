// The preflight's checks, grouped by what they look at (private to gateway/deploy).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/lcore_map.hpp"
#include "deploy/preflight.hpp"
#include "hypertick/base/size_text.hpp"

namespace hypertick::gw::preflight_detail {

// What the configuration asks of the host's CPUs.
struct cpu_plan {
    bool valid = false;  // eal.lcores was understood
    std::vector<std::uint32_t> main_cpus;
    std::vector<lcore_placement> workers;                          // only the lcores that own feeds
    [[nodiscard]] std::vector<std::uint32_t> worker_cpus() const;  // ascending, unique
};
cpu_plan plan_cpus(const gateway_config& config);

bool has_pci_ports(const gateway_config& config);

// Joins pieces by appending: chains of `"text" + std::string` trip a g++ 12 -Wrestrict false
// positive (the same workaround as tools/itch_gen/receiver_model.cpp).
template <class... Pieces>
std::string cat(const Pieces&... pieces) {
    std::string out;
    ((out += pieces), ...);
    return out;
}
std::string num(std::uint64_t value);  // std::to_string, shorter in messages
using base::mib;                       // "12.3 MiB"

// preflight_memory.cpp
void check_hugepages(const gateway_config& c, const host_view& h, std::vector<check_result>& out);
void check_socket_memory(const gateway_config& c, std::vector<check_result>& out);
void check_ram(const gateway_config& c, const host_view& h, std::vector<check_result>& out);
void check_memlock(const gateway_config& c, const host_view& h, std::vector<check_result>& out);

// preflight_cpu.cpp
void check_placement(const gateway_config& c, const cpu_plan& plan, const host_view& h,
                     std::vector<check_result>& out);
void check_isolation(const cpu_plan& plan, const host_view& h, std::vector<check_result>& out);
void check_tickless(const cpu_plan& plan, const host_view& h, std::vector<check_result>& out);
void check_governor(const cpu_plan& plan, const host_view& h, std::vector<check_result>& out);
void check_irqs(const cpu_plan& plan, const host_view& h, std::vector<check_result>& out);

// preflight_devices.cpp
void check_devices(const gateway_config& c, const host_view& h, std::vector<check_result>& out);

}  // namespace hypertick::gw::preflight_detail
