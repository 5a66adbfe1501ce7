#include "app/capture_check.hpp"

#include <cstdint>

#include "config/eal_options.hpp"
#include "hypertick/base/byte_order.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace hypertick::gw {
namespace {

bool check_device_path(const char* option, const std::string& path, capture_check& result) {
    const std::string unsafe = device_argument_problem(path);
    if (unsafe.empty()) return true;
    result.error =
        std::string(option) + " \"" + path + "\": the path holds " + unsafe +
        ", which DPDK device arguments cannot carry; rename the file or use a link to it";
    return false;
}

// The snapshot length DPDK's net_pcap (libpcap) applies to every record of a capture: that of
// a pcap file's header, or of a pcapng file's first interface (libpcap reads every interface
// with it), or 262144 when it is 0 or more. libpcap cuts or refuses each longer record, where
// the tools' reader keeps it whole. 0 when the header cannot be read (the reader said why).
std::uint32_t libpcap_snapshot(const std::string& path) {
    feed::file_image image;
    std::string ignored;
    if (!image.map(path, ignored) || image.size() < 24) return 0;
    const std::uint8_t* bytes = image.data();
    const auto is_magic = [](std::uint32_t m) {
        return m == 0xa1b2c3d4 || m == 0xa1b23c4d || m == 0x1a2b3c4d;
    };
    // The magic (pcap: microseconds or nanoseconds; pcapng: the section's byte-order magic) in
    // the writer's byte order tells that order.
    const bool pcapng = base::load_be32(bytes) == feed::pcapng_section_header_type;
    const std::uint64_t magic_at = pcapng ? 8 : 0;
    const bool big_endian = is_magic(base::load_be32(bytes + magic_at));
    if (!big_endian && !is_magic(__builtin_bswap32(base::load_be32(bytes + magic_at)))) return 0;
    const auto load32 = [&](std::uint64_t at) {
        const std::uint32_t v = base::load_be32(bytes + at);
        return big_endian ? v : __builtin_bswap32(v);
    };
    std::uint32_t snaplen = 0;
    if (!pcapng) {
        snaplen = load32(16);
    } else {
        // Blocks: type, total length, body, total length. The first interface description
        // (type 1) holds link type (2), reserved (2), snaplen (4).
        std::uint64_t at = 0;
        while (at + 16 <= image.size() && load32(at) != 1) {
            const std::uint32_t length = load32(at + 4);
            if (length < 12) return 0;
            at += length;
        }
        if (at + 16 > image.size()) return 0;
        snaplen = load32(at + 12);
    }
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
                       " records hold more bytes than the file's snapshot length " +
                       std::to_string(snapshot) + " (the first, record " +
                       std::to_string(first_over) + ", holds " + std::to_string(first_over_length) +
                       "): DPDK's net_pcap (libpcap) would cut or drop each of them; correct "
                       "the snapshot length (pcap header or first interface)";
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
    if (reader.records_read() == 0) {  // a replay that would end at once, having done nothing
        result.error =
            std::string(option) + " " + path + ": the capture holds no records (nothing to replay)";
        return false;
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
