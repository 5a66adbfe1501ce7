// --publish-pcap: DPDK's net_pcap writes the publisher port's datagrams through libpcap and
// reports no write error (a full disk leaves a cut file and a clean exit). What the port sent is
// known from its per-queue counters, so after the port has stopped (its files flushed and
// closed) each file's size is compared with what was sent, and a shortfall is reported with
// its cause.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hypertick::gw {

// The file TX queue `queue` writes: queue 0 -> OUT, queue n -> OUT.n.
std::string publish_capture_file(const std::string& base, std::uint16_t queue);

struct publish_capture {
    std::string path;
    std::uint64_t packets = 0;  // the queue's transmitted packets and bytes
    std::uint64_t bytes = 0;
};

// Per TX queue of the port, from its counters (read before the port stops).
std::vector<publish_capture> expected_publish_captures(const std::string& base,
                                                       std::uint16_t port_id,
                                                       std::uint16_t tx_queues);

// Empty when the file holds every packet sent; else what was lost and why.
std::string publish_capture_problem(const publish_capture& expected);

}  // namespace hypertick::gw
