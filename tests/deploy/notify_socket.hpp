// A test AF_UNIX datagram socket standing in for systemd's NOTIFY_SOCKET.
//
// Like systemd, it reads continuously (a background thread): the kernel queues only
// net.unix.max_dgram_qlen datagrams (10 by default), and sd_notify's send blocks past that.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "control/unix_address.hpp"

namespace hypertick::gw::test {

using hypertick::gw::unix_address;

class notify_socket {
  public:
    // `path`: a file path of any length (the build tree may be deep), or "@name" (abstract).
    explicit notify_socket(const std::string& path) : path_(path) {
        if (!abstract()) ::unlink(path.c_str());
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        const unix_address address(path);
        bound_ = fd_ >= 0 && address.ok() && ::bind(fd_, address.get(), address.size()) == 0;
        if (bound_) reader_ = std::thread([this] { read_until_stopped(); });
    }
    ~notify_socket() {
        stop_ = true;
        if (reader_.joinable()) reader_.join();
        if (fd_ >= 0) ::close(fd_);
        if (!abstract()) ::unlink(path_.c_str());
    }
    notify_socket(const notify_socket&) = delete;
    notify_socket& operator=(const notify_socket&) = delete;

    [[nodiscard]] bool bound() const { return bound_; }
    [[nodiscard]] const std::string& path() const { return path_; }

    // Every datagram received since the last drain, oldest first.
    std::vector<std::string> drain() {
        std::lock_guard<std::mutex> lock(mutex_);
        receive_pending();
        std::vector<std::string> out;
        out.swap(received_);
        return out;
    }

  private:
    [[nodiscard]] bool abstract() const { return !path_.empty() && path_[0] == '@'; }
    void receive_pending() {  // with mutex_ held
        char buffer[4096];
        for (ssize_t n; (n = ::recv(fd_, buffer, sizeof buffer, 0)) > 0;)
            received_.emplace_back(buffer, static_cast<std::size_t>(n));
    }
    void read_until_stopped() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 10) <= 0) continue;
            std::lock_guard<std::mutex> lock(mutex_);
            receive_pending();
        }
    }

    std::string path_;
    int fd_ = -1;
    bool bound_ = false;
    std::mutex mutex_;
    std::vector<std::string> received_;
    std::atomic<bool> stop_{false};
    std::thread reader_;
};

}  // namespace hypertick::gw::test
