// Whole-file reads and buffered writes for the capture readers and writers. Control plane only:
// these allocate and make system calls; nothing here runs on a hot path.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace hypertick::feed {

// Reads the whole file into `out`. On failure returns false and says why in `error`.
bool read_whole_file(const std::string& path, std::vector<uint8_t>& out, std::string& error);

// A write-only file that owns its FILE* and reports the first error it met.
class OutputFile {
public:
    OutputFile() = default;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile() { close(); }

    bool open(const std::string& path, std::string& error);
    void write(const void* data, size_t length);
    // Flushes and closes; false if any write or the close failed.
    bool close();
    bool is_open() const { return file_ != nullptr; }

private:
    std::FILE* file_ = nullptr;
    bool failed_ = false;
};

}  // namespace hypertick::feed
