// Where DPDK's --lcores string places each lcore: on which CPU or CPU set.
//
// The syntax is EAL's: elements `LCORES[@CPUS]` separated by commas, where LCORES and CPUS are a
// number, a range "N-M" or a parenthesised list "(N,M-K)". Without '@', a bare range "0-3" puts
// lcore n on CPU n; a group "(0-3)" puts every lcore of the group on the whole set {0..3}.
// Examples: "0@0,1@1" (lcore 1 on CPU 1), "0-3" (lcore n on CPU n), "(0-3)@(0-1)" (four lcores
// floating over CPUs 0 and 1). The preflight uses this to know which CPUs the workers poll on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hypertick::gw {

struct lcore_placement {
    std::uint32_t lcore = 0;
    std::vector<std::uint32_t> cpus;  // ascending, never empty
};

// Sorted by lcore, each lcore once (a later element overrides an earlier one, as in EAL).
// Returns false with a reason when the string is not understood.
bool parse_lcore_map(const std::string& text, std::vector<lcore_placement>& placements,
                     std::string& why);

// A kernel CPU list as in /sys/devices/system/cpu/isolated or isolcpus=: "1-3,5" (empty: none).
// Also reads one parenthesised group "(0-3,5)". Appends ascending, de-duplicated ids.
bool parse_cpu_list(const std::string& text, std::vector<std::uint32_t>& cpus);

// "0-3,5" from ascending ids (the kernel's own notation, for messages and fixes).
std::string format_cpu_list(const std::vector<std::uint32_t>& cpus);

}  // namespace hypertick::gw
