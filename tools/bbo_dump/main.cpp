// bbo_dump: decodes hypertick-gw's top-of-book datagrams (docs/protocol.md) from a pcap or
// pcapng, checks them, and prints them or the last top of book per locate.
//
//   bbo_dump CAPTURE [--final] [--quiet]
#include <array>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "bbo_text.hpp"
#include "hypertick/book/json_text.hpp"
#include "hypertick/feed/ethernet_ipv4_udp.hpp"
#include "hypertick/feed/feed_counters.hpp"
#include "hypertick/feed/pcap_file.hpp"
#include "publish/bbo_wire.hpp"
#include "tool_cli.hpp"

namespace feed = hypertick::feed;
namespace wire = hypertick::gw::wire;
namespace text = hypertick::tools::bbo_dump;
namespace cli = hypertick::tool_cli;
using hypertick::book::bbo_update;

namespace {

void usage() {
    std::printf(
        "usage: bbo_dump CAPTURE [--final] [--quiet]\n"
        "  Decodes the top-of-book datagrams hypertick-gw publishes (written with\n"
        "  --publish-pcap) and checks them: magic, version, record count against the\n"
        "  datagram length, and each publisher's datagram sequence (gaps are reported).\n"
        "  CAPTURE is a pcap or pcapng file (a regular file, link type Ethernet).\n"
        "  default   a header line naming the columns, then one line per record:\n"
        "            publisher, datagram sequence, symbol, feed sequence, ITCH timestamp\n"
        "            (ns since midnight, then HH:MM:SS.nnnnnnnnn), best bid and best ask\n"
        "            (price with 4 decimals, shares, orders), flags (DEGRADED, FEED-INVALID\n"
        "            or -)\n"
        "  --final   the last top of book of every locate, as JSON:\n"
        "            {\"SYMBOL\": {\"locate\": L, \"bid\": [price, shares, orders], \"ask\": "
        "[...]}}\n"
        "            prices as ITCH Price(4) integers (1234500 is 123.45), as in snapshots;\n"
        "            symbols JSON-escaped; a symbol under several locates keys its lowest\n"
        "            locate as \"SYMBOL\" and the others as \"SYMBOL (locate N)\" (docs/book.md)\n"
        "  --quiet   only the summary\n"
        "  -h, --help  this text;  --version  the version\n"
        "The summary (stdout; stderr with --final) counts frames, datagrams, records,\n"
        "symbols, publishers, sequence gaps, malformed datagrams, other frames and\n"
        "records flagged not valid, one per line. A frame that may hide records counts\n"
        "as malformed, not as an other frame: one the capture's snap length cut, an\n"
        "IPv4 fragment, or one whose Ethernet, IPv4 or UDP header is broken (a UDP length\n"
        "past the IPv4 payload). The first 20 malformed datagrams and sequence gaps are\n"
        "also said on stderr, one line each, then only how many more.\n"
        "Exit status: 0 when every datagram is well formed and in sequence, 1 otherwise\n"
        "(a capture cut short counts as malformed: the records before the cut are read),\n"
        "2 on a bad command line or a CAPTURE that is missing, not a regular file or not\n"
        "a pcap/pcapng capture.\n");
}

// Malformed datagrams and sequence gaps are said on stderr one line each, the first
// problem_lines_max of them; a hostile capture may hold millions, so the rest are only counted
// (the summary counts them all) and one closing line says how many were not shown.
constexpr std::uint64_t problem_lines_max = 20;

class problem_lines {
  public:
    __attribute__((format(printf, 2, 3))) void say(const char* format, ...) {
        if (said_ == problem_lines_max) {
            ++unsaid_;
            return;
        }
        ++said_;
        std::va_list args;
        va_start(args, format);
        std::fputs("bbo_dump: ", stderr);
        std::vfprintf(stderr, format, args);
        std::fputc('\n', stderr);
        va_end(args);
    }
    void close() const {
        if (unsaid_ != 0)
            std::fprintf(stderr,
                         "bbo_dump: %" PRIu64
                         " more malformed datagrams or sequence gaps not "
                         "shown (the first %" PRIu64 " are; the summary counts all)\n",
                         unsaid_, problem_lines_max);
    }

  private:
    std::uint64_t said_ = 0;
    std::uint64_t unsaid_ = 0;
};

// Why a frame the parser did not accept may hide published records, or "" when it is simply
// another host's traffic. A frame the capture cut short, one whose headers the parser calls
// malformed and an IPv4 fragment (the publisher never fragments, so its records cannot be read
// whole) all mean records are missing: counted as other frames, --final would print a stale top
// of book as valid and the exit status would say all is well.
std::string frame_problem(const feed::pcap_record& rec, feed::feed_event event) {
    if (rec.captured_length < rec.original_length)
        return std::to_string(rec.captured_length) + " of its " +
               std::to_string(rec.original_length) + " bytes captured (cut short)";
    if (event == feed::feed_event::ip_fragment || feed::is_malformed(event))
        return std::string(feed::feed_event_names[static_cast<std::uint32_t>(event)]);
    return "";
}

std::string trimmed(const std::array<char, 8>& s) {
    std::string out(s.data(), s.size());
    while (!out.empty() && (out.back() == ' ' || out.back() == '\0')) out.pop_back();
    return out;
}

int run(int argc, char** argv) {
    static constexpr std::array<cli::option_spec, 2> specs = {{{"final", false}, {"quiet", false}}};
    cli::command_line cl;
    if (const std::string error = cli::split(argc, argv, specs, cl); !error.empty())
        return cli::usage_error("bbo_dump", error);
    if (cl.help) {
        usage();
        return 0;
    }
    if (cl.version) {
        cli::print_version(stdout, "bbo_dump");
        return 0;
    }
    bool final_only = false, quiet = false;
    for (const cli::given_option& o : cl.options) (o.name == "--final" ? final_only : quiet) = true;
    if (cl.operands.size() != 1)
        return cli::usage_error("bbo_dump", cl.operands.empty() ? "no CAPTURE given"
                                                                : "more than one CAPTURE given ('" +
                                                                      cl.operands[1] + "')");
    const std::string& path = cl.operands[0];
    feed::pcap_reader reader;
    if (!reader.open(path)) {
        std::fprintf(stderr, "bbo_dump: %s: %s\n", path.c_str(), reader.error().c_str());
        return 2;
    }
    if (!final_only && !quiet) std::printf("%s\n", text::record_header().c_str());
    std::map<std::uint8_t, std::uint64_t> next_sequence;  // per publisher
    std::map<std::uint16_t, bbo_update> last;             // per locate
    std::uint64_t frames = 0, datagrams = 0, records = 0, malformed = 0, foreign = 0,
                  sequence_gaps = 0;
    std::uint64_t flagged = 0;  // records saying their book may differ from the exchange's
    problem_lines problems;
    feed::pcap_record rec;
    while (reader.next(rec)) {
        ++frames;
        feed::udp_datagram d;
        const feed::feed_event event =
            feed::parse_udp_frame(rec.data, rec.captured_length, feed::udp_filter{}, d);
        if (event != feed::feed_event::frame_accepted) {
            if (const std::string problem = frame_problem(rec, event); problem.empty()) {
                ++foreign;
            } else {
                ++malformed;
                problems.say("frame %" PRIu64 ": %s", frames, problem.c_str());
            }
            continue;
        }
        wire::header h;
        if (d.length < wire::header_bytes) {
            ++malformed;
            problems.say("frame %" PRIu64 ": %u bytes, shorter than the header", frames, d.length);
            continue;
        }
        std::memcpy(&h, d.payload, sizeof h);
        if (h.magic != wire::magic || h.version != wire::version ||
            d.length != wire::header_bytes + std::uint32_t{h.count} * wire::record_bytes) {
            ++malformed;
            problems.say("frame %" PRIu64 ": bad magic/version or %u bytes for %u records", frames,
                         d.length, h.count);
            continue;
        }
        ++datagrams;
        auto [it, fresh] = next_sequence.try_emplace(h.publisher, h.sequence);
        if (h.sequence != it->second) {
            ++sequence_gaps;
            problems.say("publisher %u: datagram %" PRIu64 " where %" PRIu64 " was expected",
                         h.publisher, h.sequence, it->second);
        }
        it->second = h.sequence + 1;
        for (std::uint32_t r = 0; r < h.count; ++r, ++records) {
            const bbo_update u =
                wire::decode_record(d.payload + wire::header_bytes + r * wire::record_bytes);
            last[u.locate] = u;
            flagged += u.flags != 0;
            if (final_only || quiet) continue;
            const std::string symbol = hypertick::book::json_escaped(trimmed(u.symbol));
            std::printf("%s\n", text::record_row(h.publisher, h.sequence, symbol, u).c_str());
        }
    }
    problems.close();
    if (!reader.error().empty()) {
        std::fprintf(stderr, "bbo_dump: %s: %s\n", path.c_str(), reader.error().c_str());
        ++malformed;
    }
    if (final_only) {
        std::printf("{");
        bool first = true;
        hypertick::book::book_keys keys;
        for (const auto& [locate, u] : last) {
            std::string key;
            hypertick::book::append_json_string(key, keys.key(trimmed(u.symbol), locate));
            std::printf(
                "%s\n%s: {\"locate\": %u, \"bid\": [%u, %" PRIu64 ", %u], \"ask\": [%u, %" PRIu64
                ", %u], "
                "\"valid\": %s}",
                first ? "" : ",", key.c_str(), u.locate, u.bid.price, u.bid.shares, u.bid.orders,
                u.ask.price, u.ask.shares, u.ask.orders, u.flags == 0 ? "true" : "false");
            first = false;
        }
        std::printf("\n}\n");
    }
    const text::summary_counts summary = {{"frames", frames},
                                          {"datagrams", datagrams},
                                          {"records", records},
                                          {"symbols", last.size()},
                                          {"publishers", next_sequence.size()},
                                          {"sequence gaps", sequence_gaps},
                                          {"malformed", malformed},
                                          {"other frames", foreign},
                                          {"records flagged not valid", flagged}};
    std::fprintf(final_only ? stderr : stdout, "bbo_dump: summary\n%s",
                 text::summary_table(summary).c_str());
    return malformed == 0 && sequence_gaps == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    return hypertick::tool_cli::finish_output("bbo_dump", run(argc, argv));
}
