// Big-endian loads and stores over unaligned bytes. Every integer on the wire (Ethernet, IPv4,
// UDP, MoldUDP64, ITCH 5.0) is big-endian and nothing is aligned, so all access goes through
// memcpy, which the compiler turns into one load plus a byte swap.
#pragma once

#include <cstdint>
#include <cstring>

namespace hypertick::base {

inline uint16_t load_be16(const uint8_t* p) {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return __builtin_bswap16(v);
}

inline uint32_t load_be32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return __builtin_bswap32(v);
}

inline uint64_t load_be64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return __builtin_bswap64(v);
}

// ITCH timestamps are 6-byte unsigned integers (nanoseconds since midnight).
inline uint64_t load_be48(const uint8_t* p) {
    return (uint64_t{load_be16(p)} << 32) | load_be32(p + 2);
}

inline void store_be16(uint8_t* p, uint16_t v) {
    v = __builtin_bswap16(v);
    std::memcpy(p, &v, sizeof v);
}

inline void store_be32(uint8_t* p, uint32_t v) {
    v = __builtin_bswap32(v);
    std::memcpy(p, &v, sizeof v);
}

inline void store_be64(uint8_t* p, uint64_t v) {
    v = __builtin_bswap64(v);
    std::memcpy(p, &v, sizeof v);
}

inline void store_be48(uint8_t* p, uint64_t v) {
    store_be16(p, static_cast<uint16_t>(v >> 32));
    store_be32(p + 2, static_cast<uint32_t>(v));
}

}  // namespace hypertick::base
