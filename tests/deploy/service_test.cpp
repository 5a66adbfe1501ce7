// The deployment end to end: the sd_notify messages of a real replay, --preflight as a command,
// the unit through systemd-analyze verify, the install tree and the .deb.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fake_host.hpp"
#include "gateway/gateway_harness.hpp"
#include "notify_socket.hpp"

namespace fs = std::filesystem;
using namespace hypertick::gw::test;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool have_command(const std::string& name) { return run("command -v " + name).exit_code == 0; }

std::size_t count_prefix(const std::vector<std::string>& messages, const std::string& prefix) {
    return static_cast<std::size_t>(std::count_if(messages.begin(), messages.end(), [&](const std::string& m) { return m.rfind(prefix, 0) == 0; }));
}

// A looping replay of a small generated capture for 0.6 s with NOTIFY_SOCKET (and
// WATCHDOG_USEC) set; returns the datagrams the gateway sent. (A plain replay ends 50 ms after
// the capture's end of session: too short for a stats interval.)
std::vector<std::string> replay_with_notify(const std::string& prefix, const std::string& watchdog_usec,
                                            const std::string& socket_folder = "") {
    const std::string dir = scratch_dir();
    const std::string sockets = socket_folder.empty() ? dir : dir + "/" + socket_folder;
    fs::create_directories(sockets);
    itch_gen("--seed 11 --symbols 16 --messages 5000", dir + "/feed.pcap", dir + "/expect.json");
    std::string yaml = single_feed_config(prefix).yaml();
    yaml.replace(yaml.find("stats_interval_ms: 500"), 22, "stats_interval_ms: 100");
    write_file(dir + "/gw.yaml", yaml);
    notify_socket sink(sockets + "/notify.sock");
    EXPECT_TRUE(sink.bound()) << sink.path();
    const std::string env = "NOTIFY_SOCKET=" + sink.path() + (watchdog_usec.empty() ? "" : " WATCHDOG_USEC=" + watchdog_usec);
    const run_result r = run(env + " " + bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir + "/feed.pcap" +
                             " --loop --restart-sequence --duration 0.6");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return sink.drain();
}

}  // namespace

TEST(GatewayService, SdNotifyDuringReplay) {
    const std::vector<std::string> m = replay_with_notify("svc_notify_wd", "300000");
    ASSERT_GE(m.size(), 3u);
    EXPECT_EQ(m.front(), "READY=1\nSTATUS=1 worker lcore(s) polling 1 feed(s)");
    EXPECT_EQ(m.back(), "STOPPING=1\nSTATUS=stopping");
    EXPECT_EQ(count_prefix(m, "READY=1"), 1u);
    EXPECT_EQ(count_prefix(m, "STOPPING=1"), 1u);
    // 0.6 s: several 100 ms stats intervals, and watchdog checks every 100 ms with the worker's
    // heartbeat moving.
    EXPECT_GE(count_prefix(m, "STATUS=1 feed live, 0 stale, "), 1u);
    EXPECT_GE(count_prefix(m, "WATCHDOG=1"), 1u);
    for (const std::string& s : m) {
        if (s.rfind("STATUS=1 feed", 0) == 0) {
            EXPECT_NE(s.find(" msg/s"), std::string::npos) << s;
        }
        EXPECT_EQ(s.find("WATCHDOG=trigger"), std::string::npos);
    }
}

TEST(GatewayService, NoWatchdogPingsWithoutWatchdogUsec) {
    const std::vector<std::string> m = replay_with_notify("svc_notify_nowd", "");
    ASSERT_GE(m.size(), 2u);
    EXPECT_EQ(m.front().rfind("READY=1", 0), 0u);
    EXPECT_EQ(m.back().rfind("STOPPING=1", 0), 0u);
    EXPECT_EQ(count_prefix(m, "WATCHDOG=1"), 0u);
}

// A clone deeper than usual puts NOTIFY_SOCKET beyond sun_path's 108 bytes: still notified.
TEST(GatewayService, NotifySocketPathLongerThanSunPath) {
    const std::vector<std::string> m = replay_with_notify("svc_notify_long", "", std::string(100, 'x'));
    ASSERT_GE(m.size(), 2u);
    EXPECT_EQ(m.front().rfind("READY=1", 0), 0u);
    EXPECT_EQ(m.back().rfind("STOPPING=1", 0), 0u);
}

TEST(GatewayService, PreflightCommandExitCodes) {
    const std::string dir = scratch_dir();
    const std::string nic = "eal:\n  lcores: \"0@0,1@2\"\n  hugepages: on\n  memory_mb: 512\n  pci: [\"0000:01:00.0\"]\n"
                            "ports:\n  - {name: nic0, device: \"0000:01:00.0\"}\nfeeds:\n  - {name: a, port: nic0, lcore: 1}\n"
                            "publisher:\n  port: nic0\n";
    write_file(dir + "/nic.yaml", nic);
    const fake_host tuned = fake_host::tuned(dir + "/tuned");
    const fake_host bare = fake_host::bare(dir + "/bare");
    const std::string command = bin("hypertick-gw") + " --preflight --config " + dir + "/nic.yaml --host-root ";

    const run_result fit = run(command + tuned.root());
    EXPECT_EQ(fit.exit_code, 0) << fit.output;
    EXPECT_TRUE(contains(fit.output, "host is fit for this configuration (0 warning(s)): exit 0")) << fit.output;

    const run_result unfit = run(command + bare.root());
    EXPECT_EQ(unfit.exit_code, 1) << unfit.output;
    EXPECT_TRUE(contains(unfit.output, "host is NOT fit")) << unfit.output;
    EXPECT_TRUE(contains(unfit.output, "  fail  device nic0")) << unfit.output;
    EXPECT_TRUE(contains(unfit.output, "fix: dpdk-devbind.py --bind=vfio-pci 0000:01:00.0")) << unfit.output;
    EXPECT_FALSE(contains(unfit.output, "starting with")) << "the preflight must not start the gateway:\n" << unfit.output;

    const run_result misuse = run(bin("hypertick-gw") + " --config " + dir + "/nic.yaml --host-root /tmp");
    EXPECT_EQ(misuse.exit_code, 2) << misuse.output;
}

TEST(GatewayService, PreflightOnThisHostReportsEveryCheck) {
    // The machine's real state: whatever it is, every check is reported and the exit code agrees.
    const run_result r = run(bin("hypertick-gw") + " --preflight --config " + std::string(HYPERTICK_SOURCE_DIR) + "/config/feed.yaml");
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.output;
    for (const char* name : {"hugetlbfs", "hugepages", "socket-memory", "ram", "memlock", "lcore-placement", "isolation",
                             "tickless", "governor", "irq-affinity", "device feed0", "device pub0"})
        EXPECT_TRUE(contains(r.output, name)) << name << " missing:\n" << r.output;
    EXPECT_EQ(contains(r.output, "  fail  "), r.exit_code == 1) << r.output;
}

TEST(Deploy, SystemdAnalyzeVerifiesTheUnit) {
    if (!have_command("systemd-analyze")) GTEST_SKIP() << "systemd-analyze is not installed (Debian package systemd; tools/setup.sh)";
    const std::string dir = scratch_dir();
    // If systemd-analyze cannot verify even a trivial unit here, the environment is at fault.
    write_file(dir + "/baseline.service", "[Unit]\nDescription=baseline\n[Service]\nExecStart=/bin/true\n");
    const run_result baseline = run("systemd-analyze verify " + dir + "/baseline.service");
    if (baseline.exit_code != 0 || !baseline.output.empty())
        GTEST_SKIP() << "systemd-analyze verify does not work in this environment:\n" << baseline.output;

    // The unit as shipped, with the installed binary's path pointing at the build tree's
    // (verify checks that ExecStart= is executable).
    std::string unit = read_file(std::string(HYPERTICK_SOURCE_DIR) + "/deploy/hypertick-gw.service");
    ASSERT_FALSE(unit.empty());
    for (std::size_t at; (at = unit.find("/usr/bin/hypertick-gw")) != std::string::npos;) unit.replace(at, 21, bin("hypertick-gw"));
    write_file(dir + "/hypertick-gw.service", unit);
    const run_result r = run("systemd-analyze verify " + dir + "/hypertick-gw.service");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output, "") << "unknown keys and other problems are only printed, not failed on";
}

TEST(Deploy, InstallTreeRunsItsOwnConfig) {
    const std::string dir = scratch_dir();
    const run_result install = run("DESTDIR=" + dir + " cmake --install " + std::string(HYPERTICK_BUILD_DIR) + " --prefix /usr");
    ASSERT_EQ(install.exit_code, 0) << install.output;
    for (const char* file : {"/usr/bin/hypertick-gw", "/usr/bin/hdr_report", "/usr/bin/itch_gen", "/usr/bin/book_replay",
                             "/etc/hypertick/feed.yaml", "/lib/systemd/system/hypertick-gw.service",
                             "/usr/share/hypertick/sample.pcap", "/usr/share/doc/hypertick/deploy.md",
                             "/usr/share/hypertick/deploy/sysctl.d/80-hypertick-hugepages.conf"})
        EXPECT_TRUE(fs::exists(dir + file)) << file;
    // ${sample_capture} resolves beside the installed binary: <bin>/../share/hypertick/sample.pcap.
    const run_result check = run(dir + "/usr/bin/hypertick-gw --config " + dir + "/etc/hypertick/feed.yaml --check-config");
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_TRUE(contains(check.output, "rx_pcap=" + dir + "/usr/bin/../share/hypertick/sample.pcap")) << check.output;
}

TEST(Deploy, DebianPackageHasTheFilesAndDebianDependencies) {
    if (!have_command("cpack") || !have_command("dpkg-deb") || !have_command("dpkg-shlibdeps"))
        GTEST_SKIP() << "cpack, dpkg-deb or dpkg-shlibdeps missing (packages cmake, dpkg, dpkg-dev)";
    const std::string dir = scratch_dir();
    const run_result pack = run("cd " + dir + " && cpack -G DEB --config " + std::string(HYPERTICK_BUILD_DIR) + "/CPackConfig.cmake -B " + dir);
    ASSERT_EQ(pack.exit_code, 0) << pack.output;
    std::string deb;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".deb") deb = e.path().string();
    ASSERT_FALSE(deb.empty()) << pack.output;

    const run_result files = run("dpkg-deb -c " + deb);
    ASSERT_EQ(files.exit_code, 0) << files.output;
    for (const char* file : {"./usr/bin/hypertick-gw", "./usr/bin/hdr_report", "./usr/bin/itch_gen", "./usr/bin/book_replay",
                             "./etc/hypertick/feed.yaml", "./lib/systemd/system/hypertick-gw.service",
                             "./usr/share/hypertick/sample.pcap", "./usr/share/doc/hypertick/deploy.md"})
        EXPECT_TRUE(contains(files.output, std::string(file) + "\n")) << file << " not in the package:\n" << files.output;
    EXPECT_FALSE(contains(files.output, "hypertick-gw-counted")) << "the test build of the daemon is not shipped";

    const run_result depends = run("dpkg-deb -f " + deb + " Depends");
    ASSERT_EQ(depends.exit_code, 0) << depends.output;
    for (const char* package : {"librte-eal23", "librte-ethdev23", "librte-mempool-ring23", "librte-net-pcap23", "libyaml-cpp0.7",
                                "libspdlog1.10", "libfmt9", "zlib1g", "libsystemd0", "libc6"})
        EXPECT_TRUE(contains(depends.output, package)) << package << " missing from Depends: " << depends.output;
    const run_result conffiles = run("dpkg-deb -I " + deb + " conffiles");
    EXPECT_EQ(conffiles.output, "/etc/hypertick/feed.yaml\n");
}
