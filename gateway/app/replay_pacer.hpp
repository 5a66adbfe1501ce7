// Paced replay (--pace): a capture delivered to the worker the way a NIC would, at a chosen
// message rate or at the capture's own timing, instead of as fast as the device can read it.
//
// The feed ports become DPDK `net_ring` devices; a pacer thread on the main lcore's CPU copies
// each capture record into an mbuf from its own pool at the record's due TSC time and enqueues
// it on the port's RX ring. The worker polls the port with rte_eth_rx_burst as it would a NIC:
// its code path does not change. A full ring drops the datagram and counts it (a NIC's
// imissed). Everything the pacer needs (the mapped captures, their schedule, the mbuf pool) is
// made before the workers launch.
//
// `merged` has no timing: every line's records go out in capture-time order as fast as the
// worker takes them, and a full ring (or an empty pool) makes the pacer wait instead of drop.
// Why: read as fast as each device goes (`max`), two captures of one feed drift apart (the line
// that lost datagrams runs ahead by all it lost), so a hole waits for the other line's copy
// longer than line_wait_ms or than the hold window holds, and books are declared invalid that
// a receiver of both lines would have kept. In time order the lines stay a burst apart.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "hypertick/feed/pcap_file.hpp"

struct rte_mbuf;
struct rte_mempool;
struct rte_ring;

namespace hypertick::gw {

struct pace_mode {
    enum class kind : std::uint8_t { max, merged, capture, rate };
    kind how = kind::max;
    double speed = 1.0;           // capture: N times faster than recorded
    double messages_per_s = 0.0;  // rate: ITCH messages per second
};

// "max", "merged", "capture", "capture:x10", "1000000", "250k", "1m", "2.5m". Empty string on
// success.
std::string parse_pace(const std::string& text, pace_mode& out);
std::string describe(const pace_mode& mode);

// What happened, for the final report.
struct pacer_report {
    std::uint64_t datagrams = 0;        // enqueued to the worker
    std::uint64_t messages = 0;         // ITCH messages in them
    std::uint64_t ring_full = 0;        // dropped: the worker's RX ring was full (merged: waits)
    std::uint64_t no_mbuf = 0;          // dropped: the pacer's pool was empty (merged: waits)
    std::uint64_t waits = 0;            // merged: datagrams that waited for ring or pool room
    double elapsed_s = 0;               // first to last enqueue
    double offered_messages_per_s = 0;  // what the schedule asked for
    double achieved_messages_per_s = 0;
    std::uint64_t late_ns_p50 = 0;  // enqueue time minus due time
    std::uint64_t late_ns_p99 = 0;
    std::uint64_t late_ns_max = 0;
};

class replay_pacer {
  public:
    // One stream per feed port being replayed: the capture it reads and the ring it fills.
    struct stream {
        std::string capture;
        std::string ring_name;
    };

    ~replay_pacer();

    // Control plane, after EAL init and before the workers launch: maps the captures, computes
    // every record's due time, finds the rings and creates the mbuf pool. Empty on success.
    std::string prepare(const pace_mode& mode, const std::vector<stream>& streams, double tsc_hz,
                        int socket);
    // Starts the pacing thread on `cpu`; the schedule's time 0 is now.
    void start(int cpu);
    [[nodiscard]] const std::atomic<bool>& done() const { return finished_; }
    // Stops the thread (at once, if it has not finished) and returns what it did.
    pacer_report stop();

  private:
    struct entry {
        std::uint64_t due_tsc;     // from the start
        std::uint64_t capture_ns;  // the record's timestamp (stamped on the mbuf)
        const std::uint8_t* frame;
        std::uint32_t length;
        std::uint16_t messages;
        std::uint8_t stream;
    };

    // merged: at most this many datagrams wait in a line's ring. The worker takes a burst of
    // 32 from each line in turn, so one line can run ahead of the other by what its ring
    // holds: with the rings' full 16,384 that was hundreds of thousands of messages, more than
    // the hold window; with two bursts it is a few thousand at most.
    static constexpr unsigned merged_ring_depth = 64;

    // True when `m` went into the ring of stream `line` (under merged_ring_depth when merged).
    bool enqueue(std::uint8_t line, rte_mbuf* m);
    void run() noexcept;

    pace_mode mode_;
    double tsc_hz_ = 1e9;
    std::vector<std::unique_ptr<feed::pcap_reader>> readers_;  // the records point into their maps
    std::vector<rte_ring*> rings_;
    std::vector<entry> schedule_;             // every record of every stream, in due order
    std::vector<std::uint64_t> lateness_ns_;  // one per enqueued datagram (sized at prepare)
    rte_mempool* pool_ = nullptr;
    int timestamp_offset_ = -1;  // the rx-timestamp dynamic field (--clock capture reads it)
    std::uint64_t timestamp_flag_ = 0;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> finished_{false};
    pacer_report report_;
};

}  // namespace hypertick::gw
