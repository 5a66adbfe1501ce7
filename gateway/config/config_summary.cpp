#include "config/config_summary.hpp"

#include "config/config_loader.hpp"

namespace hypertick::gw {
namespace {

// Appends each piece: chains of `"text" + std::string` trip a g++ 12 -Wrestrict false positive.
template <class... Pieces>
void append(std::string& out, const Pieces&... pieces) {
    ((out += pieces), ...);
}

std::string source_text(const line_settings& line) {
    if (!line.source_ip) return "any";
    std::string out = format_ipv4(*line.source_ip);
    if (line.source_port) append(out, ":", std::to_string(*line.source_port));
    return out;
}

}  // namespace

std::string describe_feed(const feed_settings& feed, int indent) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    std::string out;
    append(out, pad, "feed ", feed.name, " on lcore ", std::to_string(feed.lcore), "\n");
    for (std::size_t i = 0; i < feed.lines.size(); ++i) {
        const line_settings& line = feed.lines[i];
        append(out, pad, "  line ", std::string(1, static_cast<char>('A' + i)), ": port ",
               line.port, " queue ", std::to_string(line.rx_queue), ", group ",
               line.group ? format_ipv4(*line.group) : "any", ", udp port ",
               line.udp_port ? std::to_string(*line.udp_port) : "any", ", source ",
               source_text(line), "\n");
    }
    const recovery_settings& r = feed.recovery;
    if (r.enabled) {
        append(out, pad, "  recovery: port ", r.port, " TX queue ", std::to_string(r.tx_queue),
               " RX queue ", std::to_string(r.rx_queue), ", server ", format_ipv4(r.server_ip), ":",
               std::to_string(r.server_port), " from ", format_ipv4(r.source_ip), ":",
               std::to_string(r.source_port), "\n");
    }
    return out;
}

}  // namespace hypertick::gw
