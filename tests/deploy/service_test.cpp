// The deployment end to end: the sd_notify messages of a real replay, --preflight as a command,
// the unit through systemd-analyze verify, the install tree and the .deb.
#include <gtest/gtest.h>
#include <sys/stat.h>
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

bool have_command(const std::string& name) {
    return run("command -v " + name).exit_code == 0;
}

std::size_t count_prefix(const std::vector<std::string>& messages, const std::string& prefix) {
    return static_cast<std::size_t>(
        std::count_if(messages.begin(), messages.end(),
                      [&](const std::string& m) { return m.rfind(prefix, 0) == 0; }));
}

// A looping replay of a small generated capture for 0.6 s with NOTIFY_SOCKET (and
// WATCHDOG_USEC) set; returns the datagrams the gateway sent. (A plain replay ends 50 ms after
// the capture's end of session: too short for a stats interval.)
std::vector<std::string> replay_with_notify(const std::string& prefix,
                                            const std::string& watchdog_usec,
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
    const std::string env = "NOTIFY_SOCKET=" + sink.path() +
                            (watchdog_usec.empty() ? "" : " WATCHDOG_USEC=" + watchdog_usec);
    const run_result r =
        run(env + " " + bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir +
            "/feed.pcap" + " --loop --restart-sequence --duration 0.6");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return sink.drain();
}

// cpack into dir: hypertick_<version>_amd64.deb and hypertick-dev_<version>_amd64.deb.
run_result make_packages(const std::string& dir) {
    return run("cd " + dir + " && cpack -G DEB --config " + std::string(HYPERTICK_BUILD_DIR) +
               "/CPackConfig.cmake -B " + dir);
}

std::string package_file(const std::string& dir, const std::string& package) {
    return dir + "/" + package + "_" + std::string(HYPERTICK_VERSION) + "_amd64.deb";
}

// Builds the packages into dir and lists one of them (dpkg-deb -c); false after a failure.
bool list_package(const std::string& dir, const std::string& package, std::string& deb,
                  std::string& listing) {
    const run_result pack = make_packages(dir);
    deb = package_file(dir, package);
    if (pack.exit_code != 0 || !fs::exists(deb)) {
        ADD_FAILURE() << "cpack did not make " << deb << ":\n" << pack.output;
        return false;
    }
    const run_result files = run("dpkg-deb -c " + deb);
    EXPECT_EQ(files.exit_code, 0) << files.output;
    listing = files.output;
    return files.exit_code == 0;
}

// An installed man page names the command and not the build tree it was generated in.
void expect_man_page(const std::string& root, const std::string& command) {
    const run_result page = run("zcat " + root + "/usr/share/man/man1/" + command + ".1.gz");
    ASSERT_EQ(page.exit_code, 0) << command << ": " << page.output;
    EXPECT_TRUE(contains(page.output, ".SH NAME\n")) << command;
    std::string text = page.output;  // roff escapes '-' as "\-"
    text.erase(std::remove(text.begin(), text.end(), '\\'), text.end());
    EXPECT_FALSE(contains(text, HYPERTICK_BUILD_DIR)) << command << " shows the build folder:\n"
                                                      << page.output;
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
    const std::vector<std::string> m =
        replay_with_notify("svc_notify_long", "", std::string(100, 'x'));
    ASSERT_GE(m.size(), 2u);
    EXPECT_EQ(m.front().rfind("READY=1", 0), 0u);
    EXPECT_EQ(m.back().rfind("STOPPING=1", 0), 0u);
}

// Log lines that start with a timestamp (the layout outside the journal) and with "<N>info ".
struct log_line_counts {
    int timestamped = 0;
    int journal_info = 0;
};

log_line_counts count_log_lines(const std::string& text) {
    log_line_counts counts;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() > 20 && line.rfind("20", 0) == 0 && line[4] == '-' && line[13] == ':')
            ++counts.timestamped;
        if (line.rfind("<6>info ", 0) == 0) ++counts.journal_info;
    }
    return counts;
}

// Under systemd, standard output is the journal's stream and JOURNAL_STREAM names it: the
// gateway's lines then carry their syslog priority ("<6>" for info), so journalctl -p works.
// An output that is not that stream (a redirect in a service) keeps the timestamped layout.
TEST(GatewayService, LogLinesCarryJournalPrioritiesWhenStdoutIsTheJournal) {
    const std::string dir = scratch_dir();
    itch_gen("--seed 11 --symbols 16 --messages 5000", dir + "/feed.pcap", dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("svc_journal").yaml());
    const std::string out = dir + "/stdout.log";
    write_file(out, "");
    struct stat st {};
    ASSERT_EQ(::stat(out.c_str(), &st), 0);
    const std::string stream = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    const std::string gateway =
        bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + dir + "/feed.pcap";

    const run_result journal = run("JOURNAL_STREAM=" + stream + " " + gateway + " >> " + out);
    ASSERT_EQ(journal.exit_code, 0) << journal.output;
    const log_line_counts in_journal = count_log_lines(read_file(out));
    EXPECT_GE(in_journal.journal_info, 1) << read_file(out);
    EXPECT_EQ(in_journal.timestamped, 0) << read_file(out);

    const run_result elsewhere = run("JOURNAL_STREAM=" + stream + " " + gateway);
    ASSERT_EQ(elsewhere.exit_code, 0) << elsewhere.output;
    const log_line_counts not_journal = count_log_lines(elsewhere.output);
    EXPECT_EQ(not_journal.journal_info, 0) << elsewhere.output;
    EXPECT_GE(not_journal.timestamped, 1) << elsewhere.output;
}

TEST(GatewayService, PreflightCommandExitCodes) {
    const std::string dir = scratch_dir();
    const std::string nic =
        "eal:\n  lcores: \"0@0,1@2\"\n  hugepages: on\n  memory_mb: 512\n  pci: "
        "[\"0000:01:00.0\"]\n"
        "ports:\n  - {name: nic0, device: \"0000:01:00.0\"}\nfeeds:\n  - {name: a, port: nic0, "
        "lcore: 1}\n"
        "publisher:\n  port: nic0\n";
    write_file(dir + "/nic.yaml", nic);
    const fake_host tuned = fake_host::tuned(dir + "/tuned");
    const fake_host bare = fake_host::bare(dir + "/bare");
    const std::string command =
        bin("hypertick-gw") + " --preflight --config " + dir + "/nic.yaml --host-root ";

    const run_result fit = run(command + tuned.root());
    EXPECT_EQ(fit.exit_code, 0) << fit.output;
    EXPECT_TRUE(contains(fit.output, "host is fit for this configuration (0 warning(s)): exit 0"))
        << fit.output;

    const run_result unfit = run(command + bare.root());
    EXPECT_EQ(unfit.exit_code, 1) << unfit.output;
    EXPECT_TRUE(contains(unfit.output, "host is NOT fit")) << unfit.output;
    EXPECT_TRUE(contains(unfit.output, "  fail  device nic0")) << unfit.output;
    EXPECT_TRUE(contains(unfit.output, "fix: dpdk-devbind.py --bind=vfio-pci 0000:01:00.0"))
        << unfit.output;
    EXPECT_FALSE(contains(unfit.output, "starting with"))
        << "the preflight must not start the gateway:\n"
        << unfit.output;

    const run_result misuse =
        run(bin("hypertick-gw") + " --config " + dir + "/nic.yaml --host-root /tmp");
    EXPECT_EQ(misuse.exit_code, 2) << misuse.output;
}

TEST(GatewayService, PreflightOnThisHostReportsEveryCheck) {
    // The machine's real state: whatever it is, every check is reported and the exit code agrees.
    const run_result r = run(bin("hypertick-gw") + " --preflight --config " +
                             std::string(HYPERTICK_SOURCE_DIR) + "/config/feed.yaml");
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.output;
    for (const char* name :
         {"hugetlbfs", "hugepages", "socket-memory", "ram", "memlock", "lcore-placement",
          "isolation", "tickless", "governor", "irq-affinity", "device feed0", "device pub0"})
        EXPECT_TRUE(contains(r.output, name)) << name << " missing:\n" << r.output;
    EXPECT_EQ(contains(r.output, "  fail  "), r.exit_code == 1) << r.output;
}

TEST(Deploy, SystemdAnalyzeVerifiesTheUnit) {
    if (!have_command("systemd-analyze"))
        GTEST_SKIP() << "systemd-analyze is not installed (Debian package systemd; tools/setup.sh)";
    const std::string dir = scratch_dir();
    // If systemd-analyze cannot verify even a trivial unit here, the environment is at fault.
    write_file(dir + "/baseline.service",
               "[Unit]\nDescription=baseline\n[Service]\nExecStart=/bin/true\n");
    const run_result baseline = run("systemd-analyze verify " + dir + "/baseline.service");
    if (baseline.exit_code != 0 || !baseline.output.empty())
        GTEST_SKIP() << "systemd-analyze verify does not work in this environment:\n"
                     << baseline.output;

    // The unit as shipped, with the installed binary's path pointing at the build tree's
    // (verify checks that ExecStart= is executable).
    std::string unit =
        read_file(std::string(HYPERTICK_SOURCE_DIR) + "/deploy/hypertick-gw.service");
    ASSERT_FALSE(unit.empty());
    for (std::size_t at; (at = unit.find("/usr/bin/hypertick-gw")) != std::string::npos;)
        unit.replace(at, 21, bin("hypertick-gw"));
    write_file(dir + "/hypertick-gw.service", unit);
    const run_result r = run("systemd-analyze verify " + dir + "/hypertick-gw.service");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output, "") << "unknown keys and other problems are only printed, not failed on";
}

TEST(Deploy, InstallTreeRunsItsOwnConfig) {
    const std::string dir = scratch_dir();
    const run_result install = run("DESTDIR=" + dir + " cmake --install " +
                                   std::string(HYPERTICK_BUILD_DIR) + " --prefix /usr");
    ASSERT_EQ(install.exit_code, 0) << install.output;
    for (const char* file :
         {"/usr/bin/hypertick-gw", "/etc/hypertick/feed.yaml",
          "/lib/systemd/system/hypertick-gw.service", "/usr/share/hypertick/sample.pcap",
          "/usr/share/doc/hypertick/deploy.md", "/usr/share/doc/hypertick/copyright",
          "/usr/share/doc/hypertick/changelog.gz",
          "/usr/share/hypertick/deploy/sysctl.d/80-hypertick-hugepages.conf",
          "/usr/share/hypertick/examples/recovery.yaml"})
        EXPECT_TRUE(fs::exists(dir + file)) << file;
    // The tools: in a private folder, reached through hypertick-* names that cannot clash with
    // another package's, each with a man page.
    for (const char* tool : {"itch_gen", "book_replay", "bbo_dump", "hdr_report", "mold_server"}) {
        std::string command = std::string("hypertick-") + tool;
        std::replace(command.begin(), command.end(), '_', '-');
        EXPECT_TRUE(fs::is_regular_file(dir + "/usr/libexec/hypertick/" + tool)) << tool;
        EXPECT_FALSE(fs::exists(dir + "/usr/bin/" + tool))
            << tool << " in /usr/bin under its generic name";
        const run_result help = run(dir + "/usr/bin/" + command + " --help");
        EXPECT_EQ(help.exit_code, 0) << command << ": " << help.output;
        if (have_command("help2man")) expect_man_page(dir, command);
    }
    if (have_command("help2man")) expect_man_page(dir, "hypertick-gw");
    // ${sample_capture} resolves beside the installed binary: <bin>/../share/hypertick/sample.pcap.
    const run_result check = run(dir + "/usr/bin/hypertick-gw --config " + dir +
                                 "/etc/hypertick/feed.yaml --check-config");
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_TRUE(
        contains(check.output, "rx_pcap=" + dir + "/usr/bin/../share/hypertick/sample.pcap"))
        << check.output;
}

TEST(Deploy, DebianPackageHasTheFilesAndDebianDependencies) {
    if (!have_command("cpack") || !have_command("dpkg-deb") || !have_command("dpkg-shlibdeps"))
        GTEST_SKIP()
            << "cpack, dpkg-deb or dpkg-shlibdeps missing (packages cmake, dpkg, dpkg-dev)";
    const std::string dir = scratch_dir();
    std::string deb, listing;
    ASSERT_TRUE(list_package(dir, "hypertick", deb, listing));
    for (const char* file :
         {"./usr/bin/hypertick-gw",
          "./usr/bin/hypertick-hdr-report -> ../libexec/hypertick/hdr_report",
          "./usr/libexec/hypertick/itch_gen", "./usr/libexec/hypertick/mold_server",
          "./etc/hypertick/feed.yaml", "./lib/systemd/system/hypertick-gw.service",
          "./usr/share/hypertick/sample.pcap", "./usr/share/doc/hypertick/deploy.md",
          "./usr/share/hypertick/examples/recovery.yaml"})
        EXPECT_TRUE(contains(listing, std::string(file) + "\n")) << file << " not in the package:\n"
                                                                 << listing;
    EXPECT_FALSE(contains(listing, "hypertick-gw-counted"))
        << "the test build of the daemon is not shipped";
    EXPECT_FALSE(contains(listing, "/include/")) << "headers belong to hypertick-dev";

    const run_result depends = run("dpkg-deb -f " + deb + " Depends");
    ASSERT_EQ(depends.exit_code, 0) << depends.output;
    for (const char* package :
         {"librte-eal23", "librte-ethdev23", "librte-mempool-ring23", "librte-net-pcap23",
          "libyaml-cpp0.7", "libspdlog1.10", "libfmt9", "zlib1g", "libsystemd0", "libc6"})
        EXPECT_TRUE(contains(depends.output, package))
            << package << " missing from Depends: " << depends.output;
    const run_result conffiles = run("dpkg-deb -I " + deb + " conffiles");
    EXPECT_EQ(conffiles.output, "/etc/hypertick/feed.yaml\n");
}

// The package of the libraries, beside the daemon's: headers, archives, CMake and pkg-config
// files (tests/package builds a program against the same files installed by cmake --install).
TEST(Deploy, DevelopmentPackageHasHeadersLibrariesAndPackageFiles) {
    if (!have_command("cpack") || !have_command("dpkg-deb"))
        GTEST_SKIP() << "cpack or dpkg-deb missing (packages cmake, dpkg)";
    const std::string dir = scratch_dir();
    std::string deb, listing;
    ASSERT_TRUE(list_package(dir, "hypertick-dev", deb, listing));
    for (const char* file :
         {"./usr/include/hypertick/executor.hpp", "./usr/include/hypertick/feed/moldudp64.hpp",
          "./usr/include/hypertick/book/book_manager.hpp",
          "./usr/include/hypertick/stats/histogram.hpp", "/libhypertick_executor.a",
          "/libhypertick_stats.a", "/cmake/hypertick/hypertickConfig.cmake",
          "/cmake/hypertick/hypertickConfigVersion.cmake",
          "/cmake/hypertick/hypertickTargets.cmake", "/pkgconfig/hypertick-executor.pc",
          "./usr/share/doc/hypertick-dev/copyright"})
        EXPECT_TRUE(contains(listing, std::string(file) + "\n")) << file << " not in the package:\n"
                                                                 << listing;
    EXPECT_FALSE(contains(listing, "/bin/")) << "programs belong to the hypertick package";
    EXPECT_EQ(run("dpkg-deb -f " + deb + " Depends").output, "zlib1g-dev\n");
}

// Debian's own checker finds no error in either package (warnings are printed, not failed on).
TEST(Deploy, LintianReportsNoErrors) {
    if (!have_command("lintian"))
        GTEST_SKIP() << "lintian is not installed (Debian package lintian; tools/setup.sh)";
    if (!have_command("help2man"))
        GTEST_SKIP() << "help2man missing at build time: the package has no man pages";
    const std::string dir = scratch_dir();
    const run_result pack = make_packages(dir);
    ASSERT_EQ(pack.exit_code, 0) << pack.output;
    for (const char* package : {"hypertick", "hypertick-dev"}) {
        const std::string deb = package_file(dir, package);
        ASSERT_TRUE(fs::exists(deb)) << pack.output;
        // Exit status 1 means "an error was found"; errors are the lines starting with "E:".
        const run_result lint = run("lintian --tag-display-limit 0 " + deb);
        EXPECT_FALSE(contains("\n" + lint.output, "\nE: ")) << lint.output;
        EXPECT_NE(lint.exit_code, 1) << lint.output;
        std::printf("lintian %s:\n%s", package, lint.output.c_str());
    }
}

TEST(Deploy, RecoveryExampleConfigurationIsValid) {
    // The configuration mold_server's demonstration needs (shipped in share/hypertick/examples).
    const run_result check = run(bin("hypertick-gw") + " --check-config --config " +
                                 std::string(HYPERTICK_SOURCE_DIR) + "/config/recovery.yaml");
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_TRUE(contains(check.output, "net_tap_rr0")) << check.output;
}
