#include "app/capture_check.hpp"

#include <cstdint>
#include <fstream>

#include "hypertick/base/byte_order.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace hypertick::gw {
namespace {

// The bytes DPDK's devargs/kvargs parsing treats as syntax, and control characters.
std::string unsafe_in_device_args(const std::string& path) {
    for (const char c : path) {
        if (c == ',' || c == '=' || c == '[' || c == ']') return std::string("'") + c + "'";
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a control character";
    }
    return {};
}

bool check_device_path(const char* option, const std::string& path, capture_check& result) {
    const std::string unsafe = unsafe_in_device_args(path);
    if (unsafe.empty()) return true;
    result.error =
        std::string(option) + " \"" + path + "\": the path holds " + unsafe +
        ", which DPDK device arguments cannot carry; rename the file or use a link to it";
    return false;
}

// The snapshot length DPDK's net_pcap (libpcap) applies to a classic pcap file: the header's,
// or 262144 when the header says 0 or more. libpcap cuts every longer record to it, where the
// tools' reader keeps the whole record. 0 for pcapng (each interface has its own) or a header
// that cannot be read (the reader has said why).
std::uint32_t libpcap_snapshot(const std::string& path) {
    std::uint8_t header[24] = {};
    std::ifstream in(path, std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return 0;
    // The magic (microseconds or nanoseconds) in the writer's byte order tells that order.
    const auto is_magic = [](std::uint32_t m) { return m == 0xa1b2c3d4 || m == 0xa1b23c4d; };
    const bool big_endian = is_magic(base::load_be32(header));
    if (!big_endian && !is_magic(__builtin_bswap32(base::load_be32(header)))) return 0;
    const std::uint32_t snaplen =
        big_endian ? base::load_be32(header + 16) : __builtin_bswap32(base::load_be32(header + 16));
    return snaplen == 0 || snaplen > feed::pcap_max_record_length ? feed::pcap_max_record_length
                                                                  : snaplen;
}

bool check_capture(const char* option, const std::string& path, capture_check& result) {
    if (path.empty()) return true;
    if (!check_device_path(option, path, result)) return false;
    feed::pcap_reader reader;
    if (!reader.open(path)) {
        result.error = std::string(option) + " " + path + ": " + reader.error();
        return false;
    }
    const std::uint32_t snapshot = libpcap_snapshot(path);
    std::uint64_t over_snapshot = 0;
    std::uint64_t first_over = 0;
    std::uint32_t first_over_length = 0;
    feed::pcap_record record;
    while (reader.next(record)) {
        if (snapshot == 0 || record.captured_length <= snapshot) continue;
        if (over_snapshot++ == 0) {
            first_over = reader.records_read();
            first_over_length = record.captured_length;
        }
    }
    if (over_snapshot != 0) {
        result.error = std::string(option) + " " + path + ": " + std::to_string(over_snapshot) +
                       " of " + std::to_string(reader.records_read()) +
                       " records hold more bytes than the file header's snapshot length " +
                       std::to_string(snapshot) + " (the first, record " +
                       std::to_string(first_over) + ", holds " + std::to_string(first_over_length) +
                       "): DPDK's net_pcap would cut each of them to " + std::to_string(snapshot) +
                       " bytes; correct the header's snapshot length (offset 16)";
        return false;
    }
    if (!reader.error().empty()) {
        if (reader.records_read() == 0) {
            result.error =
                std::string(option) + " " + path + ": " + reader.error() + " (nothing to replay)";
            return false;
        }
        result.warnings.push_back(std::string(option) + " " + path + ": " + reader.error());
    }
    return true;
}

}  // namespace

capture_check check_capture_options(const cli_options& options) {
    capture_check result;
    if (!check_capture("--replay", options.replay_capture, result)) return result;
    if (!check_capture("--replay-b", options.replay_b_capture, result)) return result;
    if (!options.publish_pcap.empty())
        check_device_path("--publish-pcap", options.publish_pcap, result);
    return result;
}

}  // namespace hypertick::gw
