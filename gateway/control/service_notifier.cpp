#include "control/service_notifier.hpp"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "control/unix_address.hpp"

namespace hypertick::gw {
namespace {

// Workers bump `progress` every ~5 ms; a check period well above that (and above a loaded
// machine's scheduling delays) keeps a healthy worker from looking stuck.
constexpr double min_check_period_s = 0.05;

// One datagram to NOTIFY_SOCKET, as sd_notify sends it, but to a path of any length too
// (libsystemd 252 refuses paths beyond sun_path's 108 bytes). Empty on success, else why not.
std::string send_notification(const std::string& socket_address, const std::string& message) {
    const unix_address to(socket_address);
    if (!to.ok()) return to.error();
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::strerror(errno);
    const ssize_t sent =
        ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, to.get(), to.size());
    const int error = errno;
    ::close(fd);
    return sent == static_cast<ssize_t>(message.size()) ? std::string() : std::strerror(error);
}

}  // namespace

service_notifier::service_notifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    active_ = socket != nullptr && *socket != '\0';
    if (!active_) return;
    socket_address_ = socket;
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0) {
        watchdog_usec_ = usec;
        check_period_s_ = std::max(min_check_period_s, static_cast<double>(usec) / 3e6);
    }
}

void service_notifier::watch(std::uint32_t lcore, const std::atomic<std::uint64_t>* progress) {
    heartbeats_.push_back({lcore, progress, progress->load(std::memory_order_acquire)});
}

void service_notifier::send(const std::string& message) const {
    if (!active_) return;
    // Failures are not fatal: the service keeps running, systemd merely hears less.
    if (const std::string why = send_notification(socket_address_, message); !why.empty())
        std::fprintf(stderr, "hypertick-gw: notifying systemd at NOTIFY_SOCKET \"%s\" failed: %s\n",
                     socket_address_.c_str(), why.c_str());
}

void service_notifier::ready(const std::string& status, double now_s) {
    next_check_s_ = now_s + check_period_s_;
    send("READY=1\nSTATUS=" + status);
}

void service_notifier::status(const std::string& text) {
    send("STATUS=" + text);
}

void service_notifier::stopping() {
    send("STOPPING=1\nSTATUS=stopping");
}

std::vector<std::uint32_t> service_notifier::keep_alive(double now_s) {
    std::vector<std::uint32_t> stood_still;
    if (!active_ || watchdog_usec_ == 0 || now_s < next_check_s_) return stood_still;
    next_check_s_ = now_s + check_period_s_;
    for (heartbeat& h : heartbeats_) {
        const std::uint64_t seen = h.progress->load(std::memory_order_acquire);
        if (seen == h.last_seen) stood_still.push_back(h.lcore);
        h.last_seen = seen;
    }
    if (stood_still.empty()) send("WATCHDOG=1");
    return stood_still;
}

std::string feed_status_line(std::uint32_t feeds, std::uint32_t stale, double messages_per_s) {
    char rate[32];
    if (messages_per_s >= 1e6)
        std::snprintf(rate, sizeof rate, "%.1fM", messages_per_s / 1e6);
    else if (messages_per_s >= 1e3)
        std::snprintf(rate, sizeof rate, "%.1fk", messages_per_s / 1e3);
    else
        std::snprintf(rate, sizeof rate, "%.0f", messages_per_s);
    const std::uint32_t live = feeds - std::min(stale, feeds);
    return std::to_string(live) + (live == 1 ? " feed" : " feeds") + " live, " +
           std::to_string(stale) + " stale, " + rate + " msg/s";
}

}  // namespace hypertick::gw
