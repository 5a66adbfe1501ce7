// pcapng (the pcapng specification's block layout): every block is
//   type (4) | total length (4) | body | total length (4)
// in the byte order the section header's byte-order magic announces. Interfaces are described
// by IDBs before the packets that name them; a new section forgets them.
#include <cstring>

#include "hypertick/base/assert.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace hypertick::feed {

namespace {

constexpr uint32_t byte_order_magic = 0x1a2b3c4d;
constexpr uint32_t block_interface = 1;
constexpr uint32_t block_obsolete_packet = 2;
constexpr uint32_t block_simple_packet = 3;
constexpr uint32_t block_enhanced_packet = 6;
constexpr uint32_t block_minimum_length = 12;
constexpr uint32_t section_minimum_length = 28;
constexpr uint16_t option_end = 0;
constexpr uint16_t option_timestamp_resolution = 9;
constexpr uint16_t option_timestamp_offset = 14;

uint32_t padded4(uint32_t n) {
    return (n + 3u) & ~3u;
}

std::string block_at(uint64_t offset) {
    return "the block at byte " + std::to_string(offset);
}

}  // namespace

uint64_t pcap_reader::interface_time_ns(const capture_interface& interface, uint64_t units) const {
    constexpr uint64_t ns_per_second = 1'000'000'000;
    uint64_t ns;
    if (interface.binary_resolution) {
        const unsigned shift = static_cast<unsigned>(__builtin_ctzll(interface.units_per_second));
        ns =
            static_cast<uint64_t>((static_cast<unsigned __int128>(units) * ns_per_second) >> shift);
    } else if (interface.units_per_second <= ns_per_second) {
        ns = units * (ns_per_second / interface.units_per_second);
    } else {
        ns = units / (interface.units_per_second / ns_per_second);
    }
    return ns + static_cast<uint64_t>(interface.offset_seconds) * ns_per_second;
}

// Reads the section header at `at` (whose type is already known) and moves past it.
// Returns false with error_ set (without the read/stop summary: the caller adds it).
bool pcap_reader::read_section_header(uint64_t at) {
    const uint64_t remaining = image_.size() - at;
    const uint8_t* p = image_.data() + at;
    if (remaining < section_minimum_length) {
        error_ = "the section header at byte " + std::to_string(at) +
                 " is cut: " + std::to_string(remaining) + " of at least 28 bytes";
        return false;
    }
    uint32_t magic;
    std::memcpy(&magic, p + 8, sizeof magic);
    if (magic != byte_order_magic && magic != __builtin_bswap32(byte_order_magic)) {
        error_ = "the section header at byte " + std::to_string(at) +
                 " has no byte-order magic (0x1a2b3c4d)";
        return false;
    }
    swapped_ = magic != byte_order_magic;
    const uint32_t length = load32(p + 4);
    if (length < section_minimum_length || length % 4 != 0 || length > remaining ||
        load32(p + length - 4) != length) {
        error_ = "the section header at byte " + std::to_string(at) + " is " +
                 (length > remaining && length % 4 == 0
                      ? "cut: " + std::to_string(remaining) + " of its " + std::to_string(length) +
                            " bytes"
                      : "damaged: bad block length " + std::to_string(length));
        return false;
    }
    if (load16(p + 12) != 1) {
        error_ = "the section header at byte " + std::to_string(at) + " has version " +
                 std::to_string(load16(p + 12)) + "." + std::to_string(load16(p + 14)) +
                 ", not 1.x";
        return false;
    }
    interfaces_.clear();
    offset_ = at + length;
    return true;
}

bool pcap_reader::read_interface(const uint8_t* body, uint32_t body_length) {
    const std::string which =
        "interface " + std::to_string(interfaces_.size()) + " (" + block_at(offset_) + ")";
    if (body_length < 8) {
        error_ =
            which + " is damaged: " + std::to_string(body_length) + " bytes of body, fewer than 8";
        return false;
    }
    const uint32_t linktype = load16(body);
    if (linktype != pcap_linktype_ethernet) {
        error_ = which + " has link type " + std::to_string(linktype) + ", not Ethernet (1)";
        return false;
    }
    capture_interface interface;
    interface.snaplen = load32(body + 4);
    for (uint32_t at = 8; at + 4 <= body_length;) {
        const uint16_t code = load16(body + at);
        const uint16_t length = load16(body + at + 2);
        at += 4;
        if (code == option_end) break;
        if (length > body_length - at) {
            error_ = which + " is damaged: option " + std::to_string(code) + " runs past the block";
            return false;
        }
        if (code == option_timestamp_resolution && length >= 1) {
            const uint8_t resolution = body[at];
            const uint32_t exponent = resolution & 0x7fu;
            interface.binary_resolution = (resolution & 0x80u) != 0;
            if ((interface.binary_resolution && exponent > 63) ||
                (!interface.binary_resolution && exponent > 19)) {
                error_ = which + " has a timestamp resolution (if_tsresol " +
                         std::to_string(resolution) + ") finer than 64 bits can count";
                return false;
            }
            interface.units_per_second = 1;
            for (uint32_t i = 0; i < exponent; ++i)
                interface.units_per_second *= interface.binary_resolution ? 2 : 10;
        } else if (code == option_timestamp_offset && length == 8) {
            const uint64_t offset = (uint64_t{load32(body + at + (swapped_ ? 0 : 4))} << 32) |
                                    load32(body + at + (swapped_ ? 4 : 0));
            interface.offset_seconds = static_cast<int64_t>(offset);
        }
        at += padded4(length);
    }
    interfaces_.push_back(interface);
    return true;
}

bool pcap_reader::read_packet(uint32_t type, const uint8_t* body, uint32_t body_length,
                              pcap_record& record) {
    const std::string which =
        "record " + std::to_string(records_ + 1) + " (" + block_at(offset_) + ")";
    const uint32_t fixed = type == block_simple_packet ? 4 : 20;
    if (body_length < fixed)
        return stop(which + " is damaged: its body is shorter than the packet block's fields");
    uint32_t interface = 0;
    uint64_t units = 0;
    uint32_t captured = 0;
    uint32_t original = 0;
    if (type == block_simple_packet) {
        original = load32(body);
        captured = std::min(original, body_length - fixed);
        if (!interfaces_.empty() && interfaces_[0].snaplen != 0)
            captured = std::min(captured, interfaces_[0].snaplen);
    } else {
        interface = type == block_enhanced_packet ? load32(body) : load16(body);
        units = (uint64_t{load32(body + 4)} << 32) | load32(body + 8);
        captured = load32(body + 12);
        original = load32(body + 16);
    }
    if (interface >= interfaces_.size()) {
        return stop(which + " names interface " + std::to_string(interface) +
                    ", but its section describes " + std::to_string(interfaces_.size()));
    }
    if (captured > pcap_max_record_length || captured > body_length - fixed) {
        return stop(which + " is damaged: it says " + std::to_string(captured) +
                    " captured bytes, its block holds " + std::to_string(body_length - fixed));
    }
    HT_ASSERT(body + fixed + captured <= image_.data() + image_.size());
    record.timestamp_ns = interface_time_ns(interfaces_[interface], units);
    record.data = body + fixed;
    record.captured_length = captured;
    record.original_length = original;
    return true;
}

bool pcap_reader::check_pcapng_header() {
    format_ = capture_format::pcapng;
    nanoseconds_ = false;
    if (!read_section_header(0)) {
        error_ = "pcapng: " + error_;
        return false;
    }
    // Read the interface descriptions before the first packet, so a non-Ethernet capture is
    // refused at open as a classic pcap's link type is.
    while (offset_ < image_.size()) {
        const uint8_t* p = image_.data() + offset_;
        if (image_.size() - offset_ < block_minimum_length) break;
        const uint32_t type = load32(p);
        if (type == block_enhanced_packet || type == block_simple_packet ||
            type == block_obsolete_packet || type == pcapng_section_header_type) {
            break;
        }
        const uint32_t length = load32(p + 4);
        if (length < block_minimum_length || length % 4 != 0 || length > image_.size() - offset_)
            break;
        if (type == block_interface && !read_interface(p + 8, length - block_minimum_length)) {
            error_ = "pcapng: " + error_;
            return false;
        }
        offset_ += length;
    }
    nanoseconds_ = !interfaces_.empty() && !interfaces_[0].binary_resolution &&
                   interfaces_[0].units_per_second >= 1'000'000'000;
    return true;
}

bool pcap_reader::next_pcapng(pcap_record& record) {
    while (offset_ < image_.size()) {
        const uint64_t remaining = image_.size() - offset_;
        const uint8_t* p = image_.data() + offset_;
        if (remaining < block_minimum_length) {
            return stop(block_at(offset_) + " is cut: " + std::to_string(remaining) +
                        " bytes, fewer than a block's 12");
        }
        const uint32_t type = load32(p);
        if (type == pcapng_section_header_type) {
            const uint64_t at = offset_;
            if (!read_section_header(at)) {
                const std::string what = error_;
                offset_ = at;
                return stop(what);
            }
            continue;
        }
        const uint32_t length = load32(p + 4);
        if (length < block_minimum_length || length % 4 != 0) {
            return stop(block_at(offset_) + " is damaged: its length " + std::to_string(length) +
                        " is not a multiple of 4 of at least 12");
        }
        if (length > remaining) {
            return stop(block_at(offset_) + " is cut: " + std::to_string(remaining) + " of its " +
                        std::to_string(length) + " bytes");
        }
        if (load32(p + length - 4) != length) {
            return stop(block_at(offset_) +
                        " is damaged: its trailing length differs from its leading one");
        }
        const uint8_t* body = p + 8;
        const uint32_t body_length = length - block_minimum_length;
        if (type == block_interface) {
            if (!read_interface(body, body_length)) return stop(error_);
        } else if (type == block_enhanced_packet || type == block_simple_packet ||
                   type == block_obsolete_packet) {
            if (!read_packet(type, body, body_length, record)) return false;
            offset_ += length;
            return true;
        }
        offset_ += length;
    }
    return false;
}

}  // namespace hypertick::feed
