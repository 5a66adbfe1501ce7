#include "hypertick/feed/file_bytes.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "hypertick/base/assert.hpp"

namespace hypertick::feed {

namespace {

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

}  // namespace

bool file_image::map(const std::string& path, std::string& error) {
    release();
    // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        error = std::strerror(errno);
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        error = std::string("fstat: ") + std::strerror(errno);
        ::close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error = std::string("is ") + kind_of(st.st_mode) + ", not a regular file";
        ::close(fd);
        return false;
    }
    if (st.st_size > 0) {
        void* mapping =
            ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
        if (mapping == MAP_FAILED) {
            error = std::string("mmap: ") + std::strerror(errno);
            ::close(fd);
            return false;
        }
        ::madvise(mapping, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
        mapping_ = mapping;
        data_ = static_cast<const uint8_t*>(mapping);
        size_ = static_cast<uint64_t>(st.st_size);
    }
    ::close(fd);  // the mapping keeps the file
    return true;
}

void file_image::adopt(std::vector<uint8_t> bytes) {
    release();
    owned_ = std::move(bytes);
    data_ = owned_.data();
    size_ = owned_.size();
}

void file_image::release() {
    if (mapping_ != nullptr) {
        HT_ASSERT(::munmap(mapping_, size_) == 0);
        mapping_ = nullptr;
    }
    owned_.clear();
    data_ = nullptr;
    size_ = 0;
}

std::string describe_stop(const char* unit, uint64_t complete, uint64_t offset, uint64_t total,
                          const std::string& what) {
    HT_ASSERT(offset <= total);
    return "read " + std::to_string(complete) + " " + unit + " (" + std::to_string(offset) +
           " of " + std::to_string(total) + " bytes); " + what + "; the last " +
           std::to_string(total - offset) + " bytes are not read";
}

bool output_file::open(const std::string& path, std::string& error) {
    close();
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) {
        error = path + ": " + std::strerror(errno);
        return false;
    }
    failed_ = false;
    return true;
}

void output_file::write(const void* data, size_t length) {
    if (file_ == nullptr) return;
    if (std::fwrite(data, 1, length, file_) != length) failed_ = true;
}

bool output_file::close() {
    if (file_ == nullptr) return !failed_;
    if (std::fclose(file_) != 0) failed_ = true;
    file_ = nullptr;
    return !failed_;
}

}  // namespace hypertick::feed
