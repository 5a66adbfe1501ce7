#include "hypertick/stats/zigzag_leb128.hpp"

#include "hypertick/stats/format_error.hpp"

namespace hypertick::stats {

void zigzag_append(std::int64_t value, std::vector<std::uint8_t>& out) {
    std::uint64_t bits =
        (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
    for (std::size_t i = 0; i < zigzag_max_bytes - 1; ++i) {
        if (bits < 0x80) {
            out.push_back(static_cast<std::uint8_t>(bits));
            return;
        }
        out.push_back(static_cast<std::uint8_t>(bits | 0x80));
        bits >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(bits));  // the 9th byte carries 8 bits
}

std::int64_t zigzag_read(std::span<const std::uint8_t> bytes, std::size_t& pos) {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < zigzag_max_bytes; ++i) {
        if (pos >= bytes.size()) throw format_error("histogram payload ends inside a count");
        const std::uint8_t byte = bytes[pos++];
        if (i == zigzag_max_bytes - 1) {
            bits |= std::uint64_t{byte} << 56;
            break;
        }
        bits |= std::uint64_t{byte & 0x7fU} << (7 * i);
        if ((byte & 0x80) == 0) break;
    }
    return static_cast<std::int64_t>(bits >> 1) ^ -static_cast<std::int64_t>(bits & 1);
}

}  // namespace hypertick::stats
