// Capture files for the hostile-input tests, built in memory: a small feed whose symbol
// directory and session name hold bytes no JSON writer may copy raw, pcap images turned into
// pcapng (either byte order, any timestamp resolution), and the damaged variants.
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "hypertick/feed/frame_builder.hpp"
#include "hypertick/feed/itch_messages.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace hostile {

using namespace hypertick::feed;

inline void save(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

inline std::string read_file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<uint8_t> file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<uint8_t> directory_entry(uint16_t locate, std::string_view symbol) {
    std::vector<uint8_t> m(stock_directory::length);
    stock_directory_writer w{m.data()};
    w.init();
    w.set_stock_locate(locate);
    w.set_stock(symbol);
    return m;
}

inline std::vector<uint8_t> add(uint16_t locate, uint64_t ref, char side, uint32_t price) {
    std::vector<uint8_t> m(add_order::length);
    add_order_writer w{m.data()};
    w.init();
    w.set_stock_locate(locate);
    w.set_order_ref(ref);
    w.set_side(side);
    w.set_shares(100);
    w.set_stock("IGNORED");
    w.set_price(price);
    return m;
}

// Symbols a feed may send though no exchange should: a control byte, a quote, a backslash,
// bytes >= 0x80; and one symbol listed under two locates (3 and 4).
inline const std::vector<std::pair<uint16_t, std::string>>& hostile_directory() {
    static const std::vector<std::pair<uint16_t, std::string>> entries = {
        {1, std::string("A\x01\"B\\", 5)},
        {2, "\xc3\xff\x80Z"},
        {3, "DUP"},
        {4, "DUP"},
        {5, "PLAIN"}};
    return entries;
}
// Ten bytes, all of the session: DPDK 22.11's own telemetry escaping turns bytes >= 0x80 into
// invalid JSON escapes and drops control bytes.
inline const std::string hostile_session = "S\x01\"\\\n\x7f\x80\xc3\xff\xe9";

// One datagram per message, so every message is one frame (cuts fall between frames).
inline std::vector<uint8_t> hostile_feed_pcap() {
    std::vector<std::vector<uint8_t>> messages;
    for (const auto& [locate, symbol] : hostile_directory())
        messages.push_back(directory_entry(locate, symbol));
    uint64_t ref = 1;
    for (const auto& entry : hostile_directory()) {
        messages.push_back(add(entry.first, ref++, 'B', 1'000'000u + entry.first));
        messages.push_back(add(entry.first, ref++, 'S', 1'100'000u + entry.first));
    }
    std::vector<uint8_t> pcap;
    append_pcap_header(pcap);
    uint64_t sequence = 1;
    for (const auto& m : messages) {
        mold_payload_builder payload;
        payload.start(mold_session::from_text(hostile_session), sequence++);
        payload.append(m.data(), static_cast<uint16_t>(m.size()));
        payload.finish();
        const std::vector<uint8_t> frame = build_udp_frame(
            frame_address{}, payload.bytes().data(), static_cast<uint32_t>(payload.bytes().size()));
        append_pcap_record(pcap, 1'700'000'000'000'000'000ull + sequence * 1000, frame.data(),
                           static_cast<uint32_t>(frame.size()),
                           static_cast<uint32_t>(frame.size()));
    }
    return pcap;
}

// A classic pcap (nanosecond, little-endian, as append_pcap_header writes) rewritten as pcapng.
// `resolution` is if_tsresol (9: nanoseconds; 6: microseconds, also the default; 0x80 | n:
// 2^-n seconds); `link_type` lets tests write a non-Ethernet interface.
struct pcapng_options {
    bool big_endian = false;
    uint8_t resolution = 9;
    uint16_t link_type = pcap_linktype_ethernet;
};

class pcapng_writer {
  public:
    explicit pcapng_writer(pcapng_options o) : o_(o) {}

    std::vector<uint8_t> convert(const std::vector<uint8_t>& pcap) {
        out_.clear();
        section_header();
        interface_description();
        for (size_t at = pcap_file_header_length; at + pcap_record_header_length <= pcap.size();) {
            uint32_t seconds, nanos, captured, original;
            std::memcpy(&seconds, &pcap[at], 4);
            std::memcpy(&nanos, &pcap[at + 4], 4);
            std::memcpy(&captured, &pcap[at + 8], 4);
            std::memcpy(&original, &pcap[at + 12], 4);
            const uint64_t ns = uint64_t{seconds} * 1'000'000'000u + nanos;
            enhanced_packet(units_of(ns), &pcap[at + pcap_record_header_length], captured,
                            original);
            at += pcap_record_header_length + captured;
        }
        return out_;
    }

  private:
    uint64_t units_of(uint64_t ns) const {
        if (o_.resolution & 0x80)
            return static_cast<uint64_t>(
                (static_cast<unsigned __int128>(ns) << (o_.resolution & 0x7f)) / 1'000'000'000u);
        uint64_t per_ns = 1;
        for (int i = o_.resolution; i < 9; ++i) per_ns *= 10;
        return ns / per_ns;
    }
    void u8(uint8_t v) { out_.push_back(v); }
    void u16(uint16_t v) {
        for (int i = 0; i < 2; ++i)
            u8(static_cast<uint8_t>(v >> (o_.big_endian ? 8 * (1 - i) : 8 * i)));
    }
    void u32(uint32_t v) {
        for (int i = 0; i < 4; ++i)
            u8(static_cast<uint8_t>(v >> (o_.big_endian ? 8 * (3 - i) : 8 * i)));
    }
    size_t begin(uint32_t type) {
        const size_t start = out_.size();
        u32(type);
        u32(0);  // patched by end()
        return start;
    }
    void end(size_t start) {
        while (out_.size() % 4 != 0) u8(0);
        const uint32_t length = static_cast<uint32_t>(out_.size() - start + 4);
        u32(length);
        for (int i = 0; i < 4; ++i)
            out_[start + 4 + i] =
                static_cast<uint8_t>(length >> (o_.big_endian ? 8 * (3 - i) : 8 * i));
    }
    void section_header() {
        const size_t b = begin(pcapng_section_header_type);
        u32(0x1a2b3c4d);
        u16(1);
        u16(0);
        u32(0xffffffff);  // section length unknown
        u32(0xffffffff);
        end(b);
    }
    void interface_description() {
        const size_t b = begin(1);
        u16(o_.link_type);
        u16(0);
        u32(0);  // no snapshot length limit
        u16(9);  // if_tsresol
        u16(1);
        u8(o_.resolution);
        u8(0);
        u8(0);
        u8(0);
        u16(0);  // opt_endofopt
        u16(0);
        end(b);
    }
    void enhanced_packet(uint64_t units, const uint8_t* data, uint32_t captured,
                         uint32_t original) {
        const size_t b = begin(6);
        u32(0);
        u32(static_cast<uint32_t>(units >> 32));
        u32(static_cast<uint32_t>(units));
        u32(captured);
        u32(original);
        out_.insert(out_.end(), data, data + captured);
        end(b);
    }

    pcapng_options o_;
    std::vector<uint8_t> out_;
};

inline std::vector<uint8_t> to_pcapng(const std::vector<uint8_t>& pcap, pcapng_options o = {}) {
    return pcapng_writer(o).convert(pcap);
}

}  // namespace hostile
