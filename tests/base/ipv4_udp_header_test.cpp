// The Ethernet/IPv4/UDP header writer and the IPv4 header checksum, against published headers.
#include "hypertick/base/ipv4_udp_header.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace base = hypertick::base;

namespace {

std::vector<uint8_t> bytes(std::initializer_list<unsigned> b) {
    return {b.begin(), b.end()};
}

// Two IPv4 headers with their checksums as published (the checksum field is bytes 10-11): a UDP
// datagram 192.168.0.1 -> 192.168.0.199 and a TCP segment 172.16.10.99 -> 172.16.10.12.
const std::vector<uint8_t> udp_vector =
    bytes({0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
           0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7});
const std::vector<uint8_t> tcp_vector =
    bytes({0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06,
           0xb1, 0xe6, 0xac, 0x10, 0x0a, 0x63, 0xac, 0x10, 0x0a, 0x0c});

uint16_t checksum_with_field_zeroed(std::vector<uint8_t> header) {
    header[10] = header[11] = 0;
    return base::ipv4_header_checksum(header.data(), static_cast<uint32_t>(header.size()));
}

TEST(BaseIpv4UdpHeader, ChecksumMatchesPublishedHeaders) {
    EXPECT_EQ(checksum_with_field_zeroed(udp_vector), 0xb861);
    EXPECT_EQ(checksum_with_field_zeroed(tcp_vector), 0xb1e6);
    // Over a header that carries its checksum, the checksum is 0: how a receiver verifies it.
    EXPECT_EQ(base::ipv4_header_checksum(udp_vector.data(), 20), 0);
    EXPECT_EQ(base::ipv4_header_checksum(tcp_vector.data(), 20), 0);
}

TEST(BaseIpv4UdpHeader, ChecksumFoldsEveryCarry) {
    // All-ones words: the sum carries out of 16 bits on every addition.
    const std::vector<uint8_t> ones(20, 0xff);
    EXPECT_EQ(base::ipv4_header_checksum(ones.data(), 20), 0x0000);
    const std::vector<uint8_t> zeros(20, 0);
    EXPECT_EQ(base::ipv4_header_checksum(zeros.data(), 20), 0xffff);
}

base::udp_frame_fields udp_vector_fields() {
    base::udp_frame_fields f;
    f.destination_mac = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
    f.source_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    f.source_ip = 0xc0a80001;       // 192.168.0.1
    f.destination_ip = 0xc0a800c7;  // 192.168.0.199
    f.source_port = 26400;
    f.destination_port = 26477;
    f.ttl = 64;
    return f;
}

TEST(BaseIpv4UdpHeader, WritesThePublishedUdpHeader) {
    const base::udp_frame_fields f = udp_vector_fields();
    const uint32_t payload = 0x73 - 28;  // IPv4 total length 0x73
    std::vector<uint8_t> frame(64, 0xaa);
    ASSERT_EQ(base::udp_frame_header_length(f), 42u);
    ASSERT_EQ(base::write_udp_frame_header(frame.data(), f, payload), 42u);
    EXPECT_EQ(std::vector<uint8_t>(frame.begin(), frame.begin() + 6),
              bytes({0x00, 0x11, 0x22, 0x33, 0x44, 0x55}));
    EXPECT_EQ(std::vector<uint8_t>(frame.begin() + 6, frame.begin() + 12),
              bytes({0x02, 0, 0, 0, 0, 1}));
    EXPECT_EQ(base::load_be16(frame.data() + 12), base::ethertype_ipv4);
    EXPECT_EQ(std::vector<uint8_t>(frame.begin() + 14, frame.begin() + 34), udp_vector);
    EXPECT_EQ(base::load_be16(frame.data() + 34), 26400);
    EXPECT_EQ(base::load_be16(frame.data() + 36), 26477);
    EXPECT_EQ(base::load_be16(frame.data() + 38), 8 + payload);
    EXPECT_EQ(base::load_be16(frame.data() + 40), 0);  // UDP checksum: none
    EXPECT_EQ(frame[42], 0xaa) << "nothing written past the header";
}

TEST(BaseIpv4UdpHeader, VlanTagComesBeforeTheEthertype) {
    base::udp_frame_fields f = udp_vector_fields();
    f.vlan = 0x1234;  // only the low 12 bits are the VLAN id
    std::vector<uint8_t> frame(64, 0);
    ASSERT_EQ(base::write_udp_frame_header(frame.data(), f, 87), 46u);
    EXPECT_EQ(base::load_be16(frame.data() + 12), base::ethertype_vlan);
    EXPECT_EQ(base::load_be16(frame.data() + 14), 0x0234);
    EXPECT_EQ(base::load_be16(frame.data() + 16), base::ethertype_ipv4);
    EXPECT_EQ(std::vector<uint8_t>(frame.begin() + 18, frame.begin() + 38), udp_vector);
}

TEST(BaseIpv4UdpHeader, RefittingATemplateEqualsWritingAfresh) {
    const base::udp_frame_fields f = udp_vector_fields();
    std::vector<uint8_t> refit(42), fresh(42);
    base::write_udp_frame_header(refit.data(), f, 0);
    for (uint32_t payload : {1u, 87u, 1400u, base::udp_payload_length_max}) {
        base::set_udp_payload_length(refit.data() + base::ethernet_header_length, payload);
        base::write_udp_frame_header(fresh.data(), f, payload);
        EXPECT_EQ(refit, fresh) << payload;
        EXPECT_EQ(base::ipv4_header_checksum(refit.data() + 14, 20), 0) << payload;
    }
}

TEST(BaseIpv4UdpHeader, MulticastMacKeepsTheGroupsLow23Bits) {
    EXPECT_EQ(base::multicast_mac(0xe9360c6f),
              (base::mac_address{0x01, 0x00, 0x5e, 0x36, 0x0c, 0x6f}));  // 233.54.12.111
    EXPECT_EQ(base::multicast_mac(0xefff0101),
              (base::mac_address{0x01, 0x00, 0x5e, 0x7f, 0x01, 0x01}));  // 239.255.1.1
}

TEST(BaseIpv4UdpHeaderDeathTest, PayloadBeyondIpv4IsRefused) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    std::vector<uint8_t> frame(64);
    EXPECT_DEATH(base::write_udp_frame_header(frame.data(), udp_vector_fields(),
                                              base::udp_payload_length_max + 1),
                 "payload_length <= udp_payload_length_max");
}

}  // namespace
