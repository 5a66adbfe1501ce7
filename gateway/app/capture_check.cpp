#include "app/capture_check.hpp"

#include "hypertick/feed/pcap_file.hpp"

namespace hypertick::gw {
namespace {

// The bytes DPDK's devargs/kvargs parsing treats as syntax, and control characters.
std::string unsafe_in_device_args(const std::string& path) {
    for (const char c : path) {
        if (c == ',' || c == '=' || c == '[' || c == ']') return std::string("'") + c + "'";
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a control character";
    }
    return {};
}

bool check_device_path(const char* option, const std::string& path, capture_check& result) {
    const std::string unsafe = unsafe_in_device_args(path);
    if (unsafe.empty()) return true;
    result.error =
        std::string(option) + " \"" + path + "\": the path holds " + unsafe +
        ", which DPDK device arguments cannot carry; rename the file or use a link to it";
    return false;
}

bool check_capture(const char* option, const std::string& path, capture_check& result) {
    if (path.empty()) return true;
    if (!check_device_path(option, path, result)) return false;
    feed::pcap_reader reader;
    if (!reader.open(path)) {
        result.error = std::string(option) + " " + path + ": " + reader.error();
        return false;
    }
    feed::pcap_record record;
    while (reader.next(record)) {
    }
    if (!reader.error().empty()) {
        if (reader.records_read() == 0) {
            result.error =
                std::string(option) + " " + path + ": " + reader.error() + " (nothing to replay)";
            return false;
        }
        result.warnings.push_back(std::string(option) + " " + path + ": " + reader.error());
    }
    return true;
}

}  // namespace

capture_check check_capture_options(const cli_options& options) {
    capture_check result;
    if (!check_capture("--replay", options.replay_capture, result)) return result;
    if (!check_capture("--replay-b", options.replay_b_capture, result)) return result;
    if (!options.publish_pcap.empty())
        check_device_path("--publish-pcap", options.publish_pcap, result);
    return result;
}

}  // namespace hypertick::gw
