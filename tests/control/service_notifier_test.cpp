// service_notifier in-process: nothing without NOTIFY_SOCKET, the message formats, and the
// watchdog that pings only while every watched heartbeat moves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "control/service_notifier.hpp"
#include "deploy/notify_socket.hpp"

namespace gw = hypertick::gw;

namespace {

std::string socket_path(const std::string& name) {
    const std::string dir = std::string(HYPERTICK_TEST_TMP) + "/notifier";
    std::filesystem::create_directories(dir);
    return dir + "/" + name + ".sock";
}

// Sets (or clears) the systemd variables for one test and restores a clean environment after.
struct systemd_environment {
    systemd_environment(const std::string& socket, const std::string& watchdog_usec) {
        if (!socket.empty()) ::setenv("NOTIFY_SOCKET", socket.c_str(), 1);
        if (!watchdog_usec.empty()) ::setenv("WATCHDOG_USEC", watchdog_usec.c_str(), 1);
        ::unsetenv("WATCHDOG_PID");
    }
    ~systemd_environment() {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
    }
};

}  // namespace

TEST(ServiceNotifier, WithoutNotifySocketDoesNothing) {
    gw::test::notify_socket sink(socket_path("none"));
    ASSERT_TRUE(sink.bound());
    const systemd_environment env("", "1000000");
    gw::service_notifier n;
    EXPECT_FALSE(n.active());
    EXPECT_EQ(n.watchdog_usec(), 0u);
    std::atomic<std::uint64_t> progress{0};
    n.watch(1, &progress);
    n.ready("x", 0.0);
    n.status("y");
    EXPECT_TRUE(n.keep_alive(10.0).empty());
    n.stopping();
    EXPECT_TRUE(sink.drain().empty());
}

TEST(ServiceNotifier, ReadyStatusStoppingMessages) {
    gw::test::notify_socket sink(socket_path("messages"));
    ASSERT_TRUE(sink.bound());
    const systemd_environment env(sink.path(), "");
    gw::service_notifier n;
    ASSERT_TRUE(n.active());
    EXPECT_EQ(n.watchdog_usec(), 0u);  // no WATCHDOG_USEC: no pings
    n.ready("1 worker lcore(s) polling 1 feed(s)", 0.0);
    n.status(gw::feed_status_line(2, 0, 1.234e6));
    EXPECT_TRUE(n.keep_alive(100.0).empty());
    n.stopping();
    const std::vector<std::string> m = sink.drain();
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0], "READY=1\nSTATUS=1 worker lcore(s) polling 1 feed(s)");
    EXPECT_EQ(m[1], "STATUS=2 feeds live, 0 stale, 1.2M msg/s");
    EXPECT_EQ(m[2], "STOPPING=1\nSTATUS=stopping");
}

TEST(ServiceNotifier, WatchdogPingsOnlyWhileEveryLcoreMoves) {
    gw::test::notify_socket sink(socket_path("watchdog"));
    ASSERT_TRUE(sink.bound());
    const systemd_environment env(sink.path(), "300000");  // 300 ms: a check every 100 ms
    gw::service_notifier n;
    ASSERT_EQ(n.watchdog_usec(), 300000u);
    std::atomic<std::uint64_t> lcore1{0}, lcore2{0};
    n.watch(1, &lcore1);
    n.watch(2, &lcore2);
    n.ready("up", 0.0);
    sink.drain();

    EXPECT_TRUE(n.keep_alive(0.05).empty());  // not due yet: nothing sent
    EXPECT_TRUE(sink.drain().empty());
    lcore1 = 1, lcore2 = 1;
    EXPECT_TRUE(n.keep_alive(0.11).empty());  // both moved: ping
    EXPECT_EQ(sink.drain(), std::vector<std::string>{"WATCHDOG=1"});
    lcore1 = 2;  // lcore 2 is stuck
    EXPECT_EQ(n.keep_alive(0.22), std::vector<std::uint32_t>{2});
    EXPECT_TRUE(sink.drain().empty());
    EXPECT_EQ(n.keep_alive(0.33), (std::vector<std::uint32_t>{1, 2}));  // now both stood still
    EXPECT_TRUE(sink.drain().empty());
    lcore1 = 3, lcore2 = 2;  // both move again: pings resume
    EXPECT_TRUE(n.keep_alive(0.44).empty());
    EXPECT_EQ(sink.drain(), std::vector<std::string>{"WATCHDOG=1"});
}

TEST(ServiceNotifier, StatusLineUnits) {
    EXPECT_EQ(gw::feed_status_line(1, 0, 398123.0), "1 feed live, 0 stale, 398.1k msg/s");
    EXPECT_EQ(gw::feed_status_line(3, 1, 12.0), "2 feeds live, 1 stale, 12 msg/s");
    EXPECT_EQ(gw::feed_status_line(1, 1, 0.0), "0 feeds live, 1 stale, 0 msg/s");
}

// sun_path holds 108 bytes: a checkout deep enough puts the socket beyond it, and systemd may
// give an abstract socket ("@name"). Both must receive every message.
TEST(ServiceNotifier, LongPathAndAbstractNotifySockets) {
    const std::string deep = std::string(HYPERTICK_TEST_TMP) + "/notifier/" + std::string(60, 'd') +
                             "/" + std::string(60, 'e');
    std::filesystem::create_directories(deep);
    const std::string long_path = deep + "/notify-with-a-long-name.sock";
    ASSERT_GT(long_path.size(), 108u + 20u);
    for (const std::string& address :
         {long_path, "@hypertick-notifier-test-" + std::to_string(::getpid())}) {
        gw::test::notify_socket sink(address);
        ASSERT_TRUE(sink.bound()) << address;
        const systemd_environment env(address, "");
        gw::service_notifier n;
        ASSERT_TRUE(n.active());
        n.ready("up", 0.0);
        n.stopping();
        std::vector<std::string> m;
        for (int i = 0; i < 200 && m.size() < 2; ++i) {
            for (std::string& one : sink.drain()) m.push_back(std::move(one));
            if (m.size() < 2) ::usleep(5000);
        }
        ASSERT_EQ(m.size(), 2u) << address;
        EXPECT_EQ(m[0], "READY=1\nSTATUS=up");
        EXPECT_EQ(m[1], "STOPPING=1\nSTATUS=stopping");
    }
}
