// Gap recovery across a real network stack: both lines lose the same datagrams, the gateway asks
// mold_server for them through a DPDK net_tap device, and the books must come out loss-free.
//
//   hypertick-gw --(net_tap)--> tap interface, moved into a private network namespace
//                               --> kernel IPv4/UDP --> mold_server's socket, and back.
// The namespace keeps the test's addresses (198.18.0.0/24, the benchmarking range) off the host.
// Needs root, iproute2's `ip` and /dev/net/tun: otherwise the test skips and says why.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "gateway_harness.hpp"

using namespace hypertick::gw::test;

namespace {

constexpr const char* server_ip = "198.18.0.1";
constexpr const char* gateway_ip = "198.18.0.2";  // the recovery source_ip: the tap port's own
constexpr const char* gateway_mac = "02:00:00:00:00:02";
constexpr int server_port = 26500;

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs `command` (through sh, output to `log`) in the background; the pid is the command's own
// (exec), so signals reach it directly.
pid_t spawn(const std::string& command, const std::string& log) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const std::string line = "exec " + command + " > " + log + " 2>&1";
        ::execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    return pid;
}

// Waits at most `timeout` for `pid` to exit; its exit code, or -1 when it is still running.
int wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (std::chrono::steady_clock::now() >= deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

// Polls `ready` every 20 ms for at most `timeout`.
template <class F>
bool wait_until(F ready, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ready()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

// Owns what the test creates outside its scratch folder: every path out of the test (assertion
// failures included) stops the processes and deletes the namespace (and the tap with it).
struct net_guard {
    std::string netns;
    pid_t gateway = -1;
    pid_t server = -1;

    static void stop(pid_t& pid) {
        if (pid <= 0) return;
        ::kill(pid, SIGTERM);
        if (wait_exit(pid, std::chrono::seconds(5)) < 0) {
            ::kill(pid, SIGKILL);
            (void)wait_exit(pid, std::chrono::seconds(5));
        }
        pid = -1;
    }
    ~net_guard() {
        stop(server);
        stop(gateway);
        if (!netns.empty()) run("ip netns del " + netns);
    }
};

// Why the test cannot run here, or empty.
std::string missing_prerequisite() {
    if (::geteuid() != 0) return "needs root (network namespaces, moving the tap interface)";
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) return "needs /dev/net/tun (DPDK net_tap)";
    if (run("ip -V").exit_code != 0) return "needs iproute2's 'ip' (tools/setup.sh installs it)";
    return {};
}

std::string recovery_config(const std::string& prefix, const std::string& tap) {
    test_config c;
    c.prefix = prefix;
    c.ports = {{"feedA", "net_null_" + prefix + "_a", 1, 1, 4095},
               {"feedB", "net_null_" + prefix + "_b", 1, 1, 4095},
               {"pub0", "net_null_" + prefix + "_out", 1, 1, 1023}};
    c.publisher_port = "pub0";
    std::string y = c.yaml();
    // The recovery port: a tap whose kernel side becomes the server's network. 256 RX descriptors
    // and 2047 buffers: net_tap fills every descriptor with a buffer at queue set-up.
    y.replace(y.find("ports:\n"), 7,
              "ports:\n  - {name: rr0, device: \"net_tap_" + prefix + ",iface=" + tap +
                  ",mac=" + gateway_mac +
                  "\", rx_descriptors: 256, tx_descriptors: 256, mempool_mbufs: 2047, "
                  "mempool_cache: 64}\n");
    // Both lines read the same lossy capture, so the holes are lost on both. The server is
    // reachable only once the namespace is set up (a few hundred ms after start): a long timeout,
    // quick retries.
    y.replace(
        y.find("feeds:\n"), 7,
        "feeds:\n  - name: itch\n    lcore: 1\n    lines:\n      - {port: feedA, rx_queue: 0}\n"
        "      - {port: feedB, rx_queue: 0}\n"
        "    recovery: {port: rr0, server_ip: " +
            std::string(server_ip) + ", server_port: " + std::to_string(server_port) +
            ", source_ip: " + gateway_ip +
            ", source_port: 26501, timeout_ms: 8000, retry_ms: 20}\n");
    // End of session ends the replay once recovery completes; a failed recovery ends it by
    // idleness.
    y.replace(y.find("replay_idle_ms: 300"), 19, "replay_idle_ms: 10000");
    return y;
}

}  // namespace

TEST(GatewayRecoveryNet, LossOnBothLinesIsRecoveredFromMoldServerThroughNetTap) {
    if (const std::string why = missing_prerequisite(); !why.empty()) GTEST_SKIP() << why;
    const std::string dir = scratch_dir();
    // Unique per process: parallel ctest runs get their own namespace, interface and EAL prefix.
    const std::string id = std::to_string(::getpid());
    const std::string prefix = "rn" + id;
    const std::string tap = "htr" + id;
    net_guard guard;
    const run_result ns = run("ip netns add htrec_" + id);
    if (ns.exit_code != 0) GTEST_SKIP() << "cannot create a network namespace: " << ns.output;
    guard.netns = "htrec_" + id;
    const std::string in_ns = "ip -n " + guard.netns + " ";

    const std::string gen = "--seed 23 --symbols 8 --messages 20000";
    itch_gen(gen, dir + "/clean.pcap", dir + "/clean.json");
    itch_gen(gen + " --drop 0.02", dir + "/A.pcap", dir + "/A.json");
    write_file(dir + "/gw.yaml", recovery_config(prefix, tap));

    // The counting build: the worker's heap calls are reported at exit, recovery included.
    guard.gateway =
        spawn(bin("hypertick-gw-counted") + " --config " + dir + "/gw.yaml --replay " + dir +
                  "/A.pcap --replay-b " + dir + "/A.pcap --snapshot " + dir + "/snap.json",
              dir + "/gw.log");
    // The tap is ready once DPDK has started the port (UP) and enabled all-multicast (its last
    // ioctl by name): moving it into the namespace earlier would make those ioctls fail.
    const bool tap_ready = wait_until(
        [&] {
            const run_result l = run("ip link show " + tap);
            return l.exit_code == 0 && contains(l.output, "ALLMULTI") && contains(l.output, ",UP");
        },
        std::chrono::seconds(20));
    ASSERT_TRUE(tap_ready) << "tap " << tap << " never came up\n" << read_file(dir + "/gw.log");
    for (const std::string& step :
         {"ip link set " + tap + " netns " + guard.netns,
          in_ns + "addr add " + server_ip + "/24 dev " + tap, in_ns + "link set " + tap + " up",
          // The gateway answers no ARP: the server's kernel learns its MAC here.
          in_ns + "neigh add " + gateway_ip + " lladdr " + gateway_mac + " dev " + tap}) {
        const run_result r = run(step);
        ASSERT_EQ(r.exit_code, 0) << step << ": " << r.output;
    }
    guard.server =
        spawn("ip netns exec " + guard.netns + " " + bin("mold_server") + " --capture " + dir +
                  "/clean.pcap --listen " + server_ip + ":" + std::to_string(server_port),
              dir + "/server.log");
    ASSERT_TRUE(wait_until([&] { return contains(read_file(dir + "/server.log"), "listening on"); },
                           std::chrono::seconds(10)))
        << read_file(dir + "/server.log");

    const int gateway_exit = wait_exit(guard.gateway, std::chrono::seconds(60));
    guard.gateway = -1;
    const std::string gw_log = read_file(dir + "/gw.log");
    ASSERT_EQ(gateway_exit, 0) << gw_log;
    net_guard::stop(guard.server);
    const std::string server_log = read_file(dir + "/server.log");

    EXPECT_TRUE(contains(gw_log, "recovery state synchronized, books valid")) << gw_log;
    EXPECT_TRUE(contains(gw_log, "gaps 0, missing_messages 0")) << gw_log;
    // Arbitration, holding, re-requests on TX and answers on RX: still no heap call on the worker.
    EXPECT_TRUE(contains(gw_log, "lcore 1: heap calls after start-up: 0")) << gw_log;
    EXPECT_FALSE(contains(gw_log, "line re-request answers: 0 datagrams")) << gw_log;
    // The books and delivered-message figures equal the loss-free ones (packet counts differ by
    // design: the arbiter delivers its own datagrams).
    const run_result same =
        run("python3 -c \"import json,sys; a=json.load(open('" + dir +
            "/snap.json')); e=json.load(open('" + dir +
            "/clean.json')); d=[k for k in ['messages','next_seq','gaps','missing_messages'] if "
            "a['feed'][k]!=e['feed'][k]]; "
            "sys.exit('feed differs: '+str(d)) if d else None; "
            "sys.exit('books differ') if a['books']!=e['books'] else print('ok', len(e['books']), "
            "'books')\"");
    EXPECT_EQ(same.exit_code, 0) << same.output << "\n" << gw_log;
    const run_result state = run("python3 -c \"import json; r=json.load(open('" + dir +
                                 "/snap.json'))['feed']; print(r['state'], r['books_valid'])\"");
    EXPECT_EQ(state.output, "synchronized True\n") << state.output;
    EXPECT_TRUE(contains(server_log, "mold_server: stopping (signal): requests ")) << server_log;
    EXPECT_FALSE(contains(server_log, "answered 0,")) << server_log;
    EXPECT_TRUE(contains(server_log, "bad requests 0,")) << server_log;
}
