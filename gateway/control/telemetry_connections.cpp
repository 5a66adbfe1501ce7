#include "control/telemetry_connections.hpp"

#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "hypertick/base/assert.hpp"

namespace hypertick::gw {
namespace {

struct telemetry_socket {
    int fd;
    bool listening;
};

// The path an AF_UNIX socket is bound to ("" for any other socket). An accepted connection
// reports the address of the listener it came from.
std::string bound_unix_path(int fd) {
    sockaddr_un address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return {};
    if (address.sun_family != AF_UNIX || length <= sizeof(sa_family_t)) return {};
    const std::size_t path_bytes = length - sizeof(sa_family_t);
    return std::string(address.sun_path, ::strnlen(address.sun_path, path_bytes));
}

bool is_listening(int fd) {
    int accepting = 0;
    socklen_t length = sizeof accepting;
    return ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 && accepting;
}

// Every open descriptor of this process that is one of DPDK's telemetry sockets.
std::vector<telemetry_socket> find_telemetry_sockets(const std::string& runtime_dir) {
    std::vector<telemetry_socket> found;
    DIR* fds = ::opendir("/proc/self/fd");
    if (fds == nullptr) return found;
    const int own_fd = ::dirfd(fds);
    while (const dirent* entry = ::readdir(fds)) {
        char* end = nullptr;
        const long fd = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0' || fd < 0 || fd == own_fd) continue;
        struct stat status {};
        if (::fstat(static_cast<int>(fd), &status) != 0 || !S_ISSOCK(status.st_mode)) continue;
        if (!is_telemetry_socket_path(runtime_dir, bound_unix_path(static_cast<int>(fd)))) continue;
        found.push_back({static_cast<int>(fd), is_listening(static_cast<int>(fd))});
    }
    ::closedir(fds);
    return found;
}

std::size_t count_connections(const std::vector<telemetry_socket>& sockets) {
    std::size_t connections = 0;
    for (const telemetry_socket& s : sockets) connections += s.listening ? 0 : 1;
    return connections;
}

}  // namespace

bool is_telemetry_socket_path(const std::string& runtime_dir, const std::string& path) {
    if (runtime_dir.empty() || path.size() <= runtime_dir.size() + 1) return false;
    if (path.compare(0, runtime_dir.size(), runtime_dir) != 0 || path[runtime_dir.size()] != '/')
        return false;
    const std::string name = path.substr(runtime_dir.size() + 1);
    return name == "telemetry" || name.rfind("dpdk_telemetry.", 0) == 0;
}

telemetry_disconnect_result disconnect_telemetry_clients(const std::string& runtime_dir,
                                                         std::chrono::milliseconds wait) {
    HT_ASSERT(wait.count() >= 0);
    telemetry_disconnect_result result;
    // Listeners first: a connection accepted after the scan below would otherwise be served.
    for (const telemetry_socket& s : find_telemetry_sockets(runtime_dir)) {
        if (!s.listening) continue;
        ::shutdown(s.fd, SHUT_RDWR);
        ++result.listeners_shut;
    }
    // A client thread inside a command finishes it; its next read then returns 0 and it closes
    // its descriptor, which is what the wait below looks for.
    for (const telemetry_socket& s : find_telemetry_sockets(runtime_dir)) {
        if (s.listening) continue;
        ::shutdown(s.fd, SHUT_RDWR);
        ++result.connections_shut;
    }
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        result.still_open = count_connections(find_telemetry_sockets(runtime_dir));
        if (result.still_open == 0 || std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return result;
}

}  // namespace hypertick::gw
