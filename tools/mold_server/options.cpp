#include <arpa/inet.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "options.hpp"
#include "tool_cli.hpp"

namespace hypertick::mold_server {
namespace {

bool parse_u64(const std::string& text, std::uint64_t max, std::uint64_t& out) {
    if (text.empty() || text[0] < '0' || text[0] > '9') return false;
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (errno != 0 || *end != '\0' || v > max) return false;
    out = v;
    return true;
}

bool parse_address(const std::string& text, sockaddr_in& out) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    std::uint64_t port = 0;
    if (!parse_u64(text.substr(colon + 1), 65535, port)) return false;
    out = sockaddr_in{};
    out.sin_family = AF_INET;
    out.sin_port = htons(static_cast<std::uint16_t>(port));
    return ::inet_pton(AF_INET, text.substr(0, colon).c_str(), &out.sin_addr) == 1;
}

// "A.B.C.D" (one host) or "A.B.C.D/BITS" (a network; the address's bits past BITS must be 0).
bool parse_network(const std::string& text, std::uint32_t& network, std::uint32_t& mask) {
    const std::size_t slash = text.find('/');
    std::uint64_t bits = 32;
    if (slash != std::string::npos && !parse_u64(text.substr(slash + 1), 32, bits)) return false;
    in_addr address{};
    if (::inet_pton(AF_INET, text.substr(0, slash).c_str(), &address) != 1) return false;
    mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    network = ntohl(address.s_addr);
    return (network & ~mask) == 0;
}

}  // namespace

void print_usage(std::FILE* out) {
    std::fprintf(
        out,
        "mold_server: a MoldUDP64 re-request server answering from a feed capture (tests, demos).\n"
        "\n"
        "usage: mold_server --capture FILE.pcap --listen ADDR:PORT [options]\n"
        "\n"
        "  --capture FILE     pcap of the loss-free feed (e.g. itch_gen --out); every message of\n"
        "                     the session is indexed by its sequence number, other sessions'\n"
        "                     datagrams skipped and counted\n"
        "  --listen ADDR:PORT IPv4 address and UDP port to bind (0.0.0.0 for every address)\n"
        "  --session NAME     answer only this MoldUDP64 session (default: the capture's)\n"
        "  --allow ADDR[/BITS] answer only requests from this IPv4 address or network; the\n"
        "                     others are counted as refused (default: anyone, which suits a\n"
        "                     test network only: UDP source addresses are easily forged, and\n"
        "                     each 20-byte request draws up to 1420 bytes toward its source)\n"
        "  --never-answer     count requests, answer none (a dead server)\n"
        "  --delay-ms N       answer each request N ms after it arrived; at most 65536 answers\n"
        "                     wait, and a request that finds them all waiting is dropped and\n"
        "                     counted\n"
        "  --drop-every N     leave every Nth request unanswered (a lossy server)\n"
        "  --max-requests N   exit after N requests\n"
        "  --duration S       exit after S seconds (default: run until SIGTERM/SIGINT)\n"
        "  -h, --help         this text\n"
        "  --version          the version\n"
        "Every option takes its value as --name=value or --name value.\n"
        "\n"
        "A request is 20 bytes: session(10), first sequence (uint64 BE), count (uint16 BE). The\n"
        "answer is one MoldUDP64 datagram sent back to the requester: the first sequence and as "
        "many\n"
        "consecutive messages as were asked, that the capture holds and that fit 1400 bytes.\n"
        "Prints 'listening on ...' when ready and a summary line at exit.\n"
        "Exit status: 0 normally, 1 when the capture or the socket fails, 2 on a bad command "
        "line.\n");
}

std::string parse_options(int argc, const char* const* argv, options& o) {
    namespace cli = hypertick::tool_cli;
    static constexpr std::array<cli::option_spec, 9> specs = {{
        {"capture", true},
        {"listen", true},
        {"allow", true},
        {"session", true},
        {"never-answer", false},
        {"delay-ms", true},
        {"drop-every", true},
        {"max-requests", true},
        {"duration", true},
    }};
    cli::command_line cl;
    if (std::string error = cli::split(argc, argv, specs, cl); !error.empty()) return error;
    o.help = cl.help;
    o.version = cl.version;
    if (o.help || o.version) return {};
    if (!cl.operands.empty()) return "unexpected argument '" + cl.operands[0] + "'";
    for (const cli::given_option& given : cl.options) {
        const std::string& arg = given.name;
        const std::string& v = given.value;
        std::uint64_t n = 0;
        if (arg == "--never-answer") {
            o.never_answer = true;
        } else if (arg == "--capture") {
            if (v.empty()) return cli::bad_value(given, "a file name");
            o.capture = v;
        } else if (arg == "--listen") {
            if (!parse_address(v, o.listen)) return cli::bad_value(given, "IPv4ADDR:PORT");
            o.listen_text = v;
        } else if (arg == "--allow") {
            if (!parse_network(v, o.allow_network, o.allow_mask))
                return cli::bad_value(given, "IPv4ADDR or IPv4ADDR/BITS with no host bits set");
        } else if (arg == "--session") {
            if (v.empty() || v.size() > 10) return cli::bad_value(given, "1 to 10 characters");
            o.session = v;
        } else if (arg == "--delay-ms") {
            if (!parse_u64(v, 600000, n))
                return cli::bad_value(given, "a whole number of milliseconds up to 600000");
            o.delay_ms = static_cast<std::uint32_t>(n);
        } else if (arg == "--drop-every") {
            if (!parse_u64(v, 1u << 30, n) || n == 0)
                return cli::bad_value(given, "a whole number >= 1");
            o.drop_every = static_cast<std::uint32_t>(n);
        } else if (arg == "--max-requests") {
            if (!parse_u64(v, UINT64_MAX, n) || n == 0)
                return cli::bad_value(given, "a whole number >= 1");
            o.max_requests = n;
        } else if (arg == "--duration") {
            char* end = nullptr;
            o.duration_s = std::strtod(v.c_str(), &end);
            if (end == v.c_str() || *end != '\0' || !std::isfinite(o.duration_s) ||
                o.duration_s <= 0)
                return cli::bad_value(given, "a positive number of seconds");
        }
    }
    if (o.capture.empty()) return "--capture FILE is required";
    if (o.listen_text.empty()) return "--listen ADDR:PORT is required";
    return {};
}

}  // namespace hypertick::mold_server
