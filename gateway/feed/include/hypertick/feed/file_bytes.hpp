// Whole-file reads and buffered writes for the capture readers and writers. Control plane only:
// these allocate and make system calls; nothing here runs on a hot path.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace hypertick::feed {

// The bytes of a whole file: a regular file mapped read-only (never copied, so its size is
// bounded by the address space, not by the heap), or bytes handed over by the caller (tests,
// generated captures). Devices, FIFOs and folders are refused: they have no size to bound a
// read (/dev/zero never ends) and opening them can block.
class file_image {
  public:
    file_image() = default;
    file_image(const file_image&) = delete;
    file_image& operator=(const file_image&) = delete;
    ~file_image() { release(); }

    // Maps `path`. On failure returns false and says why in `error` (without the path: the
    // caller names the file).
    bool map(const std::string& path, std::string& error);
    void adopt(std::vector<uint8_t> bytes);

    const uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }

  private:
    void release();

    std::vector<uint8_t> owned_;
    void* mapping_ = nullptr;
    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
};

// The one wording every capture reader uses when a file stops before its end (a capture tool
// killed mid-write leaves a cut record; a damaged file a record that cannot be one):
//   "read 12 records (4096 of 4100 bytes); record 13 at byte 4096 is cut: ...; the last 4
//    bytes are not read"
std::string describe_stop(const char* unit, uint64_t complete, uint64_t offset, uint64_t total,
                          const std::string& what);

// A write-only file that owns its FILE* and reports the first error it met.
class output_file {
  public:
    output_file() = default;
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;
    ~output_file() { close(); }

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
