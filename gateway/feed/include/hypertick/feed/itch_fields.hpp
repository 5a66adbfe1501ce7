// Field accessor macros for the ITCH 5.0 message views in itch_messages.hpp.
//
// Each view is a template over its byte type: over `const uint8_t` it is a read-only view of a
// received message; over `uint8_t` it also has setters, which the encoder (tests, itch_gen)
// uses. One line per field keeps every view a literal transcription of the specification's
// table, offset included, so a reviewer can check it against the spec at a glance.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "hypertick/base/byte_order.hpp"

namespace hypertick::feed::detail {

// Alpha fields are left-justified and padded with spaces on the right.
inline void store_alpha(uint8_t* p, std::string_view text, uint32_t width) {
    const uint32_t n = text.size() < width ? static_cast<uint32_t>(text.size()) : width;
    std::memcpy(p, text.data(), n);
    std::memset(p + n, ' ', width - n);
}

}  // namespace hypertick::feed::detail

#define HT_WRITABLE requires(!std::is_const_v<Byte>)

#define HT_FIELD_INT(name, bits, offset)                       \
    uint##bits##_t name() const {                              \
        return ::hypertick::base::load_be##bits(p + (offset)); \
    }                                                          \
    void set_##name(uint##bits##_t v) const HT_WRITABLE {      \
        ::hypertick::base::store_be##bits(p + (offset), v);    \
    }

// 48-bit integers are held in uint64_t.
#define HT_FIELD_U48(name, offset)                         \
    uint64_t name() const {                                \
        return ::hypertick::base::load_be48(p + (offset)); \
    }                                                      \
    void set_##name(uint64_t v) const HT_WRITABLE {        \
        ::hypertick::base::store_be48(p + (offset), v);    \
    }

#define HT_FIELD_CHAR(name, offset)             \
    char name() const {                         \
        return static_cast<char>(p[offset]);    \
    }                                           \
    void set_##name(char v) const HT_WRITABLE { \
        p[offset] = static_cast<uint8_t>(v);    \
    }

#define HT_FIELD_ALPHA(name, offset, width)                               \
    std::string_view name() const {                                       \
        return {reinterpret_cast<const char*>(p + (offset)), (width)};    \
    }                                                                     \
    void set_##name(std::string_view v) const HT_WRITABLE {               \
        ::hypertick::feed::detail::store_alpha(p + (offset), v, (width)); \
    }

// The common header of every ITCH 5.0 message: type @0, stock locate @1, tracking number @3,
// timestamp @5 (6 bytes, nanoseconds since midnight). `length` is the exact size of the type.
#define HT_MESSAGE_HEADER(type_char, length_bytes)                                  \
    Byte* p;                                                                        \
    static constexpr char type = (type_char);                                       \
    static constexpr uint16_t length = (length_bytes);                              \
    /* Writes the type byte and zeroes the rest, before the setters fill fields. */ \
    void init() const HT_WRITABLE {                                                 \
        std::memset(p, 0, length);                                                  \
        p[0] = static_cast<uint8_t>(type);                                          \
    }                                                                               \
    HT_FIELD_INT(stock_locate, 16, 1)                                               \
    HT_FIELD_INT(tracking_number, 16, 3)                                            \
    HT_FIELD_U48(timestamp_ns, 5)
