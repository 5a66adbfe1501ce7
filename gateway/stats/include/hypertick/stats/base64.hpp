// Base64 with the standard alphabet and '=' padding (RFC 4648 section 4), as the interval log
// carries histograms.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hypertick::stats {

std::string base64_encode(std::span<const std::uint8_t> bytes);
// Throws format_error naming the first bad character or a bad length.
std::vector<std::uint8_t> base64_decode(std::string_view text);

}  // namespace hypertick::stats
