// hypertick-gw as a systemd Type=notify service: READY=1, STATUS=, STOPPING=1 and the watchdog.
//
// The watchdog is a per-lcore heartbeat: each worker bumps its `progress` counter every few ms
// (worker_shared.hpp); the control plane pings WATCHDOG=1 only when every watched counter moved
// since the previous check. A worker stuck in a task, or a dead lcore, stops the pings and
// systemd restarts the service after WatchdogSec (Restart=on-failure). A stuck control plane
// stops them too. Outside systemd (no NOTIFY_SOCKET in the environment) every call does nothing.
// A notification's send blocks when the receiver stops reading (the kernel queues only
// net.unix.max_dgram_qlen datagrams): systemd reads continuously, and a test socket must too.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace hypertick::gw {

class service_notifier {
  public:
    // Reads NOTIFY_SOCKET and, through sd_watchdog_enabled, WATCHDOG_USEC / WATCHDOG_PID.
    service_notifier();

    [[nodiscard]] bool active() const { return active_; }
    [[nodiscard]] std::uint64_t watchdog_usec() const { return watchdog_usec_; }

    // A worker lcore whose heartbeat gates the watchdog pings (call before ready()).
    void watch(std::uint32_t lcore, const std::atomic<std::uint64_t>* progress);
    // READY=1 with a first STATUS= line: ports started, workers polling.
    void ready(const std::string& status, double now_s);
    void status(const std::string& text);
    void stopping();
    // Call every control-loop turn. Every check period (a third of WatchdogSec) it pings
    // WATCHDOG=1 if every watched lcore made progress since the previous check; otherwise it
    // sends nothing and returns the lcores that stood still (for the log).
    std::vector<std::uint32_t> keep_alive(double now_s);

  private:
    struct heartbeat {
        std::uint32_t lcore;
        const std::atomic<std::uint64_t>* progress;
        std::uint64_t last_seen;
    };
    void send(const std::string& message) const;

    bool active_ = false;
    std::string socket_address_;       // NOTIFY_SOCKET: a path of any length, or "@abstract"
    std::uint64_t watchdog_usec_ = 0;  // 0: no watchdog
    double check_period_s_ = 0;
    double next_check_s_ = 0;
    std::vector<heartbeat> heartbeats_;
};

// "2 feeds live, 0 stale, 1.2M msg/s": the STATUS= line systemctl status shows.
std::string feed_status_line(std::uint32_t feeds, std::uint32_t stale, double messages_per_s);

}  // namespace hypertick::gw
