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

#include "gateway_harness.hpp"

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

TEST(MoldServer, AnswersWaitingForTheirDelayAreBoundedAndTheRestCounted) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 3 --symbols 4 --messages 2000 --session FLOOD00001", pcap,
             dir + "/expect.json");
    const int port = 20000 + ::getpid() % 20000;
    const std::string log = dir + "/server.log";
    std::thread server([&] {
        run(bin("mold_server") + " --capture " + pcap + " --listen 127.0.0.1:" +
            std::to_string(port) + " --delay-ms 600000 --duration 6 > " + log);
    });
    for (int i = 0; i < 500 && text_of(log).find("listening on") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_NE(text_of(log).find("listening on"), std::string::npos) << text_of(log);

    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::uint8_t request[20] = {};
    std::memcpy(request, "FLOOD00001", 10);
    request[17] = 1;  // sequence 1
    request[19] = 1;  // count 1
    // More requests than answers may wait, in small bursts the socket buffer holds.
    for (int burst = 0; burst < 400; ++burst) {
        for (int i = 0; i < 200; ++i)
            ::sendto(fd, request, sizeof request, 0, reinterpret_cast<const sockaddr*>(&to),
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

}  // namespace
