// hypertick-gw: parse the command line and the configuration, then hand over to run_gateway.
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>

#include "app/capture_check.hpp"
#include "app/cli_options.hpp"
#include "app/gateway_app.hpp"
#include "app/start_checks.hpp"
#include "config/config_loader.hpp"
#include "deploy/preflight.hpp"

#ifndef HYPERTICK_VERSION
#define HYPERTICK_VERSION "0.0.0"
#endif

namespace {

// The folder of this executable, so the bundled sample feed is found beside it
// (build/<preset>/bin/../share/hypertick, or /usr/bin/../share/hypertick when installed).
std::string executable_dir() {
    char path[PATH_MAX] = {};
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return ".";
    std::string p(path, static_cast<std::size_t>(n));
    return p.substr(0, p.find_last_of('/'));
}

std::string dir_of(const std::string& file) {
    const auto slash = file.find_last_of('/');
    return slash == std::string::npos ? "." : file.substr(0, slash);
}

}  // namespace

int main(int argc, char** argv) {
    namespace gw = hypertick::gw;
    gw::cli_options options;
    const std::string problem = gw::parse_cli(argc, argv, options);
    if (!problem.empty()) {
        std::fprintf(stderr, "hypertick-gw: %s\n", problem.c_str());
        return 2;
    }
    if (options.help) {
        gw::print_help(argv[0]);
        return 0;
    }
    if (options.version) {
        std::printf("hypertick-gw %s\n", HYPERTICK_VERSION);
        return 0;
    }
    const std::map<std::string, std::string> variables = {
        {"sample_capture", executable_dir() + "/../share/hypertick/sample.pcap"},
        {"config_dir", dir_of(options.config_path)},
    };
    gw::config_result loaded = gw::load_config(options.config_path, variables);
    if (!loaded.ok) {
        std::fprintf(stderr, "hypertick-gw: %s\n", loaded.error.to_string().c_str());
        return 2;
    }
    if (options.preflight) {  // before anything DPDK: it only reads the host
        const gw::preflight_report report =
            gw::run_preflight(loaded.config, gw::host_view(options.host_root));
        gw::print_preflight(report, options.config_path, stdout);
        return gw::preflight_exit_code(report);
    }
    if (const std::string why = gw::start_problem(options, loaded.config); !why.empty()) {
        std::fprintf(stderr, "hypertick-gw: %s\n", why.c_str());
        return 2;
    }
    // Captures are checked before EAL: a bad one is a bad command line (exit 2); one cut short
    // is replayed up to the cut (net_pcap stops there too), said before and after the run, and
    // the run ends with exit 1.
    const gw::capture_check captures = gw::check_capture_options(options);
    if (!captures.error.empty()) {
        std::fprintf(stderr, "hypertick-gw: %s\n", captures.error.c_str());
        return 2;
    }
    for (const std::string& w : captures.warnings)
        std::fprintf(stderr, "hypertick-gw: %s\n", w.c_str());
    int exit_code = gw::run_gateway(options, std::move(loaded.config));
    if (!captures.warnings.empty() && !options.check_config) {
        for (const std::string& w : captures.warnings)
            std::fprintf(stderr, "hypertick-gw: %s\n", w.c_str());
        if (exit_code == 0) exit_code = 1;
    }
    return exit_code;
}
