// Builds the EAL command line from the configuration and the host's real state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace hypertick::gw {

struct hugepage_state {
    std::uint64_t page_bytes = 2u << 20;
    std::uint64_t total_pages = 0;
    std::uint64_t free_pages = 0;
    bool mounted = false;  // a hugetlbfs mount exists
};

// Reads /sys/kernel/mm/hugepages/hugepages-2048kB and /proc/mounts (paths injectable for tests).
hugepage_state read_hugepage_state(const std::string& sys_root = "",
                                   const std::string& proc_root = "");

struct eal_plan {
    std::vector<std::string> args;  // argv for rte_eal_init, argv[0] included
    bool use_hugepages = false;
    std::string hugepage_reason;  // why hugepages are (not) used, for the start-up report
};

// `vdev_overrides` replaces the device string of ports by name (replay, publish capture).
// Fails (ok = false, reason in hugepage_reason) when hugepages are required but not available.
bool plan_eal(const gateway_config& config, const hugepage_state& huge, const std::string& program,
              eal_plan& plan);

}  // namespace hypertick::gw
