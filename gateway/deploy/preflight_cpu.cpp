// CPU checks: where the lcores run, isolation, tickless kernel, frequency governor, IRQs.
#include <algorithm>
#include <sstream>

#include "deploy/preflight_checks.hpp"

namespace hypertick::gw::preflight_detail {
namespace {

using cpu_set = std::vector<std::uint32_t>;

bool contains(const cpu_set& set, std::uint32_t cpu) {
    return std::binary_search(set.begin(), set.end(), cpu);
}

cpu_set missing_from(const cpu_set& wanted, const cpu_set& have) {
    cpu_set out;
    for (std::uint32_t cpu : wanted)
        if (!contains(have, cpu)) out.push_back(cpu);
    return out;
}

bool intersects(const cpu_set& a, const cpu_set& b) {
    return std::any_of(a.begin(), a.end(), [&](std::uint32_t cpu) { return contains(b, cpu); });
}

// The CPUs of `key=LIST` on the kernel command line (rcu_nocbs=1-3), empty when absent.
cpu_set cmdline_cpus(const host_view& h, const std::string& key) {
    std::istringstream words(h.read("/proc/cmdline").value_or(""));
    std::string word;
    cpu_set cpus;
    while (words >> word)
        if (word.rfind(cat(key, "="), 0) == 0) parse_cpu_list(word.substr(key.size() + 1), cpus);
    return cpus;
}

std::string describe(const cpu_plan& plan) {
    std::string text = cat("main lcore on CPU ", format_cpu_list(plan.main_cpus));
    for (const lcore_placement& w : plan.workers)
        text += cat("; worker lcore ", num(w.lcore), " on CPU ", format_cpu_list(w.cpus));
    return text;
}

// One worker lcore's placement problem (empty when none); `used` collects the CPUs taken so far.
std::string placement_problem(const lcore_placement& w, const cpu_set& online, cpu_set& used,
                              bool& offline) {
    const std::string who = cat("worker lcore ", num(w.lcore));
    if (const cpu_set off = missing_from(w.cpus, online); !off.empty()) {
        offline = true;
        return cat(who, " is on CPU ", format_cpu_list(off),
                   ", which is not online (online: ", format_cpu_list(online), "); ");
    }
    std::string problem;
    if (w.cpus.size() > 1)
        problem = cat(who, " floats over CPUs ", format_cpu_list(w.cpus), "; ");
    else if (contains(used, w.cpus[0]))
        problem = cat(who, " shares CPU ", num(w.cpus[0]), " with another lcore; ");
    used.insert(used.end(), w.cpus.begin(), w.cpus.end());
    std::sort(used.begin(), used.end());
    return problem;
}

}  // namespace

void check_placement(const gateway_config& c, const cpu_plan& plan, const host_view& h,
                     std::vector<check_result>& out) {
    if (!plan.valid) {
        out.push_back({"lcore-placement", check_status::fail,
                       cat("eal.lcores \"", c.eal.lcores, "\" is not understood"),
                       "see docs/deploy.md"});
        return;
    }
    const cpu_set online = h.cpu_list("/sys/devices/system/cpu/online").value_or(cpu_set{});
    std::string problems;
    bool offline = false;
    cpu_set used = plan.main_cpus;
    for (const lcore_placement& w : plan.workers)
        problems += placement_problem(w, online, used, offline);
    if (problems.empty())
        out.push_back({"lcore-placement", check_status::ok, describe(plan), ""});
    else
        out.push_back(
            {"lcore-placement", offline ? check_status::fail : check_status::warn,
             cat(problems, describe(plan)),
             "give each worker lcore its own online CPU in eal.lcores, e.g. \"0@0,1@2,2@3\""});
}

void check_isolation(const cpu_plan& plan, const host_view& h, std::vector<check_result>& out) {
    const cpu_set isolated = h.cpu_list("/sys/devices/system/cpu/isolated").value_or(cpu_set{});
    const cpu_set workers = plan.worker_cpus();
    const cpu_set loose = missing_from(workers, isolated);
    const std::string found =
        cat("isolated CPUs: ", isolated.empty() ? std::string("none") : format_cpu_list(isolated));
    if (!loose.empty()) {
        out.push_back({"isolation", check_status::warn,
                       cat(found, "; worker CPU(s) ", format_cpu_list(loose),
                           " share the scheduler with everything else"),
                       cat("isolcpus=managed_irq,domain,", format_cpu_list(workers),
                           " on the kernel command line (docs/deploy.md)")});
    } else if (intersects(plan.main_cpus, isolated)) {
        out.push_back({"isolation", check_status::warn,
                       cat(found, "; the main lcore (control plane) is on isolated CPU ",
                           format_cpu_list(plan.main_cpus)),
                       "map eal.main_lcore to a housekeeping CPU (one that is not isolated)"});
    } else {
        out.push_back(
            {"isolation", check_status::ok, cat(found, "; every worker CPU is isolated"), ""});
    }
}

void check_tickless(const cpu_plan& plan, const host_view& h, std::vector<check_result>& out) {
    const std::string workers = format_cpu_list(plan.worker_cpus());
    const std::string fix =
        cat("nohz_full=", workers, " rcu_nocbs=", workers, " on the kernel command line");
    const std::optional<cpu_set> nohz = h.cpu_list("/sys/devices/system/cpu/nohz_full");
    if (!nohz) {
        out.push_back({"tickless", check_status::warn,
                       "no /sys/devices/system/cpu/nohz_full: this kernel has no nohz_full support "
                       "(CONFIG_NO_HZ_FULL)",
                       cat("use a kernel built with CONFIG_NO_HZ_FULL (Debian's is), then ", fix)});
        return;
    }
    const cpu_set ticking = missing_from(plan.worker_cpus(), *nohz);
    const cpu_set callbacks = missing_from(plan.worker_cpus(), cmdline_cpus(h, "rcu_nocbs"));
    if (ticking.empty() && callbacks.empty()) {
        out.push_back(
            {"tickless", check_status::ok, "worker CPUs are nohz_full and rcu_nocbs", ""});
        return;
    }
    std::string found;
    if (!ticking.empty())
        found += cat("worker CPU(s) ", format_cpu_list(ticking), " not in nohz_full; ");
    if (!callbacks.empty())
        found += cat("worker CPU(s) ", format_cpu_list(callbacks), " not in rcu_nocbs");
    out.push_back({"tickless", check_status::warn, found, fix});
}

void check_governor(const cpu_plan& plan, const host_view& h, std::vector<check_result>& out) {
    std::string slow;
    cpu_set unknown;
    for (std::uint32_t cpu : plan.worker_cpus()) {
        const auto governor =
            h.first_line(cat("/sys/devices/system/cpu/cpu", num(cpu), "/cpufreq/scaling_governor"));
        if (!governor)
            unknown.push_back(cpu);
        else if (*governor != "performance")
            slow += cat(" CPU ", num(cpu), " ", *governor);
    }
    if (!slow.empty())
        out.push_back({"governor", check_status::warn,
                       cat("frequency governor not performance:", slow),
                       "cpupower frequency-set -g performance (or echo performance > "
                       "/sys/devices/system/cpu/cpuN/cpufreq/scaling_governor)"});
    else if (!unknown.empty())
        out.push_back({"governor", check_status::warn,
                       cat("no cpufreq interface for CPU ", format_cpu_list(unknown),
                           " (a VM, or no cpufreq driver): cannot check"),
                       "on bare metal, set the BIOS power profile to maximum performance and load "
                       "a cpufreq driver"});
    else
        out.push_back(
            {"governor", check_status::ok, "every worker CPU runs the performance governor", ""});
}

void check_irqs(const cpu_plan& plan, const host_view& h, std::vector<check_result>& out) {
    const cpu_set workers = plan.worker_cpus();
    std::string landing;
    std::size_t irqs = 0, landed = 0;
    for (const std::string& name : h.list("/proc/irq")) {
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        const auto affinity = h.cpu_list(cat("/proc/irq/", name, "/smp_affinity_list"));
        if (!affinity) continue;
        ++irqs;
        if (!intersects(*affinity, workers)) continue;
        if (++landed <= 8) landing += cat(landed > 1 ? ", " : "", name);
    }
    if (irqs == 0) {
        out.push_back({"irq-affinity", check_status::warn,
                       "cannot read /proc/irq/*/smp_affinity_list", "run the preflight as root"});
    } else if (landed == 0) {
        out.push_back({"irq-affinity", check_status::ok,
                       cat(num(irqs), " IRQs, none may land on a worker CPU"), ""});
    } else {
        const std::string cpus = format_cpu_list(workers);
        out.push_back(
            {"irq-affinity", check_status::warn,
             cat(num(landed), " of ", num(irqs), " IRQs may land on worker CPU(s) ", cpus, " (IRQ ",
                 landing, landed > 8 ? ", ..." : "", ")"),
             cat("irqaffinity=<housekeeping CPUs> on the kernel command line, "
                 "IRQBALANCE_BANNED_CPULIST=",
                 cpus,
                 " for irqbalance, or echo <housekeeping CPUs> > /proc/irq/N/smp_affinity_list")});
    }
}

}  // namespace hypertick::gw::preflight_detail
