// An AF_UNIX socket address for a path of any length, or for an abstract name ("@name", the form
// systemd may give in NOTIFY_SOCKET). sun_path holds 108 bytes, and a checkout or a runtime folder
// can be deeper than that: a longer path is reached through its folder, held open with O_PATH
// while the address is in use, as /proc/self/fd/N/NAME. Header-only so the tests' stand-in for
// systemd binds the same way the gateway sends.
#pragma once

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

namespace hypertick::gw {

class unix_address {
  public:
    explicit unix_address(const std::string& target) {
        address_.sun_family = AF_UNIX;
        if (target.empty()) {
            error_ = "empty socket address";
        } else if (target[0] ==
                   '@') {  // abstract: a leading NUL, then the name (not NUL-terminated)
            std::string name(1, '\0');
            name.append(target, 1);
            if (name.size() > sizeof address_.sun_path)
                error_ = "abstract socket name longer than 107 bytes";
            else
                set(name, false);
        } else if (target.size() < sizeof address_.sun_path) {
            set(target, true);
        } else {
            const std::size_t slash = target.find_last_of('/');
            const std::string folder = slash == 0 ? "/" : target.substr(0, slash);
            folder_fd_ = slash == std::string::npos
                             ? -1
                             : ::open(folder.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
            const int open_error = slash == std::string::npos ? ENAMETOOLONG : errno;
            // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) on "text" + std::string
            // chains.
            std::string via = "/proc/self/fd/";
            via.append(std::to_string(folder_fd_)).append("/").append(target, slash + 1);
            if (folder_fd_ < 0)
                error_.append("cannot open the folder of the socket: ")
                    .append(std::strerror(open_error));
            else if (via.size() >= sizeof address_.sun_path)
                error_ = "socket file name longer than 80 bytes";
            else
                set(via, true);
        }
    }
    ~unix_address() {
        if (folder_fd_ >= 0) ::close(folder_fd_);
    }
    unix_address(const unix_address&) = delete;
    unix_address& operator=(const unix_address&) = delete;

    [[nodiscard]] bool ok() const { return error_.empty(); }
    [[nodiscard]] const std::string& error() const { return error_; }
    [[nodiscard]] const sockaddr* get() const {
        return reinterpret_cast<const sockaddr*>(&address_);
    }
    [[nodiscard]] socklen_t size() const { return size_; }

  private:
    void set(const std::string& path, bool terminated) {
        std::memcpy(address_.sun_path, path.data(), path.size());
        size_ = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() +
                                       (terminated ? 1 : 0));
    }

    sockaddr_un address_{};
    socklen_t size_ = 0;
    int folder_fd_ = -1;
    std::string error_;
};

}  // namespace hypertick::gw
