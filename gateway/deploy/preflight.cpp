#include "deploy/preflight.hpp"

#include <algorithm>
#include <cinttypes>

#include "deploy/preflight_checks.hpp"

namespace hypertick::gw {

const char* to_string(check_status s) {
    switch (s) {
        case check_status::ok:
            return "ok";
        case check_status::warn:
            return "warn";
        case check_status::fail:
            return "fail";
    }
    return "?";
}

std::size_t preflight_report::count(check_status s) const {
    return static_cast<std::size_t>(std::count_if(
        checks.begin(), checks.end(), [&](const check_result& c) { return c.status == s; }));
}

const check_result* preflight_report::find(const std::string& name) const {
    for (const check_result& c : checks)
        if (c.name == name) return &c;
    return nullptr;
}

namespace preflight_detail {

std::vector<std::uint32_t> cpu_plan::worker_cpus() const {
    std::vector<std::uint32_t> cpus;
    for (const lcore_placement& w : workers) cpus.insert(cpus.end(), w.cpus.begin(), w.cpus.end());
    std::sort(cpus.begin(), cpus.end());
    cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
    return cpus;
}

cpu_plan plan_cpus(const gateway_config& config) {
    cpu_plan plan;
    std::vector<lcore_placement> all;
    std::string why;
    if (!parse_lcore_map(config.eal.lcores, all, why))
        return plan;  // the config loader rejects it first
    const std::vector<std::uint32_t> workers = config.worker_lcores();
    for (const lcore_placement& p : all) {
        if (p.lcore == config.eal.main_lcore) plan.main_cpus = p.cpus;
        if (std::find(workers.begin(), workers.end(), p.lcore) != workers.end())
            plan.workers.push_back(p);
    }
    plan.valid = true;
    return plan;
}

bool has_pci_ports(const gateway_config& config) {
    return std::any_of(config.ports.begin(), config.ports.end(),
                       [](const port_settings& p) { return !p.is_vdev(); });
}

std::string num(std::uint64_t value) {
    return std::to_string(value);
}

}  // namespace preflight_detail

preflight_report run_preflight(const gateway_config& config, const host_view& host) {
    using namespace preflight_detail;
    preflight_report report;
    std::vector<check_result>& out = report.checks;
    check_hugepages(config, host, out);
    check_socket_memory(config, out);
    check_ram(config, host, out);
    check_memlock(config, host, out);
    const cpu_plan plan = plan_cpus(config);
    check_placement(config, plan, host, out);
    check_isolation(plan, host, out);
    check_tickless(plan, host, out);
    check_governor(plan, host, out);
    check_irqs(plan, host, out);
    check_devices(config, host, out);
    return report;
}

void print_preflight(const preflight_report& report, const std::string& config_path,
                     std::FILE* out) {
    std::fprintf(out, "hypertick-gw preflight: %s against this host\n", config_path.c_str());
    for (const check_result& c : report.checks) {
        std::fprintf(out, "  %-4s  %-16s %s\n", to_string(c.status), c.name.c_str(),
                     c.detail.c_str());
        if (!c.fix.empty()) std::fprintf(out, "  %-4s  %-16s fix: %s\n", "", "", c.fix.c_str());
    }
    const std::size_t failed = report.count(check_status::fail);
    const std::size_t warned = report.count(check_status::warn);
    if (failed == 0)
        std::fprintf(out, "host is fit for this configuration (%zu warning(s)): exit 0\n", warned);
    else
        std::fprintf(out, "host is NOT fit: %zu check(s) failed, %zu warning(s): exit 1\n", failed,
                     warned);
}

}  // namespace hypertick::gw
