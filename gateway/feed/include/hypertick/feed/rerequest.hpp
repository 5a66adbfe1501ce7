// A MoldUDP64 re-request: which numbers a feed asks its retransmission server for.
#pragma once

#include <cstdint>
#include <cstring>

#include "hypertick/feed/moldudp64.hpp"

namespace hypertick::feed {

inline constexpr uint32_t rerequest_bytes = 20;

struct recovery_request {
    uint64_t first = 0;
    uint16_t count = 0;

    [[nodiscard]] bool contains(uint64_t n) const { return n >= first && n - first < count; }
};

// The 20-byte request: session, first sequence (u64 BE), count (u16 BE).
inline void encode_rerequest(const mold_session& session, const recovery_request& r, uint8_t* out) {
    std::memcpy(out, session.name.data(), mold_session_length);
    for (int i = 0; i < 8; ++i) out[10 + i] = static_cast<uint8_t>(r.first >> (56 - 8 * i));
    out[18] = static_cast<uint8_t>(r.count >> 8);
    out[19] = static_cast<uint8_t>(r.count);
}

}  // namespace hypertick::feed
