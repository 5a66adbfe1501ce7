// Reads the gateway's YAML configuration into gateway_config and validates all of it before
// anything starts. The first problem found is reported with the key's path and its position in
// the file, e.g.  config/feed.yaml:14:11: feeds[0].lcore: lcore 5 is not in eal.lcores "0@0,1@1"
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "config/settings.hpp"

namespace hypertick::gw {

struct config_error {
    std::string file;
    int line = 0;     // 1-based; 0 when the problem has no position (e.g. the file is missing)
    int column = 0;   // 1-based
    std::string key;  // e.g. "feeds[0].lcore"
    std::string message;

    [[nodiscard]] std::string to_string() const;
};

struct config_result {
    gateway_config config;
    bool ok = false;
    config_error error;
};

// The largest configuration file load_config reads: the longest real one is a few KiB.
inline constexpr std::uint64_t max_config_bytes = 1 << 20;

// Reads a regular file of at most max_config_bytes; anything else is an error naming what the
// path is. `variables` are substituted for ${name} in port device strings (e.g. sample_capture).
config_result load_config(const std::string& path,
                          const std::map<std::string, std::string>& variables);
config_result parse_config(const std::string& yaml_text, const std::string& file_name,
                           const std::map<std::string, std::string>& variables);

// The lcore ids named by a DPDK --lcores string ("0@0,1@1", "0-3", "(0-3)@(0-1)", "0,2").
// Returns false with a reason when the string is not understood.
bool parse_lcore_list(const std::string& text, std::vector<std::uint32_t>& lcores,
                      std::string& why);

bool parse_ipv4(const std::string& text, std::uint32_t& address);
std::string format_ipv4(std::uint32_t address);

}  // namespace hypertick::gw
