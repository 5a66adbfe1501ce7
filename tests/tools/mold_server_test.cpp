// mold_server under a request flood: the answers waiting for --delay-ms are bounded, and the
// requests dropped for it are counted in the summary.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "gateway_harness.hpp"
#include "hypertick/base/ipv4_udp_header.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace {

using namespace hypertick::gw::test;

std::string text_of(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::uint64_t summary_count(const std::string& summary, const std::string& name) {
    const std::vector<std::uint64_t> found = numbers_between(summary, name + " ", "");
    EXPECT_FALSE(found.empty()) << name << " in\n" << summary;
    return found.empty() ? 0 : found[0];
}

// mold_server on 127.0.0.1:`port` answering from `pcap` (session FLOOD00001) with `options`,
// its output in `log`; returns once it listens (the thread ends with the server).
std::thread start_server(const std::string& pcap, int port, const std::string& options,
                         const std::string& log) {
    std::thread server([=] {
        run(bin("mold_server") + " --capture " + pcap +
            " --listen 127.0.0.1:" + std::to_string(port) + " " + options + " > " + log);
    });
    for (int i = 0; i < 500 && text_of(log).find("listening on") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_NE(text_of(log).find("listening on"), std::string::npos) << text_of(log);
    return server;
}

sockaddr_in loopback(int port) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return to;
}

// A request for message 1 of session FLOOD00001.
struct request_bytes {
    std::uint8_t bytes[20] = {'F', 'L', 'O', 'O', 'D', '0', '0', '0', '0', '1',
                              0,   0,   0,   0,   0,   0,   0,   1,   0,   1};
};

TEST(MoldServer, AnswersWaitingForTheirDelayAreBoundedAndTheRestCounted) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 3 --symbols 4 --messages 2000 --session FLOOD00001", pcap,
             dir + "/expect.json");
    const int port = 20000 + ::getpid() % 20000;
    const std::string log = dir + "/server.log";
    std::thread server = start_server(pcap, port, "--delay-ms 600000 --duration 6", log);

    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(fd, 0);
    const sockaddr_in to = loopback(port);
    const request_bytes r;
    const std::uint8_t* request = r.bytes;
    // More requests than answers may wait, in small bursts the socket buffer holds.
    for (int burst = 0; burst < 400; ++burst) {
        for (int i = 0; i < 200; ++i)
            ::sendto(fd, request, sizeof r.bytes, 0, reinterpret_cast<const sockaddr*>(&to),
                     sizeof to);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::close(fd);
    server.join();
    const std::string summary = text_of(log);
    ASSERT_NE(summary.find("mold_server: stopping"), std::string::npos) << summary;
    const std::uint64_t requests = summary_count(summary, "requests");
    const std::uint64_t answered = summary_count(summary, "answered");
    const std::uint64_t waiting_full = summary_count(summary, "dropped with 65536 answers waiting");
    EXPECT_GT(requests, 65536u) << summary;
    EXPECT_EQ(answered, 65536u) << summary;
    EXPECT_EQ(answered + waiting_full, requests) << summary;
}

// With --allow, only the named requesters get answers; the others are counted as refused.
TEST(MoldServer, RequestsFromOutsideAllowAreRefusedAndCounted) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 3 --symbols 4 --messages 200 --session FLOOD00001", pcap,
             dir + "/expect.json");
    const int port = 20000 + (::getpid() + 7) % 20000;
    const sockaddr_in to = loopback(port);
    const request_bytes r;
    for (const std::string allow : {"127.0.0.2", "127.0.0.0/8"}) {
        SCOPED_TRACE(allow);
        const bool allowed = allow == "127.0.0.0/8";  // the requests come from 127.0.0.1
        const std::string log = dir + (allowed ? "/allowed.log" : "/refused.log");
        std::thread server =
            start_server(pcap, port, "--allow " + allow + " --max-requests 3 --duration 10", log);
        const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        ASSERT_GE(fd, 0);
        const timeval wait{0, 300'000};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        int answers = 0;
        std::uint8_t answer[2048];
        for (int i = 0; i < 3; ++i) {
            ::sendto(fd, r.bytes, sizeof r.bytes, 0, reinterpret_cast<const sockaddr*>(&to),
                     sizeof to);
            answers += ::recv(fd, answer, sizeof answer, 0) > 20 ? 1 : 0;
        }
        ::close(fd);
        server.join();
        const std::string summary = text_of(log);
        EXPECT_EQ(answers, allowed ? 3 : 0) << summary;
        EXPECT_EQ(summary_count(summary, "answered"), allowed ? 3u : 0u) << summary;
        EXPECT_EQ(summary_count(summary, "refused (not --allow)"), allowed ? 0u : 3u) << summary;
    }
    const run_result bad = run(bin("mold_server") + " --capture " + pcap +
                               " --listen 127.0.0.1:1 --allow 127.0.0.1/8");
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_TRUE(contains(bad.output, "--allow")) << bad.output;
}

// The answer to one request `r` from a server on `port`, or empty.
std::vector<std::uint8_t> answer_to(int port, const request_bytes& r) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    EXPECT_GE(fd, 0);
    const timeval wait{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    const sockaddr_in to = loopback(port);
    ::sendto(fd, r.bytes, sizeof r.bytes, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    std::vector<std::uint8_t> answer(2048);
    const ssize_t n = ::recv(fd, answer.data(), answer.size(), 0);
    ::close(fd);
    answer.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return answer;
}

// A capture holding two sessions, whose numbers both start at 1: the server keeps only the
// session it serves, so message 1 is that session's message 1, never the other's.
TEST(MoldServer, OnlyTheServedSessionIsIndexedAndOtherSessionsAreCounted) {
    const std::string dir = scratch_dir();
    const std::string served = dir + "/served.pcap";
    const std::string other = dir + "/other.pcap";
    itch_gen("--seed 3 --symbols 4 --messages 200 --session FLOOD00001", served,
             dir + "/served.json");
    itch_gen("--seed 5 --symbols 4 --messages 200 --session OTHER00002", other,
             dir + "/other.json");
    // The other session first, so it is also the capture's first frame.
    const std::string served_bytes = text_of(served);
    const std::string other_bytes = text_of(other);
    ASSERT_GT(served_bytes.size(), 24u);
    ASSERT_EQ(served_bytes.substr(0, 24), other_bytes.substr(0, 24));  // one pcap header fits both
    write_file(dir + "/mixed.pcap", other_bytes + served_bytes.substr(24));

    const int port = 20000 + (::getpid() + 13) % 20000;
    std::thread alone =
        start_server(served, port, "--max-requests 1 --duration 10", dir + "/alone.log");
    const std::vector<std::uint8_t> expected = answer_to(port, request_bytes{});
    alone.join();
    ASSERT_GT(expected.size(), 20u) << text_of(dir + "/alone.log");
    EXPECT_TRUE(contains(text_of(dir + "/alone.log"), ", 0 datagrams of other sessions skipped"));

    std::thread mixed =
        start_server(dir + "/mixed.pcap", port,
                     "--session FLOOD00001 --max-requests 1 --duration 10", dir + "/mixed.log");
    const std::vector<std::uint8_t> answer = answer_to(port, request_bytes{});
    mixed.join();
    const std::string log = text_of(dir + "/mixed.log");
    EXPECT_EQ(answer, expected) << log;
    EXPECT_TRUE(contains(log, "session 'FLOOD00001'")) << log;
    const std::vector<std::uint64_t> skipped = numbers_between(log, "), ", " datagrams of other");
    ASSERT_EQ(skipped.size(), 1u) << log;
    EXPECT_GT(skipped[0], 0u) << log;

    // Without --session the capture's first frame names the session served.
    const run_result none =
        run(bin("mold_server") + " --capture " + dir + "/mixed.pcap" +
            " --listen 127.0.0.1:" + std::to_string(port) + " --session NOSUCH0001 --duration 1");
    EXPECT_EQ(none.exit_code, 1) << none.output;
    EXPECT_TRUE(contains(none.output, "no MoldUDP64 message of session 'NOSUCH0001'"))
        << none.output;
}

// MoldUDP64 allows a message of length 0: the server answers it like any other, and the
// messages after it in the same answer.
TEST(MoldServer, AZeroLengthMessageIsAnsweredWithTheOnesAfterIt) {
    const std::string dir = scratch_dir();
    // One datagram of session FLOOD00001: message 1 "ABC", message 2 empty, message 3 "DEF".
    const std::vector<std::uint8_t> payload = {'F', 'L', 'O', 'O', 'D', '0', '0', '0', '0', '1', 0,
                                               0,   0,   0,   0,   0,   0,   1,   0,   3,   0,   3,
                                               'A', 'B', 'C', 0,   0,   0,   3,   'D', 'E', 'F'};
    hypertick::base::udp_frame_fields fields;
    fields.source_ip = 0x0a000001;
    fields.destination_ip = 0xe9363601;
    fields.source_port = 26400;
    fields.destination_port = 26400;
    std::vector<std::uint8_t> frame(hypertick::base::udp_frame_header_length(fields) +
                                    payload.size());
    const std::uint32_t at = hypertick::base::write_udp_frame_header(
        frame.data(), fields, static_cast<std::uint32_t>(payload.size()));
    std::memcpy(frame.data() + at, payload.data(), payload.size());
    std::vector<std::uint8_t> file;
    hypertick::feed::append_pcap_header(file);
    const auto length = static_cast<std::uint32_t>(frame.size());
    hypertick::feed::append_pcap_record(file, 1'000'000'000, frame.data(), length, length);
    write_file(dir + "/empty-message.pcap", std::string(file.begin(), file.end()));

    const int port = 20000 + (::getpid() + 17) % 20000;
    const std::string log = dir + "/server.log";
    std::thread server =
        start_server(dir + "/empty-message.pcap", port, "--max-requests 1 --duration 10", log);
    request_bytes r;
    r.bytes[19] = 3;  // messages 1 to 3
    const std::vector<std::uint8_t> answer = answer_to(port, r);
    server.join();
    const std::vector<std::uint8_t> expected(payload.begin(), payload.end());
    EXPECT_EQ(answer, expected) << text_of(log);
    EXPECT_TRUE(contains(text_of(log), "3 messages (1..3)")) << text_of(log);
}

}  // namespace
