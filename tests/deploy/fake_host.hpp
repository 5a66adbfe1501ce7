// Fake /proc, /sys and /dev trees for the preflight tests: a tuned host and a bare one.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace hypertick::gw::test {

class fake_host {
  public:
    explicit fake_host(const std::string& root) : root_(root) {
        std::filesystem::remove_all(root_);
        std::filesystem::create_directories(root_);
    }
    const std::string& root() const { return root_; }

    // Writes `text` at `absolute` under the root, creating folders.
    fake_host& file(const std::string& absolute, const std::string& text) {
        const std::filesystem::path p = root_ + absolute;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::trunc) << text;
        return *this;
    }
    fake_host& remove(const std::string& absolute) {
        std::filesystem::remove_all(root_ + absolute);
        return *this;
    }
    // A PCI device folder, bound to `driver` (empty: no driver).
    fake_host& pci_device(const std::string& address, const std::string& driver) {
        const std::string dir = root_ + "/sys/bus/pci/devices/" + address;
        std::filesystem::create_directories(dir);
        std::filesystem::remove(dir + "/driver");
        if (!driver.empty())
            std::filesystem::create_directory_symlink("../../../bus/pci/drivers/" + driver,
                                                      dir + "/driver");
        return *this;
    }
    fake_host& hugepages(int total, int free_pages) {
        file("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages",
             std::to_string(total) + "\n");
        return file("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
                    std::to_string(free_pages) + "\n");
    }
    fake_host& memlock(const std::string& soft, const std::string& cap_eff) {
        file("/proc/self/limits",
             "Limit                     Soft Limit           Hard Limit           Units     \n"
             "Max locked memory         " +
                 soft + "              " + soft + "              bytes     \n");
        return file("/proc/self/status", "Name:\thypertick-gw\nCapEff:\t" + cap_eff + "\n");
    }

    // Eight CPUs, 2-7 isolated, tickless and at full speed; IRQs on 0-1; hugepages; the NIC on
    // vfio-pci.
    static fake_host tuned(const std::string& root) {
        fake_host h(root);
        h.file("/proc/mounts",
               "sysfs /sys sysfs rw 0 0\nhugetlbfs /dev/hugepages hugetlbfs "
               "rw,relatime,pagesize=2M 0 0\n")
            .hugepages(1024, 1024)
            .file("/proc/meminfo", "MemTotal:       65536000 kB\nMemAvailable:   60000000 kB\n")
            .memlock("unlimited", "000001ffffffffff")
            .file("/proc/cmdline",
                  "BOOT_IMAGE=/vmlinuz isolcpus=managed_irq,domain,2-7 nohz_full=2-7 rcu_nocbs=2-7 "
                  "irqaffinity=0-1\n")
            .file("/sys/devices/system/cpu/online", "0-7\n")
            .file("/sys/devices/system/cpu/isolated", "2-7\n")
            .file("/sys/devices/system/cpu/nohz_full", "2-7\n")
            .file("/proc/irq/24/smp_affinity_list", "0-1\n")
            .file("/proc/irq/25/smp_affinity_list", "0\n")
            .file("/dev/vfio/vfio", "")
            .pci_device("0000:01:00.0", "vfio-pci");
        for (int cpu = 0; cpu < 8; ++cpu)
            h.file(
                "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/cpufreq/scaling_governor",
                "performance\n");
        return h;
    }

    // Two CPUs, nothing tuned: no hugetlbfs or hugepages, little memory, a small memlock limit
    // without CAP_IPC_LOCK, no nohz_full support, powersave, IRQs everywhere, the NIC on its
    // kernel driver.
    static fake_host bare(const std::string& root) {
        fake_host h(root);
        h.file("/proc/mounts", "sysfs /sys sysfs rw 0 0\n")
            .hugepages(0, 0)
            .file("/proc/meminfo", "MemTotal:       2048000 kB\nMemAvailable:    300000 kB\n")
            .memlock("8388608", "0000000000000000")
            .file("/proc/cmdline", "BOOT_IMAGE=/vmlinuz quiet\n")
            .file("/sys/devices/system/cpu/online", "0-1\n")
            .file("/sys/devices/system/cpu/isolated", "\n")
            .file("/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave\n")
            .file("/sys/devices/system/cpu/cpu2/cpufreq/scaling_governor", "powersave\n")
            .file("/proc/irq/24/smp_affinity_list", "0-1\n")
            .file("/proc/irq/25/smp_affinity_list", "0-3\n")
            .pci_device("0000:01:00.0", "ixgbe");
        return h;
    }

  private:
    std::string root_;
};

}  // namespace hypertick::gw::test
