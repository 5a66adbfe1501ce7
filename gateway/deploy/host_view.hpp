// Read-only access to a host's /proc, /sys and /dev under a root folder, so the preflight checks
// run against the real machine (root "") or against a fake tree in tests (root "/tmp/x": then
// /proc/meminfo is read from /tmp/x/proc/meminfo).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hypertick::gw {

class host_view {
  public:
    explicit host_view(std::string root = "") : root_(std::move(root)) {}

    [[nodiscard]] const std::string& root() const { return root_; }
    // The path under the root, e.g. "/proc/mounts" -> "<root>/proc/mounts".
    [[nodiscard]] std::string path(const std::string& absolute) const { return root_ + absolute; }
    [[nodiscard]] bool exists(const std::string& absolute) const;
    // The whole file, or nullopt when it cannot be read.
    [[nodiscard]] std::optional<std::string> read(const std::string& absolute) const;
    // The first line without its newline, or nullopt.
    [[nodiscard]] std::optional<std::string> first_line(const std::string& absolute) const;
    // A kernel CPU list file ("1-3,5"); nullopt when absent or not a CPU list.
    [[nodiscard]] std::optional<std::vector<std::uint32_t>> cpu_list(
        const std::string& absolute) const;
    // Names of the entries of a folder (empty when it cannot be read), sorted.
    [[nodiscard]] std::vector<std::string> list(const std::string& absolute_dir) const;
    // The last component of a symbolic link's target (a device's driver), or nullopt.
    [[nodiscard]] std::optional<std::string> link_name(const std::string& absolute_link) const;

  private:
    std::string root_;
};

}  // namespace hypertick::gw
