#include "hypertick/feed/pcap_file.hpp"

#include <cstring>

namespace hypertick::feed {

namespace {

void put32le(uint8_t* p, uint32_t v) { std::memcpy(p, &v, sizeof v); }
void put16le(uint8_t* p, uint16_t v) { std::memcpy(p, &v, sizeof v); }

}  // namespace

uint32_t PcapReader::load32(const uint8_t* p) const {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return swapped_ ? __builtin_bswap32(v) : v;
}

bool PcapReader::open(const std::string& path) {
    std::vector<uint8_t> bytes;
    if (!read_whole_file(path, bytes, error_)) return false;
    return open_bytes(std::move(bytes));
}

bool PcapReader::open_bytes(std::vector<uint8_t> bytes) {
    bytes_ = std::move(bytes);
    error_.clear();
    return check_header();
}

bool PcapReader::check_header() {
    if (bytes_.size() < pcap_file_header_length) {
        error_ = "pcap: file shorter than its 24-byte header";
        return false;
    }
    uint32_t magic;
    std::memcpy(&magic, bytes_.data(), sizeof magic);
    swapped_ = magic == __builtin_bswap32(pcap_magic_microseconds) ||
               magic == __builtin_bswap32(pcap_magic_nanoseconds);
    const uint32_t native = swapped_ ? __builtin_bswap32(magic) : magic;
    if (native != pcap_magic_microseconds && native != pcap_magic_nanoseconds) {
        error_ = "pcap: unknown magic number (pcapng is not supported)";
        return false;
    }
    nanoseconds_ = native == pcap_magic_nanoseconds;
    const uint32_t linktype = load32(bytes_.data() + 20) & 0x0fffffffu;  // high bits: FCS info
    if (linktype != pcap_linktype_ethernet) {
        error_ = "pcap: link type " + std::to_string(linktype) + " is not Ethernet (1)";
        return false;
    }
    offset_ = pcap_file_header_length;
    return true;
}

bool PcapReader::next(PcapRecord& record) {
    const uint64_t size = bytes_.size();
    if (offset_ >= size) return false;
    if (size - offset_ < pcap_record_header_length) {
        error_ = "pcap: truncated record header at byte " + std::to_string(offset_);
        return false;
    }
    const uint8_t* header = bytes_.data() + offset_;
    const uint32_t seconds = load32(header);
    const uint32_t fraction = load32(header + 4);
    const uint32_t captured = load32(header + 8);
    if (size - offset_ - pcap_record_header_length < captured) {
        error_ = "pcap: truncated record data at byte " + std::to_string(offset_);
        return false;
    }
    record.timestamp_ns = uint64_t{seconds} * 1'000'000'000u +
                          (nanoseconds_ ? fraction : uint64_t{fraction} * 1000u);
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

bool PcapWriter::open(const std::string& path, std::string& error) {
    if (!file_.open(path, error)) return false;
    std::vector<uint8_t> header;
    append_pcap_header(header);
    file_.write(header.data(), header.size());
    return true;
}

void PcapWriter::write(uint64_t timestamp_ns, const uint8_t* frame, uint32_t length) {
    write_truncated(timestamp_ns, frame, length, length);
}

void PcapWriter::write_truncated(uint64_t timestamp_ns, const uint8_t* frame,
                                 uint32_t captured_length, uint32_t original_length) {
    std::vector<uint8_t> record;
    record.reserve(pcap_record_header_length + captured_length);
    append_pcap_record(record, timestamp_ns, frame, captured_length, original_length);
    file_.write(record.data(), record.size());
}

}  // namespace hypertick::feed
