// Checks of the EAL values the configuration passes through to rte_eal_init (eal.log_level,
// eal.file_prefix, eal.extra_args), so that a bad one is a configuration error naming its key (exit
// 2) before anything starts, never EAL's usage text at start-up. Pure: no DPDK, no host.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hypertick::gw {

// DPDK 22.11's --log-level: LEVEL or PATTERN:LEVEL, LEVEL one of emergency, alert, critical,
// error, warning, notice, info, debug, or 1-8. Empty when fine, else what is wrong.
std::string eal_log_level_problem(const std::string& text);

// eal.file_prefix names EAL's runtime folder and begins every hugepage file's name
// ("<prefix>map_<n>"): letters, digits, '.', '_' and '-' only (a '/' would be a path), not "."
// or "..", and short enough that a hugepage file's name fits NAME_MAX. Empty when fine, else
// what is wrong. The runtime folder's socket path depends on the user: start_checks checks it.
std::string eal_file_prefix_problem(const std::string& prefix);

// eal.extra_args as argv elements: every one must be an EAL option this DPDK knows, with its
// value when it takes one, and not one the gateway sets from another key (eal.lcores, ports,
// ...). Returns empty when fine, else what is wrong; `index` is the offending element.
std::string eal_extra_args_problem(const std::vector<std::string>& args, std::size_t& index);

// DPDK pads every mempool object to a number of cache lines that shares no factor with
// memory channels x ranks (EAL's -n and -r, 4 and 1 when not given), so consecutive objects
// start on different channels. The product eal.extra_args gives; they are checked first.
std::uint32_t eal_memory_spread(const std::vector<std::string>& args);

// What in `text` DPDK's device arguments ("net_pcap_x,rx_pcap=PATH") would read as syntax, as
// "','" or "a control character"; empty when `text` can be carried as one value. Device
// arguments have no quoting.
std::string device_argument_problem(const std::string& text);

// A PCI address as EAL reads it: DDDD:BB:DD.F or BB:DD.F (hex), optionally followed by
// ",devargs". Returns the address in its full DDDD:BB:DD.F form (lower case), or empty.
std::string canonical_pci_address(const std::string& text);

}  // namespace hypertick::gw
