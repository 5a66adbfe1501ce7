// The memory plan against what start-up actually made: every mempool's size and object
// footprint as DPDK laid it out, every worker's books, hold windows, latency histograms and
// event ring. The plan is what --preflight and the printed plan report, so a difference is a bug
// in the plan (or a DPDK whose layout the plan does not know), found before the workers launch.
#pragma once

#include <string>
#include <vector>

#include "runtime/gateway_resources.hpp"

namespace hypertick::gw {

// One line per difference, naming the allocation and both figures; empty when they agree.
std::vector<std::string> allocation_mismatches(const resources& r);

}  // namespace hypertick::gw
