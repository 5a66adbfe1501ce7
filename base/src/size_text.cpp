#include "hypertick/base/size_text.hpp"

#include <cstdio>

namespace hypertick::base {

std::string kib(std::uint64_t bytes) {
    return std::to_string(bytes / 1024 + (bytes % 1024 != 0)) + " KiB";
}

std::string mib(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

}  // namespace hypertick::base
