// HdrHistogram's variable-length integers: ZigZag (so small negatives are short too), then
// LEB128 with 7 bits per byte for the first 8 bytes and all 8 bits in a 9th, so any 64-bit
// value fits in at most 9 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace hypertick::stats {

inline constexpr std::size_t zigzag_max_bytes = 9;

void zigzag_append(std::int64_t value, std::vector<std::uint8_t>& out);
// Reads one value at `pos` and advances it. Throws format_error when the bytes end mid-value.
std::int64_t zigzag_read(std::span<const std::uint8_t> bytes, std::size_t& pos);

}  // namespace hypertick::stats
