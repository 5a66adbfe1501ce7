// hypertick-gw shutting down while DPDK telemetry clients keep asking for its counters: every
// run must end cleanly, however the clients' requests fall against the shutdown. Signals that
// stop it during start-up or that come from a closed terminal end it the same clean way.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "control/unix_address.hpp"
#include "gateway/gateway_harness.hpp"

namespace fs = std::filesystem;
using namespace hypertick::gw::test;

namespace {

// The telemetry socket of a primary process with this file prefix (EAL's runtime folder).
std::string telemetry_socket(const std::string& prefix) {
    const char* xdg = std::getenv("XDG_RUNTIME_DIR");
    const std::string base = ::geteuid() == 0 ? "/var/run" : xdg != nullptr ? xdg : "/tmp";
    return base + "/dpdk/" + prefix + "/dpdk_telemetry.v2";
}

// One client: connects (again and again) and sends our commands, a book query and DPDK's own
// ethdev and heap commands back to back until `stop`, counting the replies that came back.
// DPDK's commands read ports and heaps that teardown frees: the gateway must disconnect the
// clients first.
void hammer(const std::string& path, const std::atomic<bool>& stop,
            std::atomic<std::uint64_t>& replies) {
    const char* commands[] = {"/hypertick/feeds", "/hypertick/stats",     "/ethdev/stats,0",
                              "/ethdev/xstats,1", "/hypertick/book,AAAA", "/eal/heap_info,0"};
    constexpr std::size_t command_count = sizeof commands / sizeof commands[0];
    while (!stop.load()) {
        const int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        const hypertick::gw::unix_address address(path);  // $XDG_RUNTIME_DIR may be deep
        if (fd < 0 || ::connect(fd, address.get(), address.size()) != 0) {
            if (fd >= 0) ::close(fd);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            continue;
        }
        static thread_local char buffer[1 << 16];
        bool open = ::recv(fd, buffer, sizeof buffer, 0) > 0;  // the greeting
        for (std::uint64_t i = 0; open && !stop.load(); ++i) {
            const char* c = commands[i % command_count];
            open = ::send(fd, c, std::strlen(c), MSG_NOSIGNAL) > 0 &&
                   ::recv(fd, buffer, sizeof buffer, 0) > 0;
            if (open) replies.fetch_add(1);
        }
        ::close(fd);
    }
}

}  // namespace

TEST(HostileGatewayShutdown, TelemetryClientsHammeringDuringShutdownNeverCrashIt) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 21 --symbols 20 --messages 20000 --end-of-session 0", pcap,
             dir + "/expect.json");
    constexpr int runs = 8;
    for (int run_index = 0; run_index < runs; ++run_index) {
        const std::string prefix = "hsd" + std::to_string(run_index);
        test_config c = single_feed_config(prefix);
        c.hugepages = "auto";
        c.ports[0].device = "net_pcap_" + prefix + ",rx_pcap=" + pcap + ",infinite_rx=1";
        write_file(dir + "/gw.yaml", c.yaml());
        std::atomic<bool> stop{false};
        std::atomic<std::uint64_t> replies{0};
        std::vector<std::thread> clients;
        for (int i = 0; i < 4; ++i)
            clients.emplace_back(hammer, telemetry_socket(prefix), std::cref(stop),
                                 std::ref(replies));
        const run_result r =
            run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 1.5");
        stop = true;
        for (std::thread& t : clients) t.join();
        ASSERT_EQ(r.exit_code, 0) << "run " << run_index << " after " << replies.load()
                                  << " telemetry replies\n"
                                  << r.output;
        EXPECT_TRUE(contains(r.output, "hypertick-gw stopped cleanly")) << r.output;
        EXPECT_FALSE(contains(r.output, "telemetry connections still open")) << r.output;
        EXPECT_GT(replies.load(), 0u)
            << "the clients never reached the telemetry socket " << telemetry_socket(prefix);
    }
}

namespace {

// Starts the gateway in the background with its output in `log`, waits until the log shows
// `ready_line`, sends `signal`, and returns the gateway's exit status (-1 when the line never
// came within 20 s: the gateway is then killed).
int signal_when(const std::string& command, const std::string& log, const std::string& ready_line,
                int signal) {
    const std::string pid_file = log + ".pid";
    fs::remove(pid_file);
    run_result finished;
    std::thread gateway([&] {
        finished =
            run("sh -c '" + command + " > " + log + " 2>&1 & echo $! > " + pid_file + "; wait $!'");
    });
    bool ready = false;
    for (int i = 0; i < 2000 && !ready; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::ifstream in(log);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        ready = contains(text, ready_line) && fs::exists(pid_file);
    }
    std::ifstream pid_in(pid_file);
    pid_t pid = 0;
    pid_in >> pid;
    if (pid > 0) ::kill(pid, ready ? signal : SIGKILL);
    gateway.join();
    return ready ? finished.exit_code : -1;
}

std::string text_of(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST(HostileGatewayShutdown, ASignalDuringStartUpOrAHangupStopsCleanlyWithTheSnapshot) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 25 --symbols 20 --messages 200000", pcap, dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("hsd9").yaml());
    const std::string gw = bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + pcap;
    // SIGTERM as soon as start-up begins: it lands while EAL maps memory and the ports start.
    const std::string early = dir + "/early.json";
    int status = signal_when(gw + " --snapshot " + early, dir + "/early.log",
                             "hypertick-gw starting with", SIGTERM);
    EXPECT_EQ(status, 0) << text_of(dir + "/early.log");
    EXPECT_TRUE(contains(text_of(dir + "/early.log"), "stopping: SIGTERM"))
        << text_of(dir + "/early.log");
    EXPECT_TRUE(fs::exists(early)) << "the snapshot of a run stopped during start-up";
    // SIGHUP (the terminal closed) during a paced replay: a stop like SIGTERM's.
    const std::string hangup = dir + "/hangup.json";
    status = signal_when(gw + " --pace 20k --snapshot " + hangup, dir + "/hangup.log",
                         "worker lcore(s) running", SIGHUP);
    EXPECT_EQ(status, 0) << text_of(dir + "/hangup.log");
    EXPECT_TRUE(contains(text_of(dir + "/hangup.log"), "stopping: SIGHUP"))
        << text_of(dir + "/hangup.log");
    EXPECT_TRUE(contains(text_of(dir + "/hangup.log"), "hypertick-gw stopped cleanly"));
    EXPECT_TRUE(fs::exists(hangup)) << "the snapshot of a run stopped by SIGHUP";
}
