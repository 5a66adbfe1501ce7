// hypertick-gw --preflight: checks this host against a configuration before anything starts.
//
// Each check reports ok, warn (the gateway runs, but not as it should on a production host) or
// fail (the gateway will not start, or will not work, as configured), with the fix. Nothing
// here initialises DPDK: it only reads the configuration and the host's /proc, /sys and /dev,
// through a host_view so tests can point it at a fake tree. docs/deploy.md lists the checks.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "deploy/host_view.hpp"

namespace hypertick::gw {

enum class check_status : std::uint8_t { ok, warn, fail };
const char* to_string(check_status s);

struct check_result {
    std::string name;  // short and stable, e.g. "hugepages", "isolation", "device feed0"
    check_status status = check_status::ok;
    std::string detail;  // what was found
    std::string fix;     // what to do (empty when ok)
};

struct preflight_report {
    std::vector<check_result> checks;

    [[nodiscard]] std::size_t count(check_status s) const;
    [[nodiscard]] const check_result* find(const std::string& name) const;
    // Fit: no check failed (warnings allowed).
    [[nodiscard]] bool fit() const { return count(check_status::fail) == 0; }
};

preflight_report run_preflight(const gateway_config& config, const host_view& host);

// One line per check, its fix below it, then the verdict.
void print_preflight(const preflight_report& report, const std::string& config_path,
                     std::FILE* out);

// The process exit code of --preflight: 0 fit (warnings allowed), 1 some check failed.
inline int preflight_exit_code(const preflight_report& report) {
    return report.fit() ? 0 : 1;
}

}  // namespace hypertick::gw
