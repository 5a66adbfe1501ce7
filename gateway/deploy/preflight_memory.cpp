// Memory checks: hugetlbfs, hugepages, EAL socket memory, book memory, the memlock limit.
#include <cstdlib>
#include <optional>
#include <sstream>

#include "deploy/preflight_checks.hpp"
#include "dpdk/eal_args.hpp"
#include "worker/worker.hpp"

namespace hypertick::gw::preflight_detail {
namespace {

constexpr const char* hugepage_fix =
    "reserve them at boot (/usr/share/hypertick/deploy/sysctl.d/80-hypertick-hugepages.conf in "
    "/etc/sysctl.d, or hugepages=N on the kernel command line), or now: echo N > "
    "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages";

// Without hugepages: a real NIC cannot work (it DMAs into pinned hugepage memory), `required`
// refuses to start, `auto` falls back to --no-huge and runs, slower.
check_status missing_hugepages_status(const gateway_config& c) {
    return c.eal.hugepages == hugepage_mode::required || has_pci_ports(c) ? check_status::fail
                                                                          : check_status::warn;
}

std::string hugetlbfs_mounts(const host_view& h) {
    std::istringstream mounts(h.read("/proc/mounts").value_or(""));
    std::string line, found;
    while (std::getline(mounts, line)) {
        std::istringstream f(line);
        std::string device, point, type, options;
        f >> device >> point >> type >> options;
        if (type == "hugetlbfs") found += cat(found.empty() ? "" : ", ", point, " (", options, ")");
    }
    return found;
}

// A field of /proc/self/limits ("Max locked memory  8388608  8388608  bytes"): the soft limit.
std::optional<std::uint64_t> memlock_soft_limit(const host_view& h, bool& unlimited) {
    std::istringstream limits(h.read("/proc/self/limits").value_or(""));
    std::string line;
    while (std::getline(limits, line)) {
        if (line.rfind("Max locked memory", 0) != 0) continue;
        std::istringstream f(line.substr(17));
        std::string soft;
        f >> soft;
        unlimited = soft == "unlimited";
        return unlimited ? 0 : std::strtoull(soft.c_str(), nullptr, 10);
    }
    return std::nullopt;
}

// CAP_IPC_LOCK (bit 14 of CapEff in /proc/self/status) lets a process lock memory past the limit.
bool has_ipc_lock(const host_view& h) {
    std::istringstream status(h.read("/proc/self/status").value_or(""));
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("CapEff:", 0) == 0)
            return (std::strtoull(line.c_str() + 7, nullptr, 16) >> 14) & 1;
    return false;
}

}  // namespace

void check_hugepages(const gateway_config& c, const host_view& h, std::vector<check_result>& out) {
    if (c.eal.hugepages == hugepage_mode::disabled) {
        out.push_back({"hugetlbfs", check_status::ok, "not needed: eal.hugepages is off", ""});
        if (has_pci_ports(c))
            out.push_back(
                {"hugepages", check_status::warn,
                 "eal.hugepages is off but a port is a PCI NIC: --no-huge is not meant for DMA",
                 cat("set eal.hugepages: on and ", hugepage_fix)});
        else
            out.push_back({"hugepages", check_status::ok,
                           "off: --no-huge over 4 KiB pages (virtual devices only)", ""});
        return;
    }
    const std::string mounts = hugetlbfs_mounts(h);
    if (mounts.empty())
        out.push_back({"hugetlbfs", missing_hugepages_status(c),
                       "no hugetlbfs mount in /proc/mounts",
                       "systemctl enable --now dev-hugepages.mount (systemd ships it), or: mount "
                       "-t hugetlbfs nodev /dev/hugepages"});
    else
        out.push_back({"hugetlbfs", check_status::ok, cat("mounted at ", mounts), ""});

    const hugepage_state state = read_hugepage_state(h.root(), h.root());
    const std::uint64_t wanted = (std::uint64_t{c.eal.memory_mb} << 20) / state.page_bytes;
    const std::string found =
        cat(num(state.free_pages), " of ", num(state.total_pages),
            " 2 MB hugepages free; eal.memory_mb ", num(c.eal.memory_mb), " needs ", num(wanted));
    if (state.free_pages >= wanted)
        out.push_back({"hugepages", check_status::ok, found, ""});
    else
        out.push_back(
            {"hugepages", missing_hugepages_status(c),
             cat(found, c.eal.hugepages == hugepage_mode::automatic
                            ? " (auto: would fall back to --no-huge)"
                            : ""),
             cat(hugepage_fix, " with N >= ", num(wanted + state.total_pages - state.free_pages))});
}

void check_socket_memory(const gateway_config& c, std::vector<check_result>& out) {
    const memory_plan m = plan_memory(c);
    const std::string parts = cat("~", mib(m.socket_bytes()), " (", memory_parts_text(m),
                                  ") of eal.memory_mb ", num(c.eal.memory_mb), " MiB");
    if (memory_budget_problem(m, c.eal.memory_mb).empty())
        out.push_back({"socket-memory", check_status::ok, parts, ""});
    else
        out.push_back({"socket-memory", check_status::fail, parts,
                       cat("raise eal.memory_mb to at least ", num(memory_mb_needed(m)),
                           " (and the hugepages with it), or lower books.* capacities, "
                           "ports[].mempool_mbufs, recovery.hold_capacity or verify_window")});
}

// Without hugepages EAL takes eal.memory_mb (books, pools, histograms: everything of the
// workers) from ordinary memory; with them, hugepages are reserved apart from MemAvailable.
void check_ram(const gateway_config& c, const host_view& h, std::vector<check_result>& out) {
    std::istringstream meminfo(h.read("/proc/meminfo").value_or(""));
    std::string key;
    std::uint64_t kib = 0, available = 0;
    bool known = false;
    while (meminfo >> key >> kib) {
        if (key == "MemAvailable:") {
            available = kib << 10;
            known = true;
        }
        meminfo.ignore(64, '\n');
    }
    const hugepage_state state = read_hugepage_state(h.root(), h.root());
    const std::uint64_t wanted_pages = (std::uint64_t{c.eal.memory_mb} << 20) / state.page_bytes;
    const bool on_hugepages = c.eal.hugepages != hugepage_mode::disabled && state.mounted &&
                              state.free_pages >= wanted_pages;
    if (on_hugepages) {
        out.push_back(
            {"ram", check_status::ok,
             "the socket memory (eal.memory_mb) comes from hugepages, not from MemAvailable", ""});
        return;
    }
    const std::uint64_t needed = std::uint64_t{c.eal.memory_mb} << 20;
    const std::string found =
        cat("without hugepages EAL takes eal.memory_mb ", num(c.eal.memory_mb),
            " MiB (books, pools, histograms) from ordinary memory");
    const std::string fix =
        "reserve hugepages, or lower eal.memory_mb with books.* capacities, or add memory";
    if (!known)
        out.push_back({"ram", check_status::warn,
                       cat(found, "; MemAvailable unreadable in /proc/meminfo"), ""});
    else if (needed > available)
        out.push_back({"ram", check_status::fail,
                       cat(found, " but only ", mib(available), " is available"), fix});
    else if (needed > available / 2)
        out.push_back({"ram", check_status::warn,
                       cat(found, ", over half of the ", mib(available), " available"), fix});
    else
        out.push_back(
            {"ram", check_status::ok, cat(found, "; ", mib(available), " available"), ""});
}

void check_memlock(const gateway_config& c, const host_view& h, std::vector<check_result>& out) {
    // VFIO pins every DMA-mapped page: the whole EAL memory counts against RLIMIT_MEMLOCK.
    const std::uint64_t needed = std::uint64_t{c.eal.memory_mb} << 20;
    bool unlimited = false;
    const std::optional<std::uint64_t> limit = memlock_soft_limit(h, unlimited);
    const std::string fix =
        "run it as the service (LimitMEMLOCK=infinity), or: ulimit -l unlimited";
    if (!limit) {
        out.push_back({"memlock", check_status::warn,
                       "cannot read \"Max locked memory\" from /proc/self/limits", fix});
    } else if (unlimited || *limit >= needed) {
        out.push_back({"memlock", check_status::ok,
                       unlimited ? "unlimited" : cat(mib(*limit), " >= ", mib(needed)), ""});
    } else {
        std::string found = cat("this process may lock ", mib(*limit), ", below the ", mib(needed),
                                " of eal.memory_mb");
        const bool lock_ok = has_ipc_lock(h);
        if (lock_ok) found += "; it has CAP_IPC_LOCK, which overrides the limit";
        out.push_back({"memlock",
                       lock_ok || !has_pci_ports(c) ? check_status::warn : check_status::fail,
                       found, fix});
    }
}

}  // namespace hypertick::gw::preflight_detail
