#include "control/publish_capture.hpp"

#include <rte_ethdev.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace hypertick::gw {
namespace {

constexpr std::uint64_t pcap_file_header_bytes = 24;
constexpr std::uint64_t pcap_record_header_bytes = 16;

std::string folder_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string publish_capture_file(const std::string& base, std::uint16_t queue) {
    return queue == 0 ? base : base + "." + std::to_string(queue);
}

std::vector<publish_capture> expected_publish_captures(const std::string& base,
                                                       std::uint16_t port_id,
                                                       std::uint16_t tx_queues) {
    std::vector<publish_capture> out;
    rte_eth_stats stats{};
    if (rte_eth_stats_get(port_id, &stats) != 0) return out;
    for (std::uint16_t q = 0; q < tx_queues && q < RTE_ETHDEV_QUEUE_STAT_CNTRS; ++q)
        out.push_back({publish_capture_file(base, q), stats.q_opackets[q], stats.q_obytes[q]});
    return out;
}

std::string publish_capture_problem(const publish_capture& expected) {
    const std::uint64_t wanted =
        pcap_file_header_bytes + expected.packets * pcap_record_header_bytes + expected.bytes;
    struct stat st {};
    if (::stat(expected.path.c_str(), &st) != 0)
        return "--publish-pcap \"" + expected.path + "\": " + std::strerror(errno) + ": all " +
               std::to_string(expected.packets) + " datagram(s) sent lost";
    const auto held = static_cast<std::uint64_t>(st.st_size);
    if (held >= wanted) return {};
    // net_pcap hides the failed write's errno; a full file system is the usual cause.
    struct statvfs fs {};
    const bool full = ::statvfs(folder_of(expected.path).c_str(), &fs) == 0 && fs.f_bavail == 0;
    const std::uint64_t whole_records_bytes =
        held > pcap_file_header_bytes ? held - pcap_file_header_bytes : 0;
    const std::uint64_t per_packet =
        expected.packets == 0 ? 1 : (expected.bytes / expected.packets + pcap_record_header_bytes);
    return "--publish-pcap \"" + expected.path + "\": write failed (" +
           (full ? std::string(std::strerror(ENOSPC))
                 : std::string("net_pcap does not report the cause")) +
           "): the file holds " + std::to_string(held) + " of " + std::to_string(wanted) +
           " bytes, about " + std::to_string(whole_records_bytes / per_packet) + " of " +
           std::to_string(expected.packets) + " datagram(s) sent";
}

}  // namespace hypertick::gw
