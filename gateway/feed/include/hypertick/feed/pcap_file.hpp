// Classic libpcap capture files, read whole into memory (a hand-written reader: no libpcap, no
// per-packet system calls, records point straight into the file image).
//
// Reads microsecond (0xa1b2c3d4) and nanosecond (0xa1b23c4d) files written in either byte
// order, link type Ethernet only. Writes nanosecond little-endian files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hypertick/feed/file_bytes.hpp"

namespace hypertick::feed {

inline constexpr uint32_t pcap_magic_microseconds = 0xa1b2c3d4;
inline constexpr uint32_t pcap_magic_nanoseconds = 0xa1b23c4d;
inline constexpr uint32_t pcap_file_header_length = 24;
inline constexpr uint32_t pcap_record_header_length = 16;
inline constexpr uint32_t pcap_linktype_ethernet = 1;
inline constexpr uint32_t pcap_snaplen = 65535;

struct PcapRecord {
    uint64_t timestamp_ns = 0;
    const uint8_t* data = nullptr;
    uint32_t captured_length = 0;
    uint32_t original_length = 0;
};

class PcapReader {
public:
    // Loads the file and checks its header. On failure returns false; error() says why.
    bool open(const std::string& path);
    // Uses bytes already in memory (tests, fuzzing); the reader keeps its own copy.
    bool open_bytes(std::vector<uint8_t> bytes);

    // The next record, or false at the end of the file or on a truncated record (then error()
    // is non-empty).
    bool next(PcapRecord& record);
    void rewind() { offset_ = pcap_file_header_length; }

    const std::string& error() const { return error_; }
    bool nanosecond_resolution() const { return nanoseconds_; }
    const std::vector<uint8_t>& bytes() const { return bytes_; }

private:
    bool check_header();
    uint32_t load32(const uint8_t* p) const;

    std::vector<uint8_t> bytes_;
    uint64_t offset_ = 0;
    bool swapped_ = false;
    bool nanoseconds_ = false;
    std::string error_;
};

class PcapWriter {
public:
    bool open(const std::string& path, std::string& error);
    void write(uint64_t timestamp_ns, const uint8_t* frame, uint32_t length);
    // Writes a record whose captured length is shorter than the frame on the wire (truncation).
    void write_truncated(uint64_t timestamp_ns, const uint8_t* frame, uint32_t captured_length,
                         uint32_t original_length);
    bool close() { return file_.close(); }

private:
    OutputFile file_;
};

// Appends a pcap file image (header + records) to `out`, for in-memory captures.
void append_pcap_header(std::vector<uint8_t>& out);
void append_pcap_record(std::vector<uint8_t>& out, uint64_t timestamp_ns, const uint8_t* frame,
                        uint32_t captured_length, uint32_t original_length);

}  // namespace hypertick::feed
