// hypertick-gw from start to exit, shaped like DPDK's l2fwd: validate the configuration, init
// EAL, create mempools, bring up ports, build one worker per lcore, launch, run the control
// plane until asked to stop (signal, --duration, end of a replay), stop the workers, write the
// final report and snapshot, stop and close the ports, clean up EAL.
#pragma once

#include "app/cli_options.hpp"
#include "config/settings.hpp"

namespace hypertick::gw {

// Returns the process exit code.
int run_gateway(const cli_options& options, gateway_config config);

}  // namespace hypertick::gw
