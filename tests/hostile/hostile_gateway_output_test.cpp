// hypertick-gw's outputs under hostile conditions: paths that cannot be written are refused
// before DPDK starts (exit 2), and a disk that fills during the run is reported with its cause,
// what was lost, and a non-zero exit.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>

#include "gateway/gateway_harness.hpp"

namespace fs = std::filesystem;
using namespace hypertick::gw::test;

namespace {

// A 64 KiB tmpfs mounted for one test: the disk that fills.
class small_disk {
  public:
    explicit small_disk(const std::string& dir) : dir_(dir) {
        fs::create_directories(dir);
        mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=64k") == 0;
    }
    ~small_disk() {
        if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    small_disk(const small_disk&) = delete;
    small_disk& operator=(const small_disk&) = delete;
    [[nodiscard]] bool mounted() const { return mounted_; }

  private:
    std::string dir_;
    bool mounted_ = false;
};

}  // namespace

TEST(HostileGatewayOutput, UnwritableOutputPathsAreRefusedBeforeTheRun) {
    const std::string dir = scratch_dir();
    test_config c = single_feed_config("hout1");
    write_file(dir + "/gw.yaml", c.yaml());
    fs::create_directories(dir + "/a-folder");
    const std::string gw = bin("hypertick-gw") + " --config " + dir + "/gw.yaml --duration 30 ";
    const std::pair<std::string, std::string> cases[] = {
        {"--snapshot /nonexistent/s.json",
         "--snapshot \"/nonexistent/s.json\": folder \"/nonexistent\": No such file or directory"},
        {"--snapshot " + dir + "/a-folder", "is a folder"},
        {"--publish-pcap " + dir + "/missing/p.pcap",
         "--publish-pcap \"" + dir + "/missing/p.pcap\": folder"},
        {"--latency-log " + dir + "/gw.yaml/l.hlog", "is not a folder"},
        {"--snapshot " + dir + "/same --publish-pcap " + dir + "/same", "name the same file"},
    };
    for (const auto& [options, message] : cases) {
        const auto started = std::chrono::steady_clock::now();
        const run_result r = run(gw + options);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        EXPECT_EQ(r.exit_code, 2) << options << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, message)) << options << "\n" << r.output;
        EXPECT_FALSE(contains(r.output, "starting")) << options << ": refused before the run\n"
                                                     << r.output;
        EXPECT_LT(seconds, 5.0) << options;
    }
}

// Two feeds on net_null ports: --snapshot OUT.json writes OUT.json for the first and
// OUT.<name>.json for the second, so the second name is part of a file name.
test_config two_feed_config(const std::string& prefix, const std::string& second_name) {
    test_config c;
    c.prefix = prefix;
    c.ports = {{"feed0", "net_null_" + prefix + "_a", 1, 1, 4095},
               {"feed1", "net_null_" + prefix + "_b", 1, 1, 4095}};
    c.feeds = {{"first", "feed0"}, {second_name, "feed1"}};
    return c;
}

TEST(HostileGatewayOutput, EveryFeedsSnapshotPathIsCheckedBeforeTheRun) {
    const std::string dir = scratch_dir();
    const std::string gw = bin("hypertick-gw") + " --config " + dir;
    // A second feed whose name makes no file name: refused at start, not after the run.
    write_file(dir + "/slash.yaml", two_feed_config("hout8", "us/itch").yaml());
    write_file(dir + "/control.yaml", two_feed_config("hout8", "\"us\\titch\"").yaml());
    write_file(dir + "/named.yaml", two_feed_config("hout8", "x").yaml());
    write_file(dir + "/c.x.json", two_feed_config("hout8", "x").yaml());
    const std::pair<std::string, std::string> cases[] = {
        {"/slash.yaml --snapshot " + dir + "/s.json",
         "--snapshot: feeds[1].name \"us/itch\" holds '/'"},
        {"/control.yaml --snapshot " + dir + "/s.json",
         "--snapshot: feeds[1].name \"us\\x09itch\" holds a control character"},
        // The second feed's file is another output or an input.
        {"/named.yaml --snapshot " + dir + "/s.json --latency-log " + dir + "/s.x.json",
         "name the same file \"" + dir + "/s.x.json\""},
        {"/c.x.json --snapshot " + dir + "/c.json",
         "--snapshot (feed \"x\") \"" + dir + "/c.x.json\" is the file --config reads"},
    };
    for (const auto& [options, message] : cases) {
        for (const char* mode : {" --check-config ", " --duration 5 "}) {
            const run_result r = run(gw + options + mode);
            EXPECT_EQ(r.exit_code, 2) << options << mode << "\n" << r.output;
            EXPECT_TRUE(contains(r.output, message)) << options << mode << "\n" << r.output;
            EXPECT_FALSE(contains(r.output, "starting")) << options << ": refused before the run\n"
                                                         << r.output;
        }
    }
    EXPECT_FALSE(fs::exists(dir + "/s.json")) << "nothing written";
}

TEST(HostileGatewayOutput, ASecondFeedsSnapshotStaysInTheFolderTheOptionNames) {
    const std::string dir = scratch_dir();
    fs::create_directories(dir + "/books.json.d");
    write_file(dir + "/gw.yaml", two_feed_config("hout9", "x").yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir +
                             "/gw.yaml --duration 1 --snapshot " + dir + "/books.json.d/day");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(fs::exists(dir + "/books.json.d/day")) << r.output;
    EXPECT_TRUE(fs::exists(dir + "/books.json.d/day.x.json")) << r.output;
    EXPECT_FALSE(fs::exists(dir + "/books.x.json")) << "written outside its folder";
}

TEST(HostileGatewayOutput, AnOutputThatIsAnInputIsRefusedAndTheInputKept) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 34 --symbols 10 --messages 5000", pcap, dir + "/expect.json");
    const auto pcap_bytes = fs::file_size(pcap);
    write_file(dir + "/gw.yaml", single_feed_config("hout5").yaml());
    const auto config_bytes = fs::file_size(dir + "/gw.yaml");
    fs::create_symlink(pcap, dir + "/link.pcap");
    const std::string gw = bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + pcap;
    const std::pair<std::string, std::string> cases[] = {
        // Another spelling of the capture: net_pcap would truncate it before reading it.
        {" --publish-pcap " + dir + "/./feed.pcap",
         "--publish-pcap \"" + dir + "/./feed.pcap\" is the file --replay reads"},
        {" --snapshot " + dir + "/link.pcap",
         "--snapshot \"" + dir + "/link.pcap\" is the file --replay reads"},
        {" --latency-log " + dir + "/gw.yaml", "is the file --config reads"},
        {" --snapshot " + dir + "/out.json --publish-pcap " + dir + "/../" +
             fs::path(dir).filename().string() + "/out.json",
         "name the same file"},
    };
    for (const auto& [options, message] : cases) {
        const run_result r = run(gw + options);
        EXPECT_EQ(r.exit_code, 2) << options << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, message)) << options << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, "writing it would destroy it") ||
                    contains(r.output, "name the same file"))
            << r.output;
    }
    // Without --replay, the capture a net_pcap port reads (rx_pcap= in its device).
    test_config c = single_feed_config("hout6");
    c.ports[0].device = "net_pcap_hout6,rx_pcap=" + pcap;
    write_file(dir + "/gw-pcap.yaml", c.yaml());
    const run_result r = run(bin("hypertick-gw") + " --config " + dir +
                             "/gw-pcap.yaml --duration 5 --snapshot " + dir + "/link.pcap");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, "is the file a port's rx_pcap reads")) << r.output;
    EXPECT_EQ(fs::file_size(pcap), pcap_bytes);
    EXPECT_EQ(fs::file_size(dir + "/gw.yaml"), config_bytes);
}

TEST(HostileGatewayOutput, AnOutputThatIsADeviceOrAFifoIsRefusedAndLeftAlone) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 35 --symbols 10 --messages 5000", pcap, dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("hout7").yaml());
    const std::string fifo = dir + "/out.fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // Bounded: opening a FIFO for writing waits for a reader, and start-up holds SIGTERM.
    const std::string gw = "timeout -s KILL 30 " + bin("hypertick-gw") + " --config " + dir +
                           "/gw.yaml --replay " + pcap;
    std::vector<std::pair<std::string, std::string>> cases = {
        {" --latency-log " + fifo, "--latency-log \"" + fifo + "\" is a FIFO, not a regular file"},
        {" --publish-pcap " + fifo, "--publish-pcap \"" + fifo + "\" is a FIFO"},
    };
    // A device node: the snapshot's temporary file would be renamed over it.
    const std::string device = dir + "/null-device";
    const bool have_device = ::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;
    if (have_device)
        cases.push_back(
            {" --snapshot " + device,
             "--snapshot \"" + device + "\" is a character device, not a regular file"});
    for (const auto& [options, message] : cases) {
        const run_result r = run(gw + options);
        EXPECT_EQ(r.exit_code, 2) << options << "\n" << r.output;
        EXPECT_TRUE(contains(r.output, message)) << options << "\n" << r.output;
    }
    if (have_device) {
        EXPECT_TRUE(fs::is_character_file(device)) << "the device node is kept";
    }
    EXPECT_TRUE(fs::is_fifo(fifo));
}

TEST(HostileGatewayOutput, FullDiskLosesNoOutputSilently) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
    const std::string dir = scratch_dir();
    const small_disk disk(dir + "/full");
    if (!disk.mounted())
        GTEST_SKIP() << "cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?)";
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 31 --symbols 40 --messages 100000", pcap, dir + "/expect.json");
    write_file(dir + "/gw.yaml", single_feed_config("hout2").yaml());
    const std::string gw = bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + pcap;
    // The published datagrams (about 1 MB) fill the 64 KiB disk.
    run_result r = run(gw + " --publish-pcap " + dir + "/full/bbo.pcap");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(
        r.output, "--publish-pcap \"" + dir +
                      "/full/bbo.pcap\": write failed (No space left on device): the file holds "))
        << r.output;
    EXPECT_TRUE(contains(r.output, "datagram(s) sent")) << r.output;
    // Then the disk is full before the latency log's first interval.
    {
        std::ofstream filler(dir + "/full/filler", std::ios::binary);
        const std::string block(4096, 'x');
        for (int i = 0;
             i < 64 &&
             filler.write(block.data(), static_cast<std::streamsize>(block.size())).flush();
             ++i) {
        }
    }
    r = run(gw + " --latency-log " + dir + "/full/latency.hlog");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "latency log: \"" + dir + "/full/latency.hlog\": write failed"))
        << r.output;
    EXPECT_TRUE(contains(r.output, "No space left on device; the file holds ")) << r.output;
}

TEST(HostileGatewayOutput, ALogOrReportOnAFullDiskIsSaidOnStandardErrorAndFailsTheRun) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 33 --symbols 10 --messages 5000", pcap, dir + "/expect.json");
    test_config c = single_feed_config("hout4");
    write_file(dir + "/gw.yaml", c.yaml());
    const std::string replay = " --replay " + pcap;
    // Standard output on a full device (/dev/full: every write fails with ENOSPC); standard
    // error still reaches the test.
    run_result r =
        run("(" + bin("hypertick-gw") + " --config " + dir + "/gw.yaml" + replay + " > /dev/full)");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output,
                         "hypertick-gw: standard output: write failed (No space left on device): "))
        << r.output;
    EXPECT_TRUE(contains(r.output, "log line(s) lost")) << r.output;
    EXPECT_TRUE(contains(r.output, "the report printed there is incomplete")) << r.output;
    // logging.file on a full device; the report on standard output is whole.
    std::string yaml = c.yaml();
    const std::string logging = "logging:\n  level: info\n";
    ASSERT_NE(yaml.find(logging), std::string::npos) << yaml;
    yaml.replace(yaml.find(logging), logging.size(), logging + "  file: /dev/full\n");
    write_file(dir + "/gw-file.yaml", yaml);
    r = run(bin("hypertick-gw") + " --config " + dir + "/gw-file.yaml" + replay);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output,
                         "hypertick-gw: logging.file \"/dev/full\": write failed (No "
                         "space left on device): "))
        << r.output;
    EXPECT_FALSE(contains(r.output, "the report printed there is incomplete")) << r.output;
}

TEST(HostileGatewayOutput, OutputsThatFitReportNoLoss) {
    const std::string dir = scratch_dir();
    const std::string pcap = dir + "/feed.pcap";
    itch_gen("--seed 32 --symbols 40 --messages 50000", pcap, dir + "/expect.json");
    test_config c = single_feed_config("hout3");
    c.ports = {{"feed0", "net_null_hout3_in", 1, 2, 4095}};
    c.publisher_port = "feed0";
    c.lcores = "0@0,1@1,2@1";
    c.feeds = {{"itch", "feed0", 0, 1}};
    write_file(dir + "/gw.yaml", c.yaml());
    const run_result r =
        run(bin("hypertick-gw") + " --config " + dir + "/gw.yaml --replay " + pcap +
            " --publish-pcap " + dir + "/bbo.pcap --latency-log " + dir + "/latency.hlog");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_FALSE(contains(r.output, "write failed")) << r.output;
    EXPECT_GT(fs::file_size(dir + "/bbo.pcap"), 24u);
    EXPECT_TRUE(fs::exists(dir + "/bbo.pcap.1")) << "the second TX queue's file";
}
