#include "dpdk/eal_args.hpp"

#include <fstream>
#include <sstream>

namespace hypertick::gw {
namespace {

std::uint64_t read_number(const std::string& path) {
    std::ifstream in(path);
    std::uint64_t v = 0;
    in >> v;
    return in ? v : 0;
}

}  // namespace

hugepage_state read_hugepage_state(const std::string& sys_root, const std::string& proc_root) {
    hugepage_state s;
    const std::string dir = sys_root + "/sys/kernel/mm/hugepages/hugepages-2048kB/";
    s.total_pages = read_number(dir + "nr_hugepages");
    s.free_pages = read_number(dir + "free_hugepages");
    std::ifstream mounts(proc_root + "/proc/mounts");
    std::string line;
    while (std::getline(mounts, line)) {
        std::istringstream fields(line);
        std::string device, point, type;
        fields >> device >> point >> type;
        if (type == "hugetlbfs") s.mounted = true;
    }
    return s;
}

bool plan_eal(const gateway_config& config, const hugepage_state& huge, const std::string& program,
              eal_plan& plan) {
    const eal_settings& eal = config.eal;
    plan.args = {program,
                 "--lcores",
                 eal.lcores,
                 "--main-lcore",
                 std::to_string(eal.main_lcore),
                 "--file-prefix",
                 eal.file_prefix,
                 "--log-level",
                 eal.log_level};
    if (!eal.telemetry) plan.args.push_back("--no-telemetry");
    if (eal.pci_allow.empty()) {
        plan.args.push_back("--no-pci");  // otherwise EAL probes every PCI NIC on the host
    } else {
        for (const std::string& addr : eal.pci_allow)
            plan.args.insert(plan.args.end(), {"-a", addr});
    }
    for (const port_settings& port : config.ports)
        if (port.is_vdev() && !port.created_by_gateway)
            plan.args.insert(plan.args.end(), {"--vdev", port.device});

    const std::uint64_t wanted_pages = (std::uint64_t{eal.memory_mb} << 20) / huge.page_bytes;
    const bool enough = huge.mounted && huge.free_pages >= wanted_pages;
    std::ostringstream why;
    why << huge.free_pages << " free 2 MB hugepages (" << wanted_pages
        << " wanted for eal.memory_mb " << eal.memory_mb << "), hugetlbfs "
        << (huge.mounted ? "mounted" : "not mounted");
    switch (eal.hugepages) {
        case hugepage_mode::disabled:
            plan.use_hugepages = false;
            plan.hugepage_reason = "eal.hugepages is off";
            break;
        case hugepage_mode::required:
            plan.use_hugepages = true;
            plan.hugepage_reason = why.str();
            if (!enough) return false;
            break;
        case hugepage_mode::automatic:
            plan.use_hugepages = enough;
            plan.hugepage_reason = why.str();
            break;
    }
    plan.args.insert(plan.args.end(), {"-m", std::to_string(eal.memory_mb)});
    // Unlink the hugepage files once mapped: the pages go back to the kernel when the process
    // ends, however it ends. Without it every file prefix leaves its pages held in
    // /dev/hugepages until a process with the same prefix starts again. (It rules out DPDK
    // secondary processes such as dpdk-proc-info; telemetry is unaffected.)
    if (plan.use_hugepages) plan.args.push_back("--huge-unlink");
    if (!plan.use_hugepages) {
        // --no-huge cannot be combined with --in-memory; --no-shconf keeps it from sharing.
        plan.args.insert(plan.args.end(), {"--no-huge", "--no-shconf"});
    }
    plan.args.insert(plan.args.end(), eal.extra_args.begin(), eal.extra_args.end());
    return true;
}

}  // namespace hypertick::gw
