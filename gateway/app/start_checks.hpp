// What hypertick-gw checks after the configuration has loaded and before anything DPDK starts,
// so that a run that could only fail, or could only lose its output, stops at once with exit 2
// (--check-config runs the same checks): command-line options that would do nothing with this
// configuration, output paths that cannot be written or name an input or another output, an
// EAL runtime folder too long for its telemetry socket, and lcores this host cannot run.
#pragma once

#include <string>

#include "app/cli_options.hpp"
#include "config/settings.hpp"

namespace hypertick::gw {

// Empty when the gateway may start; else the first problem, naming the option or key.
std::string start_problem(const cli_options& options, const gateway_config& config);

// Each piece on its own (tests).
std::string option_problem(const cli_options& options, const gateway_config& config);
std::string output_path_problem(const cli_options& options, const gateway_config& config);
std::string lcore_problem(const gateway_config& config);

// EAL's runtime folder for `file_prefix`: /var/run/dpdk/<prefix> as root, else under
// $XDG_RUNTIME_DIR or /tmp.
std::string eal_runtime_folder(const std::string& file_prefix);

// With eal.telemetry, EAL binds <runtime folder>/dpdk_telemetry.v2, and rte_eal_init fails
// when that path is longer than a unix socket address holds. Empty when it fits.
std::string telemetry_socket_problem(const gateway_config& config);

// Once --replay, --pace and --publish-pcap have swapped the configured devices for virtual
// ones: no net_pcap device reads or writes more than 16 queues, and no net_ring device --pace
// makes has more than 16 of each (the drivers' limits). Empty when they fit.
std::string replay_device_problem(const gateway_config& config);

// With a shared EAL configuration (hugepages), one primary process per file prefix: EAL locks
// <runtime dir>/<prefix>/config. Empty when the prefix is free, else who holds it.
std::string file_prefix_holder(const std::string& file_prefix);

}  // namespace hypertick::gw
