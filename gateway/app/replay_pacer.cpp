#include "app/replay_pacer.hpp"

#include <pthread.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "hypertick/feed/ethernet_ipv4_udp.hpp"
#include "hypertick/feed/moldudp64.hpp"

namespace hypertick::gw {
namespace {

// ITCH messages in a frame's MoldUDP64 datagram (0 for anything else and for control datagrams).
std::uint16_t messages_in(const feed::pcap_record& r) {
    feed::udp_datagram d;
    if (feed::parse_udp_frame(r.data, r.captured_length, feed::udp_filter{}, d) !=
        feed::feed_event::frame_accepted)
        return 0;
    if (d.length < feed::mold_header_length) return 0;
    const std::uint16_t count = feed::mold_header{d.payload}.count();
    return count == feed::mold_end_of_session_count ? 0 : count;
}

std::uint64_t percentile(std::vector<std::uint64_t>& values, double p) {
    if (values.empty()) return 0;
    const std::size_t i =
        std::min(values.size() - 1,
                 static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size())));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(i), values.end());
    return values[i];
}

}  // namespace

std::string parse_pace(const std::string& text, pace_mode& out) {
    out = pace_mode{};
    if (text == "max") return {};
    if (text == "merged") {
        out.how = pace_mode::kind::merged;
        return {};
    }
    if (text.rfind("capture", 0) == 0) {
        out.how = pace_mode::kind::capture;
        if (text == "capture") return {};
        if (text.rfind("capture:x", 0) != 0)
            return "--pace: expected capture or capture:xN, got \"" + text + "\"";
        const std::string n = text.substr(9);
        char* end = nullptr;
        out.speed = std::strtod(n.c_str(), &end);
        if (n.empty() || end != n.c_str() + n.size() || !(out.speed >= 0.001 && out.speed <= 1e6))
            return "--pace capture:xN: N must be a number in [0.001, 1000000], got \"" + n + "\"";
        return {};
    }
    double scale = 1;
    std::string number = text;
    if (!number.empty() && (number.back() == 'k' || number.back() == 'K'))
        scale = 1e3, number.pop_back();
    else if (!number.empty() && (number.back() == 'm' || number.back() == 'M'))
        scale = 1e6, number.pop_back();
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(value))
        return "--pace: expected max, merged, capture, capture:xN or a message rate (1000000, "
               "250k, 1m), got \"" +
               text + "\"";
    out.how = pace_mode::kind::rate;
    out.messages_per_s = value * scale;
    if (!(out.messages_per_s >= 1 && out.messages_per_s <= 1e9))
        return "--pace: the rate must be 1 to 1,000,000,000 ITCH messages per second, got \"" +
               text + "\"";
    return {};
}

std::string describe(const pace_mode& mode) {
    switch (mode.how) {
        case pace_mode::kind::max:
            return "as fast as the device reads";
        case pace_mode::kind::merged:
            return "every line in capture-time order, as fast as the worker takes it";
        case pace_mode::kind::capture:
            return "the capture's timing x" + std::to_string(mode.speed);
        case pace_mode::kind::rate:
            return std::to_string(static_cast<std::uint64_t>(mode.messages_per_s)) +
                   " ITCH messages/s";
    }
    return "?";
}

// The pool stays: mbufs may still sit in the rings; EAL clean-up releases its memory.
replay_pacer::~replay_pacer() {
    (void)stop();
}

std::string replay_pacer::prepare(const pace_mode& mode, const std::vector<stream>& streams,
                                  double tsc_hz, int socket) {
    mode_ = mode;
    tsc_hz_ = tsc_hz;
    const double ticks_per_ns = tsc_hz / 1e9;
    std::uint64_t first_ns = ~std::uint64_t{0};

    // Records of every stream with their capture time (capture mode) or their place in the
    // stream's message count (rate mode); the due times follow.
    struct pending {
        std::uint64_t key_ns;
        entry e;
    };
    std::vector<pending> all;
    for (std::size_t s = 0; s < streams.size(); ++s) {
        readers_.push_back(std::make_unique<feed::pcap_reader>());
        feed::pcap_reader& reader = *readers_.back();
        if (!reader.open(streams[s].capture)) return streams[s].capture + ": " + reader.error();
        rte_ring* ring = rte_ring_lookup(streams[s].ring_name.c_str());
        if (ring == nullptr) return "no ring " + streams[s].ring_name + " for the paced replay";
        rings_.push_back(ring);
        std::uint64_t messages_before = 0;
        // A line's records keep their order in its file: a timestamp that runs backwards (a
        // capture's clock step, or a forged file) is due with the latest one before it, so
        // the sort below never reorders one line, only interleaves the lines.
        std::uint64_t latest_ns = 0;
        feed::pcap_record r;
        while (reader.next(r)) {
            const std::uint16_t messages = messages_in(r);
            latest_ns = std::max(latest_ns, r.timestamp_ns);
            std::uint64_t key_ns = latest_ns;
            if (mode.how == pace_mode::kind::rate)
                key_ns = static_cast<std::uint64_t>(static_cast<double>(messages_before) /
                                                    mode.messages_per_s * 1e9);
            else
                first_ns = std::min(first_ns, r.timestamp_ns);
            messages_before += messages;
            all.push_back({key_ns, entry{0, r.timestamp_ns, r.data, r.captured_length, messages,
                                         static_cast<std::uint8_t>(s)}});
        }
    }
    if (mode.how == pace_mode::kind::rate) first_ns = 0;
    std::stable_sort(all.begin(), all.end(),
                     [](const pending& a, const pending& b) { return a.key_ns < b.key_ns; });
    schedule_.reserve(all.size());
    std::uint64_t total_messages = 0;
    for (pending& p : all) {
        const double offset_ns = static_cast<double>(p.key_ns - std::min(p.key_ns, first_ns)) /
                                 (mode.how == pace_mode::kind::capture ? mode.speed : 1.0);
        // merged: the order is the capture's, every record due at once.
        p.e.due_tsc = mode.how == pace_mode::kind::merged
                          ? 0
                          : static_cast<std::uint64_t>(offset_ns * ticks_per_ns);
        total_messages += p.e.messages;
        schedule_.push_back(p.e);
    }
    if (!schedule_.empty() && schedule_.back().due_tsc != 0)
        report_.offered_messages_per_s = static_cast<double>(total_messages) /
                                         (static_cast<double>(schedule_.back().due_tsc) / tsc_hz);
    lateness_ns_.resize(schedule_.size());
    // One mbuf per datagram in flight: the rings' capacity plus what the worker holds.
    std::uint32_t in_flight = 0;
    for (rte_ring* ring : rings_) in_flight += rte_ring_get_capacity(ring);
    pool_ = rte_pktmbuf_pool_create("ht_pacer", in_flight + 4095, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
                                    socket);
    if (pool_ == nullptr)
        return "no memory for the pacer's pool of " + std::to_string(in_flight + 4095) + " mbufs";
    if (rte_mbuf_dyn_rx_timestamp_register(&timestamp_offset_, &timestamp_flag_) != 0)
        return "the rx-timestamp mbuf field could not be registered";
    return {};
}

void replay_pacer::start(int cpu) {
    thread_ = std::thread([this] { run(); });
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    (void)pthread_setaffinity_np(thread_.native_handle(), sizeof set, &set);
    (void)pthread_setname_np(thread_.native_handle(), "ht-pacer");
}

bool replay_pacer::enqueue(std::uint8_t line, rte_mbuf* m) {
    rte_ring* ring = rings_[line];
    if (mode_.how == pace_mode::kind::merged && rte_ring_count(ring) >= merged_ring_depth)
        return false;
    return rte_ring_sp_enqueue(ring, m) == 0;
}

void replay_pacer::run() noexcept {
    const double ns_per_tick = 1e9 / tsc_hz_;
    const std::uint64_t start = rte_rdtsc();
    std::uint64_t first_sent = 0, last_sent = 0;
    std::size_t sent = 0;
    // merged: a full ring or an empty pool waits for the worker instead of dropping.
    const bool waits = mode_.how == pace_mode::kind::merged;
    for (const entry& e : schedule_) {
        const std::uint64_t due = start + e.due_tsc;
        while (rte_rdtsc() < due) {
            if (stop_.load(std::memory_order_relaxed)) goto done;
            rte_pause();
        }
        if (stop_.load(std::memory_order_relaxed)) break;
        rte_mbuf* m = rte_pktmbuf_alloc(pool_);
        report_.waits += m == nullptr && waits;
        while (m == nullptr && waits) {
            if (stop_.load(std::memory_order_relaxed)) goto done;
            rte_pause();
            m = rte_pktmbuf_alloc(pool_);
        }
        if (m == nullptr) {
            ++report_.no_mbuf;
            continue;
        }
        const std::uint32_t length = std::min<std::uint32_t>(e.length, rte_pktmbuf_tailroom(m));
        std::memcpy(rte_pktmbuf_mtod(m, void*), e.frame, length);
        m->data_len = static_cast<std::uint16_t>(length);
        m->pkt_len = length;
        // Microseconds, as net_pcap writes it (the worker's --clock capture reads either).
        *RTE_MBUF_DYNFIELD(m, timestamp_offset_, rte_mbuf_timestamp_t*) = e.capture_ns / 1000;
        m->ol_flags |= timestamp_flag_;
        bool enqueued = enqueue(e.stream, m);
        report_.waits += !enqueued && waits;
        while (!enqueued && waits) {
            if (stop_.load(std::memory_order_relaxed)) {
                rte_pktmbuf_free(m);
                goto done;
            }
            rte_pause();
            enqueued = enqueue(e.stream, m);
        }
        const std::uint64_t now = rte_rdtsc();
        if (!enqueued) {
            rte_pktmbuf_free(m);
            ++report_.ring_full;
            continue;
        }
        if (first_sent == 0) first_sent = now;
        last_sent = now;
        lateness_ns_[sent++] =
            static_cast<std::uint64_t>(static_cast<double>(now - due) * ns_per_tick);
        ++report_.datagrams;
        report_.messages += e.messages;
    }
done:
    lateness_ns_.resize(sent);
    report_.elapsed_s = static_cast<double>(last_sent - first_sent) / tsc_hz_;
    if (report_.elapsed_s > 0)
        report_.achieved_messages_per_s = static_cast<double>(report_.messages) / report_.elapsed_s;
    finished_.store(true, std::memory_order_release);
}

pacer_report replay_pacer::stop() {
    stop_.store(true, std::memory_order_relaxed);
    if (thread_.joinable()) thread_.join();
    report_.late_ns_p50 = percentile(lateness_ns_, 50);
    report_.late_ns_p99 = percentile(lateness_ns_, 99);
    report_.late_ns_max =
        lateness_ns_.empty() ? 0 : *std::max_element(lateness_ns_.begin(), lateness_ns_.end());
    return report_;
}

}  // namespace hypertick::gw
