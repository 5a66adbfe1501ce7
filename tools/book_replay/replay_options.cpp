#include "replay_options.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <string_view>

#include "hypertick/base/file_kind.hpp"
#include "hypertick/base/same_file.hpp"
#include "tool_cli.hpp"

namespace book_replay {

namespace {

bool parse_unsigned(std::string_view text, uint64_t low, uint64_t high, uint64_t& out) {
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return false;
    if (value < low || value > high) return false;
    out = value;
    return true;
}

bool parse_ipv4(std::string_view text, uint32_t& out) {
    const std::string address(text);
    in_addr parsed{};
    if (inet_pton(AF_INET, address.c_str(), &parsed) != 1) return false;
    out = ntohl(parsed.s_addr);
    return true;
}

}  // namespace

const char* usage_text() {
    return R"(book_replay: replay a capture through the gateway's decode, sequencing and order books
(no DPDK), then print throughput, memory and counters, and optionally write a snapshot.

usage: book_replay CAPTURE [options]

CAPTURE is a pcap or pcapng (Ethernet/IPv4/UDP/MoldUDP64, any timestamp resolution, either
byte order) or a NASDAQ historical ITCH file (2-byte big-endian length + message, repeated); the
magic number decides. The file is mapped and read once before timing starts (a pcap's frames
indexed, a historical file's messages counted); it must be a regular file. A capture whose last record is cut is replayed up to the cut, with a message
saying how much was read and what was cut.

Output:
  --snapshot OUT.json   write the books and feed counters (schema: docs/book.md)
  --depth N             at most N levels per side in the snapshot, 1..4294967294 (default all)

Capacities (all memory is allocated before the first message):
  --symbols N           books, 1..65534 (default 16384)
  --orders N            live orders, 1..1073741824 (default 4000000)
  --levels N            price levels per side of each book, 1..1048576 (default 128)
  --no-prefault         do not touch the tables at start (resident memory grows with use)
  --level-prefetch-books N
                        prefetch an order message's levels ahead of applying it once more
                        than N books are in use, 0..65534 (default: one book per 4 KiB of the
                        L2 cache, 512 with 2 MiB; docs/book.md)

Measurement and input:
  --runs N              timed passes over fresh books, 1..100; the median is reported (default 1)
  --group A.B.C.D       accept only this destination group (default any)
  --port N              accept only this UDP destination port (default any)

Every option takes its value as --name=value or --name value.
  -h, --help            this text
  --version             the version

For a pcap or pcapng, a frames: line counts what became of its frames: accepted, not IPv4
(another EtherType, or more than two VLAN tags), not UDP, filtered (--group, --port), IPv4
fragments, malformed headers.

Exit status: 0 on success; 1 when the capture stops before its end (cut or damaged: the records
before the cut are replayed and the snapshot written), a pcap or pcapng holds frames but none is
a datagram the replay accepts (said on stderr; the snapshot is written), the snapshot cannot be
written or the memory is not available; 2 on a bad argument or a CAPTURE that is missing, not a regular file,
empty or not a capture. A snapshot replaces its file only once complete (a temporary file in
the same folder, fsynced, then renamed): on any failure the previous file is left as it was.
)";
}

parse_result parse_options(int argc, const char* const* argv, replay_options& o,
                           std::string& error) {
    namespace cli = hypertick::tool_cli;
    static constexpr std::array<cli::option_spec, 10> specs = {{
        {"snapshot", true},
        {"depth", true},
        {"symbols", true},
        {"orders", true},
        {"levels", true},
        {"no-prefault", false},
        {"level-prefetch-books", true},
        {"runs", true},
        {"group", true},
        {"port", true},
    }};
    cli::command_line cl;
    error = cli::split(argc, argv, specs, cl);
    if (!error.empty()) return parse_result::error;
    if (cl.help) return parse_result::help;
    if (cl.version) return parse_result::version;
    if (cl.operands.size() > 1) {
        error = "unexpected argument '" + cl.operands[1] + "' (one CAPTURE only)";
        return parse_result::error;
    }
    if (!cl.operands.empty()) o.capture = cl.operands[0];
    for (const cli::given_option& given : cl.options) {
        const std::string_view arg = given.name;
        const std::string_view value = given.value;
        uint64_t n = 0;
        auto bad = [&](const char* expected) {
            error = cli::bad_value(given, expected);
            return parse_result::error;
        };
        if (arg == "--no-prefault") {
            o.capacities.prefault = false;
        } else if (arg == "--snapshot") {
            if (value.empty()) return bad("a file name");
            o.snapshot = value;
        } else if (arg == "--depth") {
            if (!parse_unsigned(value, 1, 0xfffffffe, n)) return bad("a depth in 1..4294967294");
            o.depth = static_cast<uint32_t>(n);
        } else if (arg == "--symbols") {
            if (!parse_unsigned(value, 1, 65534, n)) return bad("a count in 1..65534");
            o.capacities.symbols = static_cast<uint32_t>(n);
        } else if (arg == "--orders") {
            if (!parse_unsigned(value, 1, 1u << 30, n)) return bad("a count in 1..1073741824");
            o.capacities.orders = static_cast<uint32_t>(n);
        } else if (arg == "--levels") {
            if (!parse_unsigned(value, 1, 1u << 20, n)) return bad("a count in 1..1048576");
            o.capacities.levels_per_side = static_cast<uint32_t>(n);
        } else if (arg == "--level-prefetch-books") {
            if (!parse_unsigned(value, 0, 65534, n)) return bad("a count in 0..65534");
            o.capacities.level_prefetch_books = static_cast<uint32_t>(n);
        } else if (arg == "--runs") {
            if (!parse_unsigned(value, 1, 100, n)) return bad("a count in 1..100");
            o.runs = static_cast<uint32_t>(n);
        } else if (arg == "--group") {
            if (!parse_ipv4(value, o.group)) return bad("an IPv4 address A.B.C.D");
        } else if (arg == "--port") {
            if (!parse_unsigned(value, 1, 65535, n)) return bad("a port in 1..65535");
            o.port = static_cast<uint16_t>(n);
        }
    }
    if (o.capture.empty()) {
        error = "no CAPTURE given";
        return parse_result::error;
    }
    if (const std::string kind = hypertick::base::special_file_kind(o.snapshot);
        !o.snapshot.empty() && !kind.empty()) {
        error = "--snapshot: '" + o.snapshot + "' is " + kind + ", not a regular file";
        return parse_result::error;
    }
    if (!o.snapshot.empty() && hypertick::base::same_file(o.snapshot, o.capture)) {
        error = "--snapshot: '" + o.snapshot +
                "' is the CAPTURE being read: writing it would destroy it";
        return parse_result::error;
    }
    return parse_result::ok;
}

}  // namespace book_replay
