// Capture files, classic pcap and pcapng, mapped into memory (a hand-written reader: no
// libpcap, no per-packet system calls, records point straight into the file image). The one
// capture reader of the tools (book_replay, bbo_dump, mold_server) and of the gateway's check
// of --replay before DPDK starts.
//
// pcap: microsecond (0xa1b2c3d4) and nanosecond (0xa1b23c4d) files in either byte order.
// pcapng: sections in either byte order, interface descriptions with any timestamp resolution
// and offset, enhanced, simple and obsolete packet blocks; other blocks are skipped.
// Link type Ethernet only. Writes nanosecond little-endian pcap files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hypertick/feed/file_bytes.hpp"

namespace hypertick::feed {

inline constexpr uint32_t pcap_magic_microseconds = 0xa1b2c3d4;
inline constexpr uint32_t pcap_magic_nanoseconds = 0xa1b23c4d;
inline constexpr uint32_t pcapng_section_header_type = 0x0a0d0d0a;
inline constexpr uint32_t pcap_file_header_length = 24;
inline constexpr uint32_t pcap_record_header_length = 16;
inline constexpr uint32_t pcap_linktype_ethernet = 1;
inline constexpr uint32_t pcap_snaplen = 65535;
// libpcap refuses records longer than this (its largest snapshot length for Ethernet): a longer
// length in a record header means the file is damaged, not that the frame is big.
inline constexpr uint32_t pcap_max_record_length = 262144;

enum class capture_format : uint8_t { pcap, pcapng };

// True when the first bytes are a pcap or pcapng magic number (either byte order).
bool has_capture_magic(const uint8_t* data, uint64_t size);

struct pcap_record {
    uint64_t timestamp_ns = 0;
    const uint8_t* data = nullptr;
    uint32_t captured_length = 0;
    uint32_t original_length = 0;
};

class pcap_reader {
  public:
    // Maps the file and checks its header (and, for pcapng, the first interface's link type).
    // On failure returns false; error() says why, without the path.
    bool open(const std::string& path);
    // Uses bytes already in memory (tests, fuzzing); the reader keeps them.
    bool open_bytes(std::vector<uint8_t> bytes);

    // The next record, or false at the end of the file, or where the file stops being a capture
    // (a cut or damaged record, a non-Ethernet interface): then error() says how much was read
    // and what stopped it, in describe_stop's words.
    bool next(pcap_record& record);
    // Back to the first record (after a successful open only): the header is read again.
    void rewind();

    const std::string& error() const { return error_; }
    capture_format format() const { return format_; }
    bool nanosecond_resolution() const { return nanoseconds_; }
    uint64_t records_read() const { return records_; }
    uint64_t size() const { return image_.size(); }

  private:
    struct capture_interface {
        uint32_t snaplen = 0;
        uint64_t units_per_second = 1'000'000;  // if_tsresol, 10^6 when absent
        bool binary_resolution = false;         // units_per_second is 2^n
        int64_t offset_seconds = 0;             // if_tsoffset
    };

    bool check_header();
    bool next_pcap(pcap_record& record);
    // pcapng (pcapng_blocks.cpp)
    bool check_pcapng_header();
    bool next_pcapng(pcap_record& record);
    bool read_section_header(uint64_t at);
    bool read_interface(const uint8_t* body, uint32_t body_length);
    bool read_packet(uint32_t type, const uint8_t* body, uint32_t body_length, pcap_record& record);
    uint64_t interface_time_ns(const capture_interface& interface, uint64_t units) const;
    bool stop(const std::string& what);

    uint16_t load16(const uint8_t* p) const;
    uint32_t load32(const uint8_t* p) const;

    file_image image_;
    capture_format format_ = capture_format::pcap;
    uint64_t offset_ = 0;
    uint64_t records_ = 0;
    bool swapped_ = false;
    bool nanoseconds_ = false;
    std::vector<capture_interface> interfaces_;
    std::string error_;
};

class pcap_writer {
  public:
    bool open(const std::string& path, std::string& error);
    void write(uint64_t timestamp_ns, const uint8_t* frame, uint32_t length);
    // Writes a record whose captured length is shorter than the frame on the wire (truncation).
    void write_truncated(uint64_t timestamp_ns, const uint8_t* frame, uint32_t captured_length,
                         uint32_t original_length);
    bool close() { return file_.close(); }

  private:
    output_file file_;
};

// Appends a pcap file image (header + records) to `out`, for in-memory captures.
void append_pcap_header(std::vector<uint8_t>& out);
void append_pcap_record(std::vector<uint8_t>& out, uint64_t timestamp_ns, const uint8_t* frame,
                        uint32_t captured_length, uint32_t original_length);

}  // namespace hypertick::feed
