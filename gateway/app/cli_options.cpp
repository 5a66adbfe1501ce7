#include "app/cli_options.hpp"

#include <cmath>
#include "app/replay_pacer.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <utility>

namespace hypertick::gw {

std::string parse_cli(int argc, char** argv, cli_options& o) {
    // An option given twice is refused rather than the last one silently winning, as a key
    // given twice in the configuration is.
    std::set<std::string> seen;
    bool pace_given = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        // --name=VALUE is --name VALUE; an option that takes no value refuses one.
        std::optional<std::string> attached;
        if (arg.starts_with("--")) {
            if (const std::size_t eq = arg.find('='); eq != std::string::npos) {
                attached = arg.substr(eq + 1);
                arg.resize(eq);
            }
        }
        const std::string name = arg == "-c" ? "--config" : arg == "-h" ? "--help" : arg;
        if (!seen.insert(name).second) return name + " is given more than once";
        auto value = [&](std::string& out) -> std::string {
            if (attached) {
                out = *std::exchange(attached, std::nullopt);
            } else {
                if (i + 1 >= argc) return arg + " needs a value";
                out = argv[++i];
            }
            if (out.empty()) return arg + " needs a non-empty value";
            return {};
        };
        std::string err;
        if (arg == "--help" || arg == "-h")
            o.help = true;
        else if (arg == "--version")
            o.version = true;
        else if (arg == "--check-config")
            o.check_config = true;
        else if (arg == "--preflight")
            o.preflight = true;
        else if (arg == "--host-root")
            err = value(o.host_root);
        else if (arg == "--loop")
            o.loop_capture = true;
        else if (arg == "--restart-sequence")
            o.restart_sequence = true;
        else if (arg == "--config" || arg == "-c")
            err = value(o.config_path);
        else if (arg == "--replay")
            err = value(o.replay_capture);
        else if (arg == "--replay-b")
            err = value(o.replay_b_capture);
        else if (arg == "--snapshot")
            err = value(o.snapshot_path);
        else if (arg == "--publish-pcap")
            err = value(o.publish_pcap);
        else if (arg == "--latency-log")
            err = value(o.latency_log);
        else if (arg == "--pace") {
            err = value(o.pace);
            pace_given = true;
        } else if (arg == "--clock") {
            std::string clock;
            err = value(clock);
            if (err.empty() && clock != "wall" && clock != "capture")
                return "--clock: expected wall or capture, got \"" + clock + "\"";
            o.capture_clock = clock == "capture";
        } else if (arg == "--duration" || arg == "--show-symbols") {
            std::string text;
            err = value(text);
            if (err.empty()) {
                char* end = nullptr;
                const double v = std::strtod(text.c_str(), &end);
                // nan and inf parse as numbers but give no duration; symbols are whole.
                if (end == text.c_str() || *end != '\0' || !std::isfinite(v) || v < 0 ||
                    (arg == "--show-symbols" && (v > 1000 || v != std::floor(v))))
                    return arg +
                           (arg == "--duration"
                                ? ": expected a finite number of seconds >= 0, got \""
                                : ": expected a whole number from 0 to 1000, got \"") +
                           text + "\"";
                if (arg == "--duration")
                    o.duration_s = v;
                else
                    o.show_symbols = static_cast<std::uint32_t>(v);
            }
        } else {
            return "unknown option \"" + arg + "\" (see --help)";
        }
        if (!err.empty()) return err;
        if (attached) return arg + " takes no value, got \"" + *attached + "\"";
    }
    // Two captures of one feed read each as fast as its device goes drift apart (replay_pacer.hpp,
    // `merged`), so a replay of two lines delivers them in capture-time order unless asked not
    // to. --loop needs the devices' own loop; --clock capture's byte-identical replays need the
    // devices' fixed bursts.
    if (!pace_given)
        o.pace =
            !o.replay_b_capture.empty() && !o.loop_capture && !o.capture_clock ? "merged" : "max";
    if (o.help || o.version) return {};
    if (o.config_path.empty()) return "--config FILE is required (see --help)";
    if (o.restart_sequence && !o.loop_capture)
        return "--restart-sequence only makes sense with --loop";
    if (o.loop_capture && o.replay_capture.empty()) return "--loop needs --replay CAPTURE";
    if (!o.replay_b_capture.empty() && o.replay_capture.empty())
        return "--replay-b needs --replay CAPTURE";
    if (o.capture_clock && o.replay_capture.empty())
        return "--clock capture needs --replay CAPTURE";
    if (o.capture_clock && o.loop_capture)
        return "--clock capture replays the capture once (its time does not loop)";
    if (o.pace != "max") {
        pace_mode mode;
        if (std::string e = parse_pace(o.pace, mode); !e.empty()) return e;
        if (o.replay_capture.empty()) return "--pace needs --replay CAPTURE";
        if (o.loop_capture) return "--pace replays the capture once; --loop replays at max only";
    }
    if (!o.host_root.empty() && !o.preflight)
        return "--host-root only makes sense with --preflight";
    return {};
}

void print_help(const char* program) {
    std::printf(
        "usage: %s --config FILE [options]\n"
        "\n"
        "hypertick-gw: a thread-per-core DPDK market-data gateway. Each worker lcore runs one\n"
        "hyper-tick executor that polls its RX queues, decodes NASDAQ TotalView-ITCH 5.0 in\n"
        "MoldUDP64, keeps full-depth order books, publishes top-of-book datagrams and watches the\n"
        "feed's health. The main lcore logs, reports and serves DPDK telemetry.\n"
        "\n"
        "options:\n"
        "  -c, --config FILE      the YAML configuration, required (config/feed.yaml in the "
        "source\n"
        "                         tree is an example that replays the bundled sample capture)\n"
        "  --check-config         validate the configuration, print what it would run, exit\n"
        "  --preflight            check this host against the configuration (hugepages, memory,\n"
        "                         memlock, CPU isolation, governor, IRQs, NIC drivers), print\n"
        "                         ok/warn/fail with the fix for each; exit 0 when fit (warnings\n"
        "                         allowed), 1 when a check failed. Never starts DPDK\n"
        "  --host-root DIR        with --preflight: read /proc, /sys and /dev under DIR (tests)\n"
        "  --replay CAPTURE       feed every feed port from this pcap or pcapng (net_pcap virtual\n"
        "                         device), exit once the capture is consumed (idle\n"
        "                         timers.replay_idle_ms). Checked before DPDK starts; a capture\n"
        "                         cut mid-record is replayed up to the cut and makes the exit 1;\n"
        "                         one with records longer than its snapshot length (which\n"
        "                         net_pcap would cut or drop) is refused\n"
        "  --snapshot OUT.json    write the books at exit (docs/book.md; one file per feed:\n"
        "                         OUT.json for the configuration's first, OUT.<feed>.json for\n"
        "                         the others, OUT's final .json replaced). Every file is\n"
        "                         checked before DPDK starts: a feed name holding '/' or a\n"
        "                         control character is refused\n"
        "  --publish-pcap OUT     the publisher port writes its datagrams to this pcap\n"
        "  --latency-log FILE     write the latency .hlog here (overrides latency.log)\n"
        "  --duration SECONDS     run this long, then shut down as on SIGTERM\n"
        "  --show-symbols N       top-of-book lines printed at exit (default 5)\n"
        "  --replay-b CAPTURE     with --replay: ports of feeds' B lines read this capture "
        "instead\n"
        "  --pace MODE            with --replay: how the capture reaches the worker. max "
        "(default\n"
        "                         for one line): as fast as the device reads it (bursts of 32,\n"
        "                         saturated latency); merged (default with --replay-b, unless\n"
        "                         --loop or --clock capture): both lines in capture-time order,\n"
        "                         as fast as the worker takes them, so neither runs ahead;\n"
        "                         capture or capture:xN: at the capture's own timing, N times\n"
        "                         faster; a rate such as 1000000, 250k or 1m: ITCH messages per\n"
        "                         second, datagrams spaced evenly. Paced modes feed net_ring "
        "ports\n"
        "                         from a pacer thread on the main lcore's CPU and report its\n"
        "                         accuracy at exit\n"
        "  --clock wall|capture   with --replay: capture runs the worker's executor on a virtual\n"
        "                         clock set to each datagram's capture timestamp, so every timer\n"
        "                         (stale feed, line_wait, recovery), every send_ns and every "
        "event\n"
        "                         follows capture time: the same capture and configuration give "
        "the\n"
        "                         same snapshot, published payloads and events on every run. "
        "Latency\n"
        "                         metrics are switched off (they would measure virtual time)\n"
        "  --loop                 with --replay: replay the capture forever (throughput runs)\n"
        "  --restart-sequence     with --loop: sequencing restarts when the capture starts over\n"
        "  --version              print the version\n"
        "  -h, --help             this text\n"
        "An option's value follows it as the next argument or after '=' (--config=FILE).\n"
        "\n"
        "Exit codes: 0 clean exit, 1 run-time failure (--preflight: host not fit), 2 bad command\n"
        "line or configuration.\n"
        "SIGINT/SIGTERM/SIGHUP stop the workers, write the final statistics and snapshot, and\n"
        "exit 0; one that arrives during start-up stops the run as soon as it is up.\n"
        "Telemetry (dpdk-telemetry.py -f <file_prefix>): /hypertick/stats, /hypertick/feeds,\n"
        "/hypertick/book,<SYMBOL>.\n",
        program);
}

}  // namespace hypertick::gw
