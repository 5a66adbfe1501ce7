#include "options.hpp"

#include <array>
#include <iterator>
#include <utility>

#include <charconv>
#include <string_view>
#include "nasdaq_profile.hpp"

#include "hypertick/base/file_kind.hpp"
#include "hypertick/base/same_file.hpp"
#include "tool_cli.hpp"

namespace itch_gen {

namespace {

bool parse_unsigned(std::string_view text, uint64_t low, uint64_t high, uint64_t& out) {
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return false;
    if (value < low || value > high) return false;
    out = value;
    return true;
}

// A probability in [0, 1] as a decimal ("0.01", "1", "0") converted to parts per million
// without floating point, so every platform rounds the same way.
bool parse_probability(std::string_view text, uint32_t& ppm) {
    const size_t dot = text.find('.');
    uint64_t whole = 0;
    if (!parse_unsigned(text.substr(0, dot), 0, 1, whole)) return false;
    uint64_t fraction = 0;
    if (dot != std::string_view::npos) {
        std::string_view digits = text.substr(dot + 1);
        if (digits.empty() || digits.size() > 6) return false;
        if (!parse_unsigned(digits, 0, 999'999, fraction)) return false;
        for (size_t i = digits.size(); i < 6; ++i) fraction *= 10;
    }
    if (whole == 1 && fraction != 0) return false;
    ppm = static_cast<uint32_t>(whole * 1'000'000 + fraction);
    return true;
}

bool parse_ipv4(std::string_view text, uint32_t& out) {
    uint32_t value = 0;
    for (int part = 0; part < 4; ++part) {
        const size_t dot = part < 3 ? text.find('.') : text.size();
        if (dot == std::string_view::npos) return false;
        uint64_t octet = 0;
        if (!parse_unsigned(text.substr(0, dot), 0, 255, octet)) return false;
        value = (value << 8) | static_cast<uint32_t>(octet);
        text.remove_prefix(part < 3 ? dot + 1 : dot);
    }
    out = value;
    return true;
}

}  // namespace

const char* usage_text() {
    return R"(itch_gen: write a deterministic, realistic NASDAQ TotalView-ITCH 5.0 feed as a pcap of
Ethernet/IPv4/UDP/MoldUDP64 frames (and optionally the books it implies).

usage: itch_gen --out FILE.pcap [options]

What to generate:
  --profile NAME         basic (default): small books, the original mix of types;
                         nasdaq: a day-like stream, thousands of symbols of which a few hundred
                         carry most messages, books filling to about 1.2 million live orders,
                         full and partial cancels and the type mix of docs/protocol.md (its
                         defaults: --symbols 8192 --messages 12000000)
  --seed N               random seed; same seed and options give the same bytes (default 1)
  --symbols S            stock directory size, 1..65534 (default 8)
  --messages M           total ITCH messages, exactly (default 100000); must be at least
                         2*S+7 for the directory, system events and trailer
  --empty-at-end         delete every resting order before the end, so the capture leaves
                         every book empty (for looping replays)
  --from-historical FILE wrap the messages of a NASDAQ historical file (2-byte big-endian
                         length + message, repeated) instead of generating (ignores --symbols,
                         --messages, --empty-at-end)

Outputs:
  --out FILE.pcap        the primary (A) line; required unless only --historical-out is given
  --out-b FILE.pcap      a second (B) line: the same datagrams with its own losses
  --expect OUT.json      books and feed counters a receiver of the A line must end with
                         (schema: docs/protocol.md)
  --historical-out FILE  the whole message stream in NASDAQ historical format

Framing:
  --per-packet N         at most N messages per datagram, 1..65534 (default 40)
  --mtu BYTES            IP MTU bounding each datagram, 100..9000 (default 1500)
  --heartbeat-every N    a heartbeat (count 0) after every N data datagrams; 0 = none (default 500)
  --end-of-session N     end-of-session datagrams (count 0xFFFF) at the end (default 3)
  --session NAME         MoldUDP64 session, up to 10 characters (default HTGEN00001)
  --group A.B.C.D        A line destination group (default 233.54.12.111)
  --port N               A line destination port (default 26477)
  --b-group A.B.C.D      B line destination group (default 233.54.12.112)
  --b-port N             B line destination port (default 26477)
  --vlan ID              add an 802.1Q tag with this VLAN id, 1..4094 (default none)

Faults on the A line, each a probability per data datagram in [0, 1], 6 decimals at most
(at most one fault per datagram; heartbeats and end of session are never faulted):
  --drop P               the datagram is lost (a gap)
  --duplicate P          the datagram arrives twice (the copy after the next datagram)
  --reorder P            the datagram arrives after the next one
  --truncate P           the frame is cut short (the receiver must reject it: a loss)
  --corrupt P            a header byte is damaged (the receiver must reject it: a loss)
  --b-drop P             loss probability of the B line

Every option takes its value as --name=value or --name value.
  -h, --help             this text
  --version              the version

Each output replaces its file whole or not at all (a temporary file beside it, renamed once
complete): on a full disk the previous file is left as it was.
Exit status: 0 on success, 1 on an I/O error, 2 on a bad argument.
)";
}

parse_result parse_options(int argc, const char* const* argv, generator_options& options,
                           std::string& error) {
    namespace cli = hypertick::tool_cli;
    static constexpr std::array<cli::option_spec, 26> specs = {{
        {"profile", true},
        {"seed", true},
        {"symbols", true},
        {"messages", true},
        {"empty-at-end", false},
        {"from-historical", true},
        {"out", true},
        {"out-b", true},
        {"expect", true},
        {"historical-out", true},
        {"per-packet", true},
        {"mtu", true},
        {"heartbeat-every", true},
        {"end-of-session", true},
        {"session", true},
        {"group", true},
        {"port", true},
        {"b-group", true},
        {"b-port", true},
        {"vlan", true},
        {"drop", true},
        {"duplicate", true},
        {"reorder", true},
        {"truncate", true},
        {"corrupt", true},
        {"b-drop", true},
    }};
    cli::command_line cl;
    error = cli::split(argc, argv, specs, cl);
    if (!error.empty()) return parse_result::error;
    if (cl.help) return parse_result::help;
    if (cl.version) return parse_result::version;
    if (!cl.operands.empty()) {
        error = "unexpected argument '" + cl.operands[0] + "' (every input is an option)";
        return parse_result::error;
    }
    bool symbols_given = false;
    bool messages_given = false;
    for (const cli::given_option& given : cl.options) {
        const std::string_view name = given.name;
        const std::string_view value = given.value;
        if (name == "--empty-at-end") {
            options.empty_at_end = true;
            continue;
        }
        uint64_t n = 0;
        bool ok = true;
        const char* expected = "";
        auto number = [&](uint64_t low, uint64_t high, const char* what) {
            expected = what;
            ok = parse_unsigned(value, low, high, n);
            return n;
        };
        auto probability = [&](uint32_t& ppm) {
            expected = "a probability in [0, 1] with at most 6 decimals";
            ok = parse_probability(value, ppm);
        };
        auto address = [&](uint32_t& ip) {
            expected = "an IPv4 address A.B.C.D";
            ok = parse_ipv4(value, ip);
        };
        auto path = [&](std::string& out) {
            expected = "a file name";
            ok = !value.empty();
            out = value;
        };
        symbols_given = symbols_given || name == "--symbols";
        messages_given = messages_given || name == "--messages";
        if (name == "--profile") {
            expected = "basic or nasdaq";
            ok = value == "basic" || value == "nasdaq";
            options.profile = value == "nasdaq" ? feed_profile::nasdaq : feed_profile::basic;
        } else if (name == "--seed")
            options.seed = number(0, UINT64_MAX, "an unsigned 64-bit integer");
        else if (name == "--symbols")
            options.symbols = static_cast<uint32_t>(number(1, 65534, "an integer in [1, 65534]"));
        else if (name == "--messages")
            options.messages = number(1, 1'000'000'000, "an integer in [1, 1000000000]");
        else if (name == "--out")
            path(options.out);
        else if (name == "--out-b")
            path(options.out_b);
        else if (name == "--expect")
            path(options.expect);
        else if (name == "--historical-out")
            path(options.historical_out);
        else if (name == "--from-historical")
            path(options.from_historical);
        else if (name == "--per-packet")
            options.per_packet =
                static_cast<uint32_t>(number(1, 65534, "an integer in [1, 65534]"));
        else if (name == "--mtu")
            options.mtu = static_cast<uint32_t>(number(100, 9000, "an integer in [100, 9000]"));
        else if (name == "--heartbeat-every")
            options.heartbeat_every =
                static_cast<uint32_t>(number(0, 1'000'000'000, "an integer in [0, 1000000000]"));
        else if (name == "--end-of-session")
            options.end_of_session =
                static_cast<uint32_t>(number(0, 1000, "an integer in [0, 1000]"));
        else if (name == "--session") {
            expected = "1 to 10 printable ASCII characters";
            ok = !value.empty() && value.size() <= 10;
            for (char c : value) ok = ok && c > ' ' && c < 127;
            if (ok) options.session = value;
        } else if (name == "--group")
            address(options.group);
        else if (name == "--b-group")
            address(options.b_group);
        else if (name == "--port")
            options.port = static_cast<uint16_t>(number(1, 65535, "a port in [1, 65535]"));
        else if (name == "--b-port")
            options.b_port = static_cast<uint16_t>(number(1, 65535, "a port in [1, 65535]"));
        else if (name == "--vlan")
            options.vlan = static_cast<uint16_t>(number(1, 4094, "a VLAN id in [1, 4094]"));
        else if (name == "--drop")
            probability(options.faults.drop_ppm);
        else if (name == "--duplicate")
            probability(options.faults.duplicate_ppm);
        else if (name == "--reorder")
            probability(options.faults.reorder_ppm);
        else if (name == "--truncate")
            probability(options.faults.truncate_ppm);
        else if (name == "--corrupt")
            probability(options.faults.corrupt_ppm);
        else if (name == "--b-drop")
            probability(options.faults.b_drop_ppm);
        if (!ok) {
            error = cli::bad_value(given, expected);
            return parse_result::error;
        }
    }
    if (options.profile == feed_profile::nasdaq) {
        if (!symbols_given) options.symbols = nasdaq::default_symbols;
        if (!messages_given) options.messages = nasdaq::default_messages;
    }
    const fault_plan& f = options.faults;
    if (uint64_t{f.drop_ppm} + f.duplicate_ppm + f.reorder_ppm + f.truncate_ppm + f.corrupt_ppm >
        1'000'000) {
        error = "--drop/--duplicate/--reorder/--truncate/--corrupt: probabilities sum above 1";
        return parse_result::error;
    }
    if (options.out.empty() && options.historical_out.empty()) {
        error = "--out: required (or --historical-out alone)";
        return parse_result::error;
    }
    if (!options.out_b.empty() && options.out.empty()) {
        error = "--out-b: needs --out as well";
        return parse_result::error;
    }
    // Every file is written once: no output over another output or over the input.
    const std::pair<const char*, const std::string*> files[] = {
        {"--out", &options.out},
        {"--out-b", &options.out_b},
        {"--expect", &options.expect},
        {"--historical-out", &options.historical_out},
        {"--from-historical", &options.from_historical}};
    for (std::size_t i = 0; i + 1 < std::size(files); ++i) {  // the outputs; the input is last
        const std::string kind = hypertick::base::special_file_kind(*files[i].second);
        if (!kind.empty()) {
            error = std::string(files[i].first) + ": '" + *files[i].second + "' is " + kind +
                    ", not a regular file";
            return parse_result::error;
        }
        for (std::size_t j = i + 1; j < std::size(files); ++j) {
            if (files[i].second->empty() || files[j].second->empty() ||
                !hypertick::base::same_file(*files[i].second, *files[j].second))
                continue;
            error = std::string(files[i].first) + " and " + files[j].first +
                    " name the same file '" + *files[i].second + "'";
            return parse_result::error;
        }
    }
    if (options.from_historical.empty() && options.messages < 2ull * options.symbols + 7) {
        error = "--messages: must be at least 2*symbols+7 = " +
                std::to_string(2ull * options.symbols + 7) + " for " +
                std::to_string(options.symbols) + " symbols";
        return parse_result::error;
    }
    return parse_result::ok;
}

}  // namespace itch_gen
