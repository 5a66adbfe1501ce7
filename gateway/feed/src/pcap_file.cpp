#include "hypertick/feed/pcap_file.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "hypertick/base/assert.hpp"

namespace hypertick::feed {

namespace {

void put32le(uint8_t* p, uint32_t v) {
    std::memcpy(p, &v, sizeof v);
}
void put16le(uint8_t* p, uint16_t v) {
    std::memcpy(p, &v, sizeof v);
}

}  // namespace

uint16_t pcap_reader::load16(const uint8_t* p) const {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return swapped_ ? __builtin_bswap16(v) : v;
}

uint32_t pcap_reader::load32(const uint8_t* p) const {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return swapped_ ? __builtin_bswap32(v) : v;
}

bool has_capture_magic(const uint8_t* data, uint64_t size) {
    if (size < 4) return false;
    uint32_t magic;
    std::memcpy(&magic, data, sizeof magic);
    for (uint32_t known :
         {pcap_magic_microseconds, pcap_magic_nanoseconds, pcapng_section_header_type}) {
        if (magic == known || magic == __builtin_bswap32(known)) return true;
    }
    return false;
}

bool pcap_reader::open(const std::string& path) {
    error_.clear();
    if (!image_.map(path, error_)) return false;
    return check_header();
}

bool pcap_reader::open_bytes(std::vector<uint8_t> bytes) {
    image_.adopt(std::move(bytes));
    error_.clear();
    return check_header();
}

void pcap_reader::rewind() {
    error_.clear();
    // Reading the header again also restores the pcapng interfaces a later section replaced.
    HT_ASSERT(check_header());
}

bool pcap_reader::check_header() {
    records_ = 0;
    interfaces_.clear();
    const uint8_t* bytes = image_.data();
    const uint64_t size = image_.size();
    if (size == 0) {
        error_ = "the file is empty (0 bytes), not a pcap or pcapng capture";
        return false;
    }
    uint32_t magic = 0;
    std::memcpy(&magic, bytes, std::min<uint64_t>(size, sizeof magic));
    if (size >= 4 && magic == pcapng_section_header_type) return check_pcapng_header();
    format_ = capture_format::pcap;
    swapped_ = magic == __builtin_bswap32(pcap_magic_microseconds) ||
               magic == __builtin_bswap32(pcap_magic_nanoseconds);
    const uint32_t native = swapped_ ? __builtin_bswap32(magic) : magic;
    if (size < 4 || (native != pcap_magic_microseconds && native != pcap_magic_nanoseconds)) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "%08x", __builtin_bswap32(magic));
        error_ = "not a pcap or pcapng capture: it starts with 0x" +
                 std::string(hex, size < 4 ? 2 * size : 8) + ", no pcap or pcapng magic number";
        return false;
    }
    if (size < pcap_file_header_length) {
        error_ = "pcap: the 24-byte file header is cut (the file has " + std::to_string(size) +
                 " bytes)";
        return false;
    }
    nanoseconds_ = native == pcap_magic_nanoseconds;
    const uint32_t linktype = load32(bytes + 20) & 0x0fffffffu;  // high bits: FCS info
    if (linktype != pcap_linktype_ethernet) {
        error_ = "pcap: link type " + std::to_string(linktype) + " is not Ethernet (1)";
        return false;
    }
    offset_ = pcap_file_header_length;
    return true;
}

bool pcap_reader::stop(const std::string& what) {
    error_ = describe_stop("records", records_, offset_, image_.size(), what);
    offset_ = image_.size();  // nothing after a stop is read
    return false;
}

bool pcap_reader::next(pcap_record& record) {
    if (offset_ >= image_.size()) return false;
    const bool read = format_ == capture_format::pcap ? next_pcap(record) : next_pcapng(record);
    if (read) ++records_;
    return read;
}

bool pcap_reader::next_pcap(pcap_record& record) {
    const uint64_t size = image_.size();
    const std::string which =
        "record " + std::to_string(records_ + 1) + " at byte " + std::to_string(offset_);
    if (size - offset_ < pcap_record_header_length) {
        return stop(which + " is cut: " + std::to_string(size - offset_) +
                    " bytes of its 16-byte header");
    }
    const uint8_t* header = image_.data() + offset_;
    const uint32_t seconds = load32(header);
    const uint32_t fraction = load32(header + 4);
    const uint32_t captured = load32(header + 8);
    if (captured > pcap_max_record_length) {
        return stop(which + " is damaged: its header says " + std::to_string(captured) +
                    " bytes, more than " + std::to_string(pcap_max_record_length));
    }
    if (size - offset_ - pcap_record_header_length < captured) {
        return stop(which +
                    " is cut: " + std::to_string(size - offset_ - pcap_record_header_length) +
                    " of its " + std::to_string(captured) + " bytes");
    }
    record.timestamp_ns =
        uint64_t{seconds} * 1'000'000'000u + (nanoseconds_ ? fraction : uint64_t{fraction} * 1000u);
    record.data = header + pcap_record_header_length;
    record.captured_length = captured;
    record.original_length = load32(header + 12);
    offset_ += pcap_record_header_length + captured;
    return true;
}

void append_pcap_header(std::vector<uint8_t>& out) {
    uint8_t header[pcap_file_header_length] = {};
    put32le(header, pcap_magic_nanoseconds);
    put16le(header + 4, 2);  // version 2.4
    put16le(header + 6, 4);
    put32le(header + 16, pcap_snaplen);
    put32le(header + 20, pcap_linktype_ethernet);
    out.insert(out.end(), header, header + sizeof header);
}

void append_pcap_record(std::vector<uint8_t>& out, uint64_t timestamp_ns, const uint8_t* frame,
                        uint32_t captured_length, uint32_t original_length) {
    uint8_t header[pcap_record_header_length];
    put32le(header, static_cast<uint32_t>(timestamp_ns / 1'000'000'000u));
    put32le(header + 4, static_cast<uint32_t>(timestamp_ns % 1'000'000'000u));
    put32le(header + 8, captured_length);
    put32le(header + 12, original_length);
    out.insert(out.end(), header, header + sizeof header);
    out.insert(out.end(), frame, frame + captured_length);
}

bool pcap_writer::open(const std::string& path, std::string& error) {
    if (!file_.open(path, error)) return false;
    std::vector<uint8_t> header;
    append_pcap_header(header);
    file_.write(header.data(), header.size());
    return true;
}

void pcap_writer::write(uint64_t timestamp_ns, const uint8_t* frame, uint32_t length) {
    write_truncated(timestamp_ns, frame, length, length);
}

void pcap_writer::write_truncated(uint64_t timestamp_ns, const uint8_t* frame,
                                  uint32_t captured_length, uint32_t original_length) {
    std::vector<uint8_t> record;
    record.reserve(pcap_record_header_length + captured_length);
    append_pcap_record(record, timestamp_ns, frame, captured_length, original_length);
    file_.write(record.data(), record.size());
}

}  // namespace hypertick::feed
