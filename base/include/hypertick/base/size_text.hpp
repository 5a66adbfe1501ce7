// Byte counts as people read them, for logs and reports (never on a worker's hot path).
#pragma once

#include <cstdint>
#include <string>

namespace hypertick::base {

// "12 KiB": rounded up, so anything non-zero reads as at least 1 KiB.
std::string kib(std::uint64_t bytes);

// "12.3 MiB": one decimal.
std::string mib(std::uint64_t bytes);

}  // namespace hypertick::base
