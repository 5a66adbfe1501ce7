// disconnect_telemetry_clients against a stand-in for DPDK's telemetry server: a listening
// SOCK_SEQPACKET socket named as DPDK names it, accepting on one thread and serving each client
// on a thread of its own that reads until the connection ends, then closes it.
#include "control/telemetry_connections.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "control/unix_address.hpp"

namespace fs = std::filesystem;
using hypertick::gw::disconnect_telemetry_clients;
using hypertick::gw::is_telemetry_socket_path;
using hypertick::gw::telemetry_disconnect_result;
using hypertick::gw::unix_address;
using namespace std::chrono_literals;

namespace {

std::string make_runtime_dir() {
    std::string pattern = (fs::temp_directory_path() / "ht-telemetry-XXXXXX").string();
    const char* made = ::mkdtemp(pattern.data());
    return made != nullptr ? std::string(made) : std::string();
}

// DPDK's server in miniature. `hold_after_end` keeps a served connection open after its client
// went away until `release` is set, as a thread stuck inside a command would.
class stand_in_server {
  public:
    stand_in_server(const std::string& path, bool hold_after_end)
        : hold_after_end_(hold_after_end) {
        listener_ = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        const unix_address address(path);
        bound_ = listener_ >= 0 && ::bind(listener_, address.get(), address.size()) == 0 &&
                 ::listen(listener_, 4) == 0;
        if (bound_) accepter_ = std::thread([this] { accept_loop(); });
    }
    ~stand_in_server() {
        release = true;
        ::shutdown(listener_, SHUT_RDWR);
        if (accepter_.joinable()) accepter_.join();
        for (std::thread& t : clients_) t.join();
        ::close(listener_);
    }
    bool bound() const { return bound_; }
    std::atomic<bool> release{false};
    std::atomic<int> served_to_end{0};

  private:
    void accept_loop() {
        for (;;) {
            const int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) return;  // DPDK's listener thread quits the same way
            clients_.emplace_back([this, fd] { serve(fd); });
        }
    }
    void serve(int fd) {
        const char greeting[] = "{\"version\":\"stand-in\"}";
        char buffer[256];
        if (::write(fd, greeting, sizeof greeting - 1) > 0)
            while (::read(fd, buffer, sizeof buffer) > 0) {
                if (::write(fd, "{}", 2) < 0) break;
            }
        while (hold_after_end_ && !release) std::this_thread::sleep_for(1ms);
        ++served_to_end;  // before the close that disconnect_telemetry_clients waits for
        ::close(fd);
    }

    bool hold_after_end_;
    int listener_ = -1;
    bool bound_ = false;
    std::thread accepter_;
    std::vector<std::thread> clients_;  // touched by the accepter only, joined after it
};

int connect_client(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    const unix_address address(path);
    if (fd < 0 || ::connect(fd, address.get(), address.size()) != 0) {
        const int error = errno;
        if (fd >= 0) ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

}  // namespace

TEST(TelemetryConnections, KnowsDpdksSocketNamesInItsRuntimeDirectoryOnly) {
    EXPECT_TRUE(is_telemetry_socket_path("/run/dpdk/gw", "/run/dpdk/gw/dpdk_telemetry.v2"));
    EXPECT_TRUE(is_telemetry_socket_path("/run/dpdk/gw", "/run/dpdk/gw/dpdk_telemetry.v3"));
    EXPECT_TRUE(is_telemetry_socket_path("/run/dpdk/gw", "/run/dpdk/gw/telemetry"));
    EXPECT_FALSE(is_telemetry_socket_path("/run/dpdk/gw", "/run/dpdk/gw/mp_socket"));
    EXPECT_FALSE(is_telemetry_socket_path("/run/dpdk/gw", "/run/dpdk/gw2/dpdk_telemetry.v2"));
    EXPECT_FALSE(is_telemetry_socket_path("/run/dpdk/gw", "/run/dpdk/other/telemetry"));
    EXPECT_FALSE(is_telemetry_socket_path("/run/dpdk/gw", "/run/dpdk/gw/"));
    EXPECT_FALSE(is_telemetry_socket_path("", "/dpdk_telemetry.v2"));
}

TEST(TelemetryConnections, ShutsTheListenerAndEveryClientAndWaitsForTheirThreads) {
    const std::string dir = make_runtime_dir();
    ASSERT_FALSE(dir.empty());
    const std::string path = dir + "/dpdk_telemetry.v2";
    {
        stand_in_server server(path, /*hold_after_end=*/false);
        ASSERT_TRUE(server.bound());
        std::vector<int> clients;
        char buffer[256];
        for (int i = 0; i < 3; ++i) {
            clients.push_back(connect_client(path));
            ASSERT_GE(clients.back(), 0);
            ASSERT_GT(::recv(clients.back(), buffer, sizeof buffer, 0), 0);  // greeting
        }

        const telemetry_disconnect_result r = disconnect_telemetry_clients(dir, 2s);
        EXPECT_EQ(r.listeners_shut, 1u);
        EXPECT_EQ(r.connections_shut, 3u);
        EXPECT_EQ(r.still_open, 0u);
        EXPECT_EQ(server.served_to_end.load(), 3);
        for (int fd : clients) {
            EXPECT_EQ(::recv(fd, buffer, sizeof buffer, 0), 0) << "the server side is closed";
            ::close(fd);
        }
        EXPECT_LT(connect_client(path), 0) << "a client got in after the listener was shut";
        EXPECT_EQ(errno, ECONNREFUSED);
    }
    fs::remove_all(dir);
}

TEST(TelemetryConnections, ReportsAConnectionItsThreadHoldsPastTheWait) {
    const std::string dir = make_runtime_dir();
    ASSERT_FALSE(dir.empty());
    const std::string path = dir + "/dpdk_telemetry.v2";
    {
        stand_in_server server(path, /*hold_after_end=*/true);
        ASSERT_TRUE(server.bound());
        const int client = connect_client(path);
        ASSERT_GE(client, 0);
        char buffer[256];
        ASSERT_GT(::recv(client, buffer, sizeof buffer, 0), 0);

        const auto start = std::chrono::steady_clock::now();
        const telemetry_disconnect_result r = disconnect_telemetry_clients(dir, 50ms);
        const auto waited = std::chrono::steady_clock::now() - start;
        EXPECT_EQ(r.connections_shut, 1u);
        EXPECT_EQ(r.still_open, 1u);
        EXPECT_GE(waited, 50ms);
        EXPECT_LT(waited, 1s) << "the wait is bounded";
        EXPECT_EQ(server.served_to_end.load(), 0);
        server.release = true;
        ::close(client);
    }
    fs::remove_all(dir);
}

TEST(TelemetryConnections, LeavesOtherUnixSocketsAlone) {
    const std::string dir = make_runtime_dir();
    ASSERT_FALSE(dir.empty());
    const std::string path = dir + "/mp_socket";
    {
        stand_in_server server(path, /*hold_after_end=*/false);
        ASSERT_TRUE(server.bound());
        const int client = connect_client(path);
        ASSERT_GE(client, 0);
        char buffer[256];
        ASSERT_GT(::recv(client, buffer, sizeof buffer, 0), 0);
        const telemetry_disconnect_result r = disconnect_telemetry_clients(dir, 10ms);
        EXPECT_EQ(r.listeners_shut + r.connections_shut + r.still_open, 0u);
        EXPECT_GT(::send(client, "/", 1, 0), 0);
        EXPECT_GT(::recv(client, buffer, sizeof buffer, 0), 0) << "the connection still answers";
        ::close(client);
    }
    fs::remove_all(dir);
}
