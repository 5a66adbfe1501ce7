#include "hypertick/feed/replace_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "hypertick/base/assert.hpp"

namespace hypertick::feed {

namespace {

std::string folder_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A name no other writer uses: the process id and a per-process counter. O_EXCL below makes a
// leftover from a killed process with the same id fail cleanly instead of being shared.
std::string temporary_name(const std::string& path) {
    static std::atomic<uint32_t> counter{0};
    return folder_of(path) + "/." + base_of(path) + "." + std::to_string(::getpid()) + "." +
           std::to_string(counter.fetch_add(1)) + ".tmp";
}

bool write_all(int fd, const uint8_t* data, std::size_t length) {
    while (length > 0) {
        const ssize_t n = ::write(fd, data, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            return false;
        }
        data += n;
        length -= static_cast<std::size_t>(n);
    }
    return true;
}

std::string failed(const char* step, const std::string& file) {
    return std::string(step) + " " + file + ": " + std::strerror(errno);
}

}  // namespace

bool replace_file(const std::string& path, const void* data, std::size_t length,
                  std::string& error) {
    HT_ASSERT(data != nullptr || length == 0);
    if (path.empty() || path.back() == '/') {
        error = "\"" + path + "\" names a folder, not a file";
        return false;
    }
    const std::string temporary = temporary_name(path);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        error = failed("cannot create", temporary);
        return false;
    }
    bool ok = write_all(fd, static_cast<const uint8_t*>(data), length);
    if (!ok) error = failed("cannot write", temporary);
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        error = failed("cannot fsync", temporary);
    }
    if (::close(fd) != 0 && ok) {
        ok = false;
        error = failed("cannot close", temporary);
    }
    if (ok && ::rename(temporary.c_str(), path.c_str()) != 0) {
        ok = false;
        error = failed("cannot rename the new file onto", path);
    }
    if (!ok) {
        const int cause = errno;
        ::unlink(temporary.c_str());
        errno = cause;
        return false;
    }
    // The rename is durable only once the folder's entry is on disk.
    const int folder = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
    return true;
}

}  // namespace hypertick::feed
