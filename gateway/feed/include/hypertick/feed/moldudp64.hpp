// MoldUDP64 downstream packets: a 20-byte header (session, sequence number of the first
// message, message count) followed by `count` blocks of (uint16 BE length, message bytes).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "hypertick/base/byte_order.hpp"

namespace hypertick::feed {

inline constexpr uint32_t mold_session_length = 10;
inline constexpr uint32_t mold_header_length = 20;
inline constexpr uint32_t mold_length_prefix = 2;
// A count of 0xFFFF marks end of session; a count of 0 is a heartbeat.
inline constexpr uint16_t mold_end_of_session_count = 0xffff;

// The 10-byte, space-padded session name, compared as raw bytes.
struct mold_session {
    std::array<char, mold_session_length> name{};

    static mold_session from_bytes(const uint8_t* p) {
        mold_session s;
        std::memcpy(s.name.data(), p, mold_session_length);
        return s;
    }
    static mold_session from_text(std::string_view text) {
        mold_session s;
        s.name.fill(' ');
        std::memcpy(s.name.data(), text.data(),
                    text.size() < mold_session_length ? text.size() : mold_session_length);
        return s;
    }
    std::string_view view() const { return {name.data(), name.size()}; }
    bool operator==(const mold_session&) const = default;
};

struct mold_header {
    const uint8_t* p;  // at least mold_header_length readable bytes

    mold_session session() const { return mold_session::from_bytes(p); }
    uint64_t sequence() const { return base::load_be64(p + 10); }
    uint16_t count() const { return base::load_be16(p + 18); }
};

}  // namespace hypertick::feed
