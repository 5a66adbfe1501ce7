#include "hypertick/feed/file_bytes.hpp"

#include <cerrno>
#include <cstring>

namespace hypertick::feed {

bool read_whole_file(const std::string& path, std::vector<uint8_t>& out, std::string& error) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        error = path + ": " + std::strerror(errno);
        return false;
    }
    out.clear();
    uint8_t chunk[1 << 16];
    size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) out.insert(out.end(), chunk, chunk + n);
    const bool ok = std::ferror(file) == 0;
    std::fclose(file);
    if (!ok) error = path + ": read error";
    return ok;
}

bool OutputFile::open(const std::string& path, std::string& error) {
    close();
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) {
        error = path + ": " + std::strerror(errno);
        return false;
    }
    failed_ = false;
    return true;
}

void OutputFile::write(const void* data, size_t length) {
    if (file_ == nullptr) return;
    if (std::fwrite(data, 1, length, file_) != length) failed_ = true;
}

bool OutputFile::close() {
    if (file_ == nullptr) return !failed_;
    if (std::fclose(file_) != 0) failed_ = true;
    file_ = nullptr;
    return !failed_;
}

}  // namespace hypertick::feed
