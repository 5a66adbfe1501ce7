// Device checks: each configured port is a virtual device or a PCI NIC bound to a DPDK driver.
#include <algorithm>
#include <set>

#include "deploy/preflight_checks.hpp"

namespace hypertick::gw::preflight_detail {
namespace {

// Drivers DPDK's PCI poll-mode drivers can take a NIC from. Mellanox NICs stay on their kernel
// driver (bifurcated model), so mlx4/mlx5 count too.
const std::set<std::string> dpdk_drivers = {"vfio-pci", "uio_pci_generic", "igb_uio", "mlx5_core",
                                            "mlx4_core"};

// "01:00.0" -> "0000:01:00.0"; device arguments after a comma are dropped.
std::string pci_address(const std::string& device) {
    std::string address = device.substr(0, device.find(','));
    if (std::count(address.begin(), address.end(), ':') == 1) address.insert(0, "0000:");
    return address;
}

check_result check_pci_port(const port_settings& port, const host_view& h) {
    const std::string name = cat("device ", port.name);
    const std::string address = pci_address(port.device);
    const std::string dir = cat("/sys/bus/pci/devices/", address);
    const std::string bind = cat("dpdk-devbind.py --bind=vfio-pci ", address,
                                 " (after modprobe vfio-pci; docs/deploy.md)");
    if (!h.exists(dir))
        return {name, check_status::fail, cat("no PCI device ", address, " (", dir, ")"),
                "check the address with dpdk-devbind.py --status"};
    const std::optional<std::string> driver = h.link_name(cat(dir, "/driver"));
    if (!driver) return {name, check_status::fail, cat(address, " is bound to no driver"), bind};
    if (dpdk_drivers.count(*driver) == 0)
        return {
            name, check_status::fail,
            cat(address, " is bound to the kernel driver ", *driver, ", not to a DPDK-capable one"),
            bind};
    if (*driver == "vfio-pci" && !h.exists("/dev/vfio/vfio"))
        return {name, check_status::fail,
                cat(address, " is bound to vfio-pci but /dev/vfio/vfio is missing"),
                "modprobe vfio-pci"};
    return {name, check_status::ok, cat(address, " bound to ", *driver), ""};
}

}  // namespace

void check_devices(const gateway_config& c, const host_view& h, std::vector<check_result>& out) {
    for (const port_settings& port : c.ports) {
        if (port.is_vdev())
            out.push_back({cat("device ", port.name), check_status::ok,
                           cat("virtual device ", port.device.substr(0, port.device.find(',')),
                               ": nothing to bind"),
                           ""});
        else
            out.push_back(check_pci_port(port, h));
    }
}

}  // namespace hypertick::gw::preflight_detail
