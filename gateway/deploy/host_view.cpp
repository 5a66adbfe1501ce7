#include "deploy/host_view.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/lcore_map.hpp"

namespace hypertick::gw {

namespace fs = std::filesystem;

bool host_view::exists(const std::string& absolute) const {
    std::error_code ec;
    return fs::exists(path(absolute), ec);
}

std::optional<std::string> host_view::read(const std::string& absolute) const {
    std::ifstream in(path(absolute));
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<std::string> host_view::first_line(const std::string& absolute) const {
    std::ifstream in(path(absolute));
    std::string line;
    if (!in || !std::getline(in, line)) return std::nullopt;
    return line;
}

std::optional<std::vector<std::uint32_t>> host_view::cpu_list(const std::string& absolute) const {
    const std::optional<std::string> text = read(absolute);
    std::vector<std::uint32_t> cpus;
    if (!text || !parse_cpu_list(*text, cpus)) return std::nullopt;
    return cpus;
}

std::vector<std::string> host_view::list(const std::string& absolute_dir) const {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(path(absolute_dir), ec), end; !ec && it != end; it.increment(ec))
        names.push_back(it->path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::optional<std::string> host_view::link_name(const std::string& absolute_link) const {
    std::error_code ec;
    const fs::path target = fs::read_symlink(path(absolute_link), ec);
    if (ec) return std::nullopt;
    return target.filename().string();
}

}  // namespace hypertick::gw
