// What hypertick-gw prints and writes once the workers have stopped (and the memory plan it
// prints before they start): per-feed and per-lcore counters, device drops, snapshots, the top
// of book and the latency percentiles. Control plane only.
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <string>

#include "config/settings.hpp"
#include "control/latency_log.hpp"
#include "runtime/gateway_resources.hpp"

namespace hypertick::gw {

void print_memory_plan(const resources& r, const gateway_config& c, bool hugepages,
                       spdlog::logger& log);
// Every counter of every feed, lcore and port.
void log_final_counters(const resources& r, const gateway_config& c, spdlog::logger& log);
// One JSON file per feed (docs/book.md schema); false when one could not be written.
bool write_snapshots(const resources& r, const gateway_config& c, const std::string& path,
                     spdlog::logger& log);
void print_top_of_book(const resources& r, const gateway_config& c, std::uint32_t max_lines);
void print_latency(const latency_log& latency);

}  // namespace hypertick::gw
