// bbo_dump through the real binary, on captures of top-of-book datagrams built here: a frame
// that may hide records (cut by the snap length, a UDP length past the IPv4 payload, an IPv4
// fragment) counts as malformed and fails the exit status, so --final never passes off a stale
// top of book as the last one.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "gateway_harness.hpp"
#include "hypertick/base/byte_order.hpp"
#include "hypertick/base/ipv4_udp_header.hpp"
#include "hypertick/feed/pcap_file.hpp"
#include "publish/bbo_wire.hpp"

namespace {

using namespace hypertick::gw::test;
namespace base = hypertick::base;
namespace wire = hypertick::gw::wire;

using frame_bytes = std::vector<std::uint8_t>;

// Publisher 1's datagram `sequence`: one record for locate 1, best bid at `bid_price`.
frame_bytes bbo_frame(std::uint64_t sequence, std::uint32_t bid_price) {
    hypertick::book::bbo_update u;
    u.locate = 1;
    std::memcpy(u.symbol.data(), "ABCD    ", u.symbol.size());
    u.bid = {bid_price, 1, 100};
    const wire::header h = {wire::magic, wire::version, 1, 1, sequence, 0};
    base::udp_frame_fields fields;
    fields.destination_ip = 0xe9363601;
    fields.destination_port = 26400;
    const std::uint32_t payload = wire::header_bytes + wire::record_bytes;
    frame_bytes frame(base::udp_frame_header_length(fields) + payload);
    const std::uint32_t at = base::write_udp_frame_header(frame.data(), fields, payload);
    std::memcpy(frame.data() + at, &h, sizeof h);
    wire::encode_record(frame.data() + at + wire::header_bytes, u);
    return frame;
}

// Writes a capture of datagram 1 (bid 1000) then datagram 2 (bid 2000) as `spoil` leaves it;
// `spoil` may shorten the captured length of the second record below its original length.
std::string capture_with_spoiled_last(
    const std::string& path, const std::function<void(frame_bytes&, std::uint32_t&)>& spoil) {
    std::vector<std::uint8_t> file;
    hypertick::feed::append_pcap_header(file);
    const frame_bytes first = bbo_frame(1, 1000);
    const auto first_length = static_cast<std::uint32_t>(first.size());
    hypertick::feed::append_pcap_record(file, 1'000'000'000, first.data(), first_length,
                                        first_length);
    frame_bytes last = bbo_frame(2, 2000);
    const auto original = static_cast<std::uint32_t>(last.size());
    std::uint32_t captured = original;
    spoil(last, captured);
    hypertick::feed::append_pcap_record(file, 2'000'000'000, last.data(), captured, original);
    write_file(path, std::string(file.begin(), file.end()));
    return path;
}

constexpr std::uint32_t ip_offset = base::ethernet_header_length;

TEST(BboDump, AWholeCaptureReadsBothDatagramsAndExitsZero) {
    const std::string pcap = capture_with_spoiled_last(scratch_dir() + "/whole.pcap",
                                                       [](frame_bytes&, std::uint32_t&) {});
    const run_result r = run(bin("bbo_dump") + " --final " + pcap);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(bbo_dump_count(r.output, "datagrams"), 2) << r.output;
    EXPECT_EQ(bbo_dump_count(r.output, "malformed"), 0) << r.output;
    EXPECT_TRUE(contains(r.output, "\"bid\": [2000, 100, 1]")) << r.output;
}

void expect_last_frame_malformed(const run_result& r, const std::string& reason) {
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(bbo_dump_count(r.output, "datagrams"), 1) << r.output;
    EXPECT_EQ(bbo_dump_count(r.output, "malformed"), 1) << r.output;
    EXPECT_EQ(bbo_dump_count(r.output, "other frames"), 0) << r.output;
    EXPECT_TRUE(contains(r.output, "bbo_dump: frame 2: " + reason)) << r.output;
}

TEST(BboDump, ALastFrameCutBySnapLengthIsMalformed) {
    const std::string pcap = capture_with_spoiled_last(
        scratch_dir() + "/cut.pcap", [](frame_bytes&, std::uint32_t& captured) { captured -= 10; });
    expect_last_frame_malformed(run(bin("bbo_dump") + " --final " + pcap),
                                "120 of its 130 bytes captured (cut short)");
}

TEST(BboDump, AUdpLengthPastTheIpPayloadIsMalformed) {
    const std::string pcap =
        capture_with_spoiled_last(scratch_dir() + "/udp-length.pcap", [](frame_bytes& f, auto&) {
            const std::uint32_t udp = ip_offset + base::ipv4_header_length_min;
            base::store_be16(f.data() + udp + 4,
                             static_cast<std::uint16_t>(base::load_be16(f.data() + udp + 4) + 1));
        });
    expect_last_frame_malformed(run(bin("bbo_dump") + " --quiet " + pcap), "malformed_udp_length");
}

TEST(BboDump, IpFragmentsAreMalformed) {
    for (const std::uint16_t fragment : {std::uint16_t{0x2000}, std::uint16_t{0x0001}}) {
        const std::string pcap = capture_with_spoiled_last(
            scratch_dir() + "/fragment.pcap", [fragment](frame_bytes& f, auto&) {
                base::store_be16(f.data() + ip_offset + 6, fragment);  // MF, or offset 8 bytes
            });
        expect_last_frame_malformed(run(bin("bbo_dump") + " --quiet " + pcap), "ip_fragment");
    }
}

}  // namespace
