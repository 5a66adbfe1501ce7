// --preflight's checks against fake /proc and /sys trees: a tuned host passes every check, a
// bare one fails or warns on each, and every in-between outcome names what is wrong.
#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "config/lcore_map.hpp"
#include "deploy/preflight.hpp"
#include "fake_host.hpp"

namespace gw = hypertick::gw;
using gw::check_status;
using gw::test::fake_host;

namespace {

// Two feeds of one PCI NIC on worker lcores 1 and 2 (CPUs 2 and 3), control plane on CPU 0.
constexpr const char* nic_config = R"(eal:
  lcores: "0@0,1@2,2@3"
  main_lcore: 0
  hugepages: on
  memory_mb: 1024
  pci: ["0000:01:00.0"]
ports:
  - name: nic0
    device: "0000:01:00.0"
    rx_queues: 2
    tx_queues: 2
    mempool_mbufs: 32767
feeds:
  - {name: a, port: nic0, rx_queue: 0, lcore: 1}
  - {name: b, port: nic0, rx_queue: 1, lcore: 2}
publisher:
  port: nic0
)";

// The default development set-up: virtual devices only, hugepages when present.
constexpr const char* vdev_config = R"(eal:
  lcores: "0@0,1@1"
  hugepages: auto
  memory_mb: 128
books: {max_symbols: 1024, max_orders: 65536, max_levels_per_side: 64}
ports:
  - {name: feed0, device: "net_pcap_feed0,rx_pcap=/dev/null"}
  - {name: pub0, device: "net_null_pub0"}
feeds:
  - {name: itch, port: feed0, lcore: 1}
publisher:
  port: pub0
)";

gw::gateway_config config(const std::string& yaml) {
    gw::config_result r = gw::parse_config(yaml, "test.yaml", {});
    EXPECT_TRUE(r.ok) << r.error.to_string();
    return r.config;
}

std::string scratch(const std::string& name) {
    return std::string(HYPERTICK_TEST_TMP) + "/preflight/" + name;
}

check_status status_of(const gw::preflight_report& r, const std::string& name) {
    const gw::check_result* c = r.find(name);
    EXPECT_NE(c, nullptr) << "no check named " << name;
    return c ? c->status : check_status::ok;
}

std::string detail_of(const gw::preflight_report& r, const std::string& name) {
    const gw::check_result* c = r.find(name);
    return c ? c->detail + " | fix: " + c->fix : "";
}

const std::vector<std::string> every_check = {
    "hugetlbfs", "hugepages", "socket-memory", "ram",          "memlock",    "lcore-placement",
    "isolation", "tickless",  "governor",      "irq-affinity", "device nic0"};

}  // namespace

TEST(Preflight, TunedHostPassesEveryCheck) {
    const fake_host host = fake_host::tuned(scratch("tuned"));
    const gw::preflight_report r =
        gw::run_preflight(config(nic_config), gw::host_view(host.root()));
    ASSERT_EQ(r.checks.size(), every_check.size());
    for (const std::string& name : every_check)
        EXPECT_EQ(status_of(r, name), check_status::ok) << name << ": " << detail_of(r, name);
    EXPECT_TRUE(r.fit());
    EXPECT_EQ(gw::preflight_exit_code(r), 0);
    EXPECT_NE(detail_of(r, "device nic0").find("0000:01:00.0 bound to vfio-pci"),
              std::string::npos);
    EXPECT_NE(detail_of(r, "lcore-placement").find("worker lcore 2 on CPU 3"), std::string::npos);
}

TEST(Preflight, BareHostFailsOrWarnsOnEveryCheck) {
    const fake_host host = fake_host::bare(scratch("bare"));
    std::string yaml = nic_config;
    yaml.replace(yaml.find("memory_mb: 1024"), 15,
                 "memory_mb: 400");  // less than books and pools need, more than the RAM
    const gw::preflight_report r = gw::run_preflight(config(yaml), gw::host_view(host.root()));
    const std::vector<std::pair<std::string, check_status>> expected = {
        {"hugetlbfs", check_status::fail},     {"hugepages", check_status::fail},
        {"socket-memory", check_status::fail}, {"ram", check_status::fail},
        {"memlock", check_status::fail},       {"lcore-placement", check_status::fail},
        {"isolation", check_status::warn},     {"tickless", check_status::warn},
        {"governor", check_status::warn},      {"irq-affinity", check_status::warn},
        {"device nic0", check_status::fail}};
    for (const auto& [name, status] : expected)
        EXPECT_EQ(status_of(r, name), status) << name << ": " << detail_of(r, name);
    for (const gw::check_result& c : r.checks) {
        EXPECT_TRUE(c.status == check_status::ok || !c.fix.empty()) << c.name << " has no fix";
    }
    EXPECT_FALSE(r.fit());
    EXPECT_EQ(gw::preflight_exit_code(r), 1);
    EXPECT_NE(detail_of(r, "lcore-placement").find("CPU 3, which is not online"),
              std::string::npos);
    EXPECT_NE(detail_of(r, "device nic0").find("kernel driver ixgbe"), std::string::npos);
    EXPECT_NE(detail_of(r, "device nic0").find("dpdk-devbind.py --bind=vfio-pci 0000:01:00.0"),
              std::string::npos);
    EXPECT_NE(detail_of(r, "governor").find("CPU 2 powersave"),
              std::string::npos);  // CPU 3 is offline: no file
    EXPECT_NE(detail_of(r, "socket-memory").find("raise eal.memory_mb"), std::string::npos);
    EXPECT_NE(detail_of(r, "tickless").find("no nohz_full support"), std::string::npos);
}

TEST(Preflight, VirtualDevicesOnlyWarnWhereARealNicWouldFail) {
    // No hugepages and a small memlock limit only slow down virtual devices: warnings, still fit.
    fake_host host = fake_host::bare(scratch("vdev"));
    host.file("/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance\n");
    const gw::preflight_report r =
        gw::run_preflight(config(vdev_config), gw::host_view(host.root()));
    EXPECT_EQ(status_of(r, "hugetlbfs"), check_status::warn) << detail_of(r, "hugetlbfs");
    EXPECT_EQ(status_of(r, "hugepages"), check_status::warn) << detail_of(r, "hugepages");
    EXPECT_NE(detail_of(r, "hugepages").find("fall back to --no-huge"), std::string::npos);
    EXPECT_EQ(status_of(r, "memlock"), check_status::warn);
    EXPECT_EQ(status_of(r, "governor"), check_status::ok);
    EXPECT_EQ(status_of(r, "lcore-placement"), check_status::ok);
    EXPECT_EQ(status_of(r, "device feed0"), check_status::ok);
    EXPECT_NE(detail_of(r, "device pub0").find("virtual device net_null_pub0: nothing to bind"),
              std::string::npos);
    for (const gw::check_result& c : r.checks)
        EXPECT_NE(c.status, check_status::fail) << c.name << ": " << c.detail;
    EXPECT_TRUE(r.fit());
}

TEST(Preflight, HugepagesOffNeedsNoMount) {
    std::string yaml = vdev_config;
    yaml.replace(yaml.find("hugepages: auto"), 15, "hugepages: off");
    const fake_host host = fake_host::bare(scratch("off"));
    const gw::preflight_report r = gw::run_preflight(config(yaml), gw::host_view(host.root()));
    EXPECT_EQ(status_of(r, "hugetlbfs"), check_status::ok);
    EXPECT_EQ(status_of(r, "hugepages"), check_status::ok);
}

TEST(Preflight, MissingCpufreqIsAWarningNotAFailure) {
    fake_host host = fake_host::tuned(scratch("vm"));
    host.remove("/sys/devices/system/cpu/cpu2/cpufreq");
    const gw::preflight_report r =
        gw::run_preflight(config(nic_config), gw::host_view(host.root()));
    EXPECT_EQ(status_of(r, "governor"), check_status::warn);
    EXPECT_NE(detail_of(r, "governor").find("no cpufreq interface for CPU 2"), std::string::npos);
    EXPECT_TRUE(r.fit());
}

TEST(Preflight, PartialTuningIsNamed) {
    fake_host host = fake_host::tuned(scratch("partial"));
    host.file("/proc/cmdline", "isolcpus=2-7 nohz_full=2-7\n")  // rcu_nocbs missing
        .file("/proc/irq/26/smp_affinity_list", "0-7\n")        // an IRQ allowed everywhere
        .memlock("65536", "0000000000004000")                   // small limit, CAP_IPC_LOCK
        .pci_device("0000:01:00.0", "");                        // the NIC lost its driver
    const gw::preflight_report r =
        gw::run_preflight(config(nic_config), gw::host_view(host.root()));
    EXPECT_EQ(status_of(r, "tickless"), check_status::warn);
    EXPECT_NE(detail_of(r, "tickless").find("not in rcu_nocbs"), std::string::npos);
    EXPECT_EQ(status_of(r, "irq-affinity"), check_status::warn);
    EXPECT_NE(detail_of(r, "irq-affinity").find("1 of 3 IRQs"), std::string::npos);
    EXPECT_EQ(status_of(r, "memlock"), check_status::warn);
    EXPECT_NE(detail_of(r, "memlock").find("CAP_IPC_LOCK"), std::string::npos);
    EXPECT_EQ(status_of(r, "device nic0"), check_status::fail);
    EXPECT_NE(detail_of(r, "device nic0").find("bound to no driver"), std::string::npos);
}

TEST(Preflight, SharedFloatingAndIsolatedControlCpusWarn) {
    const fake_host host = fake_host::tuned(scratch("placement"));
    std::string yaml = nic_config;
    yaml.replace(yaml.find("\"0@0,1@2,2@3\""), 13, "\"0@2,(1-2)@(3-4)\"");
    const gw::preflight_report r = gw::run_preflight(config(yaml), gw::host_view(host.root()));
    EXPECT_EQ(status_of(r, "lcore-placement"), check_status::warn);
    EXPECT_NE(detail_of(r, "lcore-placement").find("floats over CPUs 3-4"), std::string::npos);
    EXPECT_EQ(status_of(r, "isolation"), check_status::warn);
    EXPECT_NE(detail_of(r, "isolation").find("main lcore (control plane) is on isolated CPU 2"),
              std::string::npos);
}

TEST(Preflight, PciDeviceThatDoesNotExistFails) {
    fake_host host = fake_host::tuned(scratch("nodevice"));
    host.remove("/sys/bus/pci/devices/0000:01:00.0");
    const gw::preflight_report r =
        gw::run_preflight(config(nic_config), gw::host_view(host.root()));
    EXPECT_EQ(status_of(r, "device nic0"), check_status::fail);
    EXPECT_NE(detail_of(r, "device nic0").find("no PCI device 0000:01:00.0"), std::string::npos);
}

TEST(LcoreMap, EalSyntaxToCpus) {
    std::vector<gw::lcore_placement> p;
    std::string why;
    ASSERT_TRUE(gw::parse_lcore_map("0@0,1@1", p, why)) << why;
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[1].lcore, 1u);
    EXPECT_EQ(p[1].cpus, std::vector<std::uint32_t>{1});
    ASSERT_TRUE(gw::parse_lcore_map("0-3", p, why)) << why;  // a bare range: lcore n on CPU n
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(p[3].cpus, std::vector<std::uint32_t>{3});
    ASSERT_TRUE(gw::parse_lcore_map("(0-3)@(0-1)", p, why)) << why;
    EXPECT_EQ(p[2].cpus, (std::vector<std::uint32_t>{0, 1}));
    ASSERT_TRUE(gw::parse_lcore_map("(0-1)", p, why)) << why;  // a group without '@' shares its set
    EXPECT_EQ(p[0].cpus, (std::vector<std::uint32_t>{0, 1}));
    ASSERT_TRUE(gw::parse_lcore_map("0@0,1@(2,4-5)", p, why)) << why;
    EXPECT_EQ(p[1].cpus, (std::vector<std::uint32_t>{2, 4, 5}));
    EXPECT_FALSE(gw::parse_lcore_map("1@", p, why));
    EXPECT_FALSE(gw::parse_lcore_map("(0-3@0", p, why));
    EXPECT_FALSE(gw::parse_lcore_map("a@1", p, why));
}

TEST(LcoreMap, KernelCpuLists) {
    std::vector<std::uint32_t> cpus;
    ASSERT_TRUE(gw::parse_cpu_list("1-3,5\n", cpus));
    EXPECT_EQ(cpus, (std::vector<std::uint32_t>{1, 2, 3, 5}));
    EXPECT_EQ(gw::format_cpu_list(cpus), "1-3,5");
    cpus.clear();
    ASSERT_TRUE(gw::parse_cpu_list("\n", cpus));  // /sys/devices/system/cpu/isolated with none
    EXPECT_TRUE(cpus.empty());
    EXPECT_FALSE(gw::parse_cpu_list("3-1", cpus));
}
