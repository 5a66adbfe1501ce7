// Configuration: the default parses, and every kind of mistake gives one clear error naming
// the key and its line:column.
#include <gtest/gtest.h>

#include <chrono>

#include "config/config_loader.hpp"
#include "config/config_reference.hpp"
#include "config/config_schema.hpp"
#include "config/config_summary.hpp"
#include "config/eal_options.hpp"

namespace gw = hypertick::gw;

namespace {

const std::map<std::string, std::string> vars = {{"sample_capture", "/tmp/sample.pcap"},
                                                 {"config_dir", "/etc"}};

const char* minimal = R"(
ports:
  - name: p0
    device: net_null0
feeds:
  - name: f0
    port: p0
    lcore: 1
)";

gw::config_error error_of(const std::string& yaml) {
    const auto r = gw::parse_config(yaml, "test.yaml", vars);
    EXPECT_FALSE(r.ok) << "expected an error for:\n" << yaml;
    return r.error;
}

// A copy of `text` with the first `from` replaced by `to`; a missing `from` fails the test.
std::string edited(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

}  // namespace

TEST(GatewayConfig, DefaultConfigurationParses) {
    const auto r = gw::load_config(std::string(HYPERTICK_SOURCE_DIR) + "/config/feed.yaml", vars);
    ASSERT_TRUE(r.ok) << r.error.to_string();
    const gw::gateway_config& c = r.config;
    ASSERT_EQ(c.ports.size(), 2u);
    EXPECT_EQ(c.ports[0].device, "net_pcap_feed0,rx_pcap=/tmp/sample.pcap");
    EXPECT_TRUE(c.ports[0].is_vdev());
    ASSERT_EQ(c.feeds.size(), 1u);
    EXPECT_FALSE(c.feeds[0].lines[0].group.has_value());  // "any"
    EXPECT_FALSE(c.feeds[0].lines[0].udp_port.has_value());
    EXPECT_EQ(c.worker_lcores(), std::vector<std::uint32_t>{1});
    EXPECT_EQ(c.publisher.destination_group, 0xEF010101u);
    EXPECT_EQ(c.eal.hugepages, gw::hugepage_mode::automatic);
}

TEST(GatewayConfig, MinimalConfigurationTakesDefaults) {
    const auto r = gw::parse_config(minimal, "m.yaml", vars);
    ASSERT_TRUE(r.ok) << r.error.to_string();
    EXPECT_FALSE(r.config.publisher.enabled);  // no publisher section: nothing published
    EXPECT_EQ(r.config.timers.stale_after_ms, 3000u);
}

TEST(GatewayConfig, UnknownKeyIsNamedWithItsPosition) {
    const auto e = error_of(std::string(minimal) + "timers:\n  heartbeat_msec: 5\n");
    EXPECT_EQ(e.key, "timers.heartbeat_msec");
    EXPECT_EQ(e.line, 10);
    EXPECT_EQ(e.column, 3);
    EXPECT_NE(e.message.find("unknown key"), std::string::npos);
    EXPECT_EQ(e.to_string().rfind("test.yaml:10:3: timers.heartbeat_msec: unknown key", 0), 0u)
        << e.to_string();
}

TEST(GatewayConfig, DuplicateKeyIsNamed) {
    const auto e =
        error_of(std::string(minimal) + "books:\n  max_orders: 5\nbooks:\n  max_orders: 6\n");
    EXPECT_EQ(e.key, "books");
    EXPECT_EQ(e.line, 11);  // the second occurrence
    EXPECT_EQ(e.message, "duplicate key");
}

TEST(GatewayConfig, WrongTypeIsNamed) {
    const auto e = error_of(std::string(minimal) + "books:\n  max_orders: lots\n");
    EXPECT_EQ(e.key, "books.max_orders");
    EXPECT_EQ(e.line, 10);
    EXPECT_NE(e.message.find("expected a decimal integer"), std::string::npos);
}

TEST(GatewayConfig, OutOfRangeIsNamed) {
    const auto e = error_of(std::string(minimal) + "latency:\n  significant_digits: 7\n");
    EXPECT_EQ(e.key, "latency.significant_digits");
    EXPECT_NE(e.message.find("out of range [1, 5]"), std::string::npos);
}

TEST(GatewayConfig, ImpossibleCombinationsAreNamed) {
    // A feed on an lcore the EAL does not have.
    auto e = error_of(R"(
eal:
  lcores: "0@0,1@1"
ports:
  - name: p0
    device: net_null0
feeds:
  - name: f0
    port: p0
    lcore: 5
)");
    EXPECT_EQ(e.key, "feeds[0].lcore");
    EXPECT_EQ(e.line, 10);
    EXPECT_NE(e.message.find("not in eal.lcores"), std::string::npos);
    // A feed on the main lcore.
    e = error_of(edited(minimal, "lcore: 1", "lcore: 0"));
    EXPECT_EQ(e.key, "feeds[0].lcore");
    EXPECT_NE(e.message.find("main lcore"), std::string::npos);
    // Two feeds on one RX queue.
    e = error_of(std::string(minimal) + "  - name: f1\n    port: p0\n    lcore: 1\n");
    EXPECT_EQ(e.key, "feeds[1].rx_queue");
    // A queue the port does not have.
    e = error_of(std::string(minimal) + "    rx_queue: 2\n");
    EXPECT_EQ(e.key, "feeds[0].rx_queue");
    EXPECT_NE(e.message.find("has 1 RX queue"), std::string::npos);
    // A feed on a port that does not exist.
    e = error_of(edited(minimal, "port: p0", "port: p9"));
    EXPECT_EQ(e.key, "feeds[0].port");
    // Stale timeout shorter than the heartbeat.
    e = error_of(std::string(minimal) + "timers:\n  heartbeat_ms: 500\n  stale_after_ms: 100\n");
    EXPECT_EQ(e.key, "timers.stale_after_ms");
    // A publisher without enough TX queues for its workers.
    e = error_of(R"(
eal:
  lcores: "0@0,1@1,2@1"
ports:
  - name: p0
    device: net_null0
    rx_queues: 2
feeds:
  - name: a
    port: p0
    lcore: 1
  - name: b
    port: p0
    rx_queue: 1
    lcore: 2
publisher:
  port: p0
)");
    EXPECT_EQ(e.key, "publisher.tx_queue");
    EXPECT_NE(e.message.find("one TX queue per worker"), std::string::npos);
    // A unicast publisher group.
    e = error_of(std::string(minimal) + "publisher:\n  port: p0\n  destination_group: 10.1.1.1\n");
    EXPECT_EQ(e.key, "publisher.destination_group");
}

TEST(GatewayConfig, SyntaxErrorsAndMissingFilesAreReported) {
    auto e = error_of("ports: [\n");
    EXPECT_NE(e.message.find("YAML syntax"), std::string::npos);
    EXPECT_GT(e.line, 0);
    const auto r = gw::load_config("/nonexistent/feed.yaml", vars);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.to_string().find("cannot read the configuration"), std::string::npos);
    e = error_of(edited(minimal, "net_null0", "net_pcap0,rx_pcap=${nope}"));
    EXPECT_EQ(e.key, "ports[0].device");
    EXPECT_NE(e.message.find("unknown variable ${nope}"), std::string::npos);
}

TEST(GatewayConfig, ASecondDocumentIsRefused) {
    const auto e = error_of(std::string(minimal) + "---\nbooks:\n  max_orders: 5\n");
    EXPECT_EQ(e.key, "books");
    EXPECT_EQ(e.line, 10);
    EXPECT_NE(e.message.find("a second YAML document"), std::string::npos) << e.message;
    EXPECT_EQ(e.to_string().rfind("test.yaml:10:", 0), 0u) << e.to_string();
}

TEST(GatewayConfig, ExplicitTagsAreRefused) {
    auto e = error_of(std::string(minimal) + "books:\n  max_orders: !foo 512\n");
    EXPECT_EQ(e.key, "books.max_orders");
    EXPECT_EQ(e.line, 10);
    EXPECT_NE(e.message.find("explicit tag \"!foo\""), std::string::npos) << e.message;

    e = error_of(edited(minimal, "net_null0", "!!binary bmV0X251bGww"));
    EXPECT_EQ(e.key, "ports[0].device");
    EXPECT_EQ(e.line, 4);
    EXPECT_NE(e.message.find("tag:yaml.org,2002:binary"), std::string::npos) << e.message;

    e = error_of(std::string(minimal) + "books: !!map\n  max_orders: 512\n");
    EXPECT_EQ(e.key, "books");

    e = error_of(std::string(minimal) + "books:\n  !foo max_orders: 512\n");
    EXPECT_EQ(e.key, "books.max_orders");

    // Quoted and plain values carry yaml-cpp's non-specific tags, and are accepted.
    EXPECT_TRUE(
        gw::parse_config(edited(minimal, "net_null0", "\"net_null0\""), "test.yaml", vars).ok);
}

// Aliases of aliases name 10^10 scalars in a few hundred bytes: the check for tags walks each
// collection once, so the file is refused for its unknown key at once.
TEST(GatewayConfig, AliasesOfAliasesAreWalkedOnce) {
    std::string yaml = std::string(minimal) + "laughs:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level <= 10; ++level) {
        const std::string previous = "*l" + std::to_string(level - 1);
        yaml += "  l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) yaml += (i == 0 ? "" : ", ") + previous;
        yaml += "]\n";
    }
    const auto start = std::chrono::steady_clock::now();
    const auto e = error_of(yaml);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_EQ(e.key, "laughs");
    EXPECT_NE(e.message.find("unknown key"), std::string::npos) << e.message;
}

TEST(GatewayConfig, AKeyThatIsAMappingOrAListIsNamed) {
    for (const char* key : {"{a: 1}", "[a, b]"}) {
        const auto e = error_of(std::string(minimal) + "books:\n  ? " + key + "\n  : 2\n");
        EXPECT_EQ(e.key, "books") << key;
        EXPECT_EQ(e.line, 10) << key;
        EXPECT_NE(e.message.find("a key must be a single word"), std::string::npos) << e.message;
    }
}

// yaml-cpp refuses deep nesting itself, with the message "bad file": the error says what it is.
TEST(GatewayConfig, DeepNestingIsNamed) {
    const auto e = error_of(std::string(minimal) + "books: " + std::string(100000, '['));
    EXPECT_NE(e.message.find("YAML nested deeper than"), std::string::npos) << e.message;
    EXPECT_GT(e.line, 0);
}

// A value or key of any length is shown in at most a few lines, control characters escaped.
TEST(GatewayConfig, ErrorsShowLongOrControlTextBounded) {
    auto e =
        error_of(std::string(minimal) + "books:\n  max_orders: " + std::string(100000, '9') + "\n");
    EXPECT_EQ(e.key, "books.max_orders");
    EXPECT_NE(e.message.find("out of range"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("... (100000 bytes)"), std::string::npos) << e.message;
    EXPECT_LT(e.to_string().size(), 300u);

    // YAML keeps a plain key under 1024 characters; one just under is an unknown key, named
    // in part.
    e = error_of(std::string(minimal) + "books:\n  " + std::string(1000, 'k') + ": 1\n");
    EXPECT_NE(e.message.find("unknown key"), std::string::npos) << e.message;
    EXPECT_NE(e.key.find("... (1006 bytes)"), std::string::npos) << e.key;
    EXPECT_LT(e.key.size(), 300u);

    e = error_of(std::string(minimal) + "books:\n  max_orders: \"1\\e[2J\"\n");
    EXPECT_EQ(e.message.find('\x1b'), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("\"1\\x1b[2J\""), std::string::npos) << e.message;

    // U+009B, the one-character CSI, is two bytes in UTF-8; other UTF-8 is shown as it is.
    e = error_of(std::string(minimal) + "books:\n  max_orders: \"\\x9b2J \u00e9\"\n");
    EXPECT_NE(e.message.find("\"\\xc2\\x9b2J \xc3\xa9\""), std::string::npos) << e.message;
}

TEST(GatewayConfig, LcoreListsInDpdkSyntax) {
    std::vector<std::uint32_t> ids;
    std::string why;
    ASSERT_TRUE(gw::parse_lcore_list("0@0,1@1,2@1", ids, why)) << why;
    EXPECT_EQ(ids, (std::vector<std::uint32_t>{0, 1, 2}));
    ids.clear();
    ASSERT_TRUE(gw::parse_lcore_list("(0-3)@(0-1)", ids, why)) << why;
    EXPECT_EQ(ids, (std::vector<std::uint32_t>{0, 1, 2, 3}));
    ids.clear();
    ASSERT_TRUE(gw::parse_lcore_list("0-1,4", ids, why));
    EXPECT_EQ(ids, (std::vector<std::uint32_t>{0, 1, 4}));
    ids.clear();
    EXPECT_FALSE(gw::parse_lcore_list("zero", ids, why));
    EXPECT_FALSE(gw::parse_lcore_list("(0-3@0", ids, why));
}

TEST(GatewayConfig, Ipv4Addresses) {
    std::uint32_t a = 0;
    ASSERT_TRUE(gw::parse_ipv4("233.54.12.111", a));
    EXPECT_EQ(a, 0xE9360C6Fu);
    EXPECT_EQ(gw::format_ipv4(a), "233.54.12.111");
    EXPECT_FALSE(gw::parse_ipv4("256.1.1.1", a));
    EXPECT_FALSE(gw::parse_ipv4("1.2.3", a));
    EXPECT_FALSE(gw::parse_ipv4("1.2.3.4.5", a));
}

namespace {

// Two lines and recovery (docs/protocol.md, line arbitration and gap recovery). The line numbers
// asserted below count from this text's leading newline (line 1).
const std::string two_lines = R"(
ports:
  - name: a
    device: net_null0
  - name: b
    device: net_null1
  - name: rr
    device: net_null2
feeds:
  - name: f0
    lcore: 1
    lines:
      - {port: a, rx_queue: 0}
      - {port: b}
    line_wait_ms: 30
    recovery: {port: rr, server_ip: 10.0.0.1, server_port: 26500, source_ip: 10.0.0.2, source_port: 26501, hold_capacity: 1024}
)";

void expect_error_at(const gw::config_error& e, const std::string& key, int line, int column,
                     const std::string& words) {
    EXPECT_EQ(e.key, key) << e.to_string();
    EXPECT_EQ(e.line, line) << e.to_string();
    EXPECT_EQ(e.column, column) << e.to_string();
    EXPECT_NE(e.message.find(words), std::string::npos) << e.to_string();
}

}  // namespace

TEST(GatewayConfig, LinesAndRecoveryParse) {
    const auto r = gw::parse_config(two_lines, "l.yaml", vars);
    ASSERT_TRUE(r.ok) << r.error.to_string();
    const gw::feed_settings& f = r.config.feeds[0];
    ASSERT_EQ(f.lines.size(), 2u);
    EXPECT_EQ(f.lines[0].port, "a");
    EXPECT_EQ(f.lines[1].port, "b");
    EXPECT_EQ(f.line_wait_ms, 30u);
    EXPECT_TRUE(f.arbitrated());
    EXPECT_TRUE(f.recovery.enabled);
    EXPECT_EQ(f.recovery.server_ip, 0x0A000001u);
    EXPECT_EQ(f.recovery.source_port, 26501);
    EXPECT_EQ(f.recovery.hold_capacity, 1024u);
    EXPECT_EQ(f.recovery.timeout_ms, 1000u);  // defaults for what is not given
    EXPECT_EQ(f.recovery.max_messages_per_request, 40);
}

TEST(GatewayConfig, LineMistakesAreNamed) {
    // Single-line keys beside `lines`: which one would win is ambiguous.
    expect_error_at(error_of(edited(two_lines, "    lines:\n", "    port: a\n    lines:\n")),
                    "feeds[0].port", 12, 11, "inside each entry of lines");
    // Three lines.
    expect_error_at(error_of(edited(two_lines, "      - {port: b}\n",
                                    "      - {port: b}\n      - {port: rr}\n")),
                    "feeds[0].lines", 13, 7, "one or two lines");
    // B on the queue A already reads.
    expect_error_at(error_of(edited(two_lines, "{port: b}", "{port: a}")),
                    "feeds[0].lines[1].rx_queue", 14, 9, "already used");
    // A typo inside a line.
    expect_error_at(error_of(edited(two_lines, "rx_queue: 0}", "rxqueue: 0}")),
                    "feeds[0].lines[0].rxqueue", 13, 19, "unknown key");
    // line_wait_ms out of range.
    expect_error_at(error_of(edited(two_lines, "line_wait_ms: 30", "line_wait_ms: 0")),
                    "feeds[0].line_wait_ms", 15, 19, "out of range");
}

TEST(GatewayConfig, RecoveryMistakesAreNamed) {
    // Every required key, missing in turn: named with the recovery section's position.
    for (const std::string key : {"port: rr, ", "server_ip: 10.0.0.1, ", "server_port: 26500, ",
                                  "source_ip: 10.0.0.2, ", "source_port: 26501, "}) {
        const std::string name = key.substr(0, key.find(':'));
        expect_error_at(error_of(edited(two_lines, key, "")), "feeds[0].recovery." + name, 16, 15,
                        "missing");
    }
    // The recovery answers on a queue line A already reads.
    expect_error_at(error_of(edited(two_lines, "{port: rr,", "{port: a,")),
                    "feeds[0].recovery.rx_queue", 16, 15, "already used");
    // A TX queue the port does not have.
    expect_error_at(error_of(edited(two_lines, "hold_capacity: 1024", "tx_queue: 1")),
                    "feeds[0].recovery.tx_queue", 16, 118, "has 1 TX queue");
    // hold_capacity must be a power of two (the hold window is indexed by a mask).
    expect_error_at(error_of(edited(two_lines, "hold_capacity: 1024", "hold_capacity: 1000")),
                    "feeds[0].recovery.hold_capacity", 16, 123, "power of two");
    // A server address that is not one.
    expect_error_at(error_of(edited(two_lines, "server_ip: 10.0.0.1", "server_ip: 10.0.0")),
                    "feeds[0].recovery.server_ip", 16, 37, "IPv4");
}

TEST(GatewayConfig, IntegersAreDecimalWhateverTheirLeadingZeros) {
    std::string yaml = std::string(minimal) + "    udp_port: 026477\n    rx_queue: 08\n";
    yaml.insert(yaml.find("feeds:"), "    rx_queues: 09\n");
    auto r = gw::parse_config(yaml, "z.yaml", vars);
    ASSERT_TRUE(r.ok) << r.error.to_string();
    EXPECT_EQ(r.config.feeds[0].lines[0].udp_port, 26477);  // not octal 11583
    EXPECT_EQ(r.config.feeds[0].lines[0].rx_queue, 8);      // not an error
    r = gw::parse_config(std::string(minimal) + "books:\n  max_orders: 0100\n", "z.yaml", vars);
    ASSERT_TRUE(r.ok) << r.error.to_string();
    EXPECT_EQ(r.config.books.max_orders, 100u);
    for (const char* text : {"0x10", "+5", "1e3", "1_000", " 5", "5.0"}) {
        const auto e = error_of(std::string(minimal) + "books:\n  max_orders: \"" + text + "\"\n");
        EXPECT_EQ(e.key, "books.max_orders") << text;
        EXPECT_NE(e.message.find("expected a decimal integer"), std::string::npos)
            << text << ": " << e.message;
    }
    const auto e =
        error_of(std::string(minimal) + "books:\n  max_orders: 99999999999999999999999\n");
    EXPECT_NE(e.message.find("out of range"), std::string::npos) << e.message;
}

TEST(GatewayConfig, MaxSymbolsStopsAtWhatTheBooksHold) {
    auto r =
        gw::parse_config(std::string(minimal) + "books:\n  max_symbols: 65534\n", "s.yaml", vars);
    EXPECT_TRUE(r.ok) << r.error.to_string();
    const auto e = error_of(std::string(minimal) + "books:\n  max_symbols: 65535\n");
    EXPECT_EQ(e.key, "books.max_symbols");
    EXPECT_NE(e.message.find("out of range [1, 65534]"), std::string::npos) << e.message;
}

TEST(GatewayConfig, EalLogLevelMustBeOneEalKnows) {
    for (const char* good : {"warning", "debug", "8", "pmd.net.pcap:debug", "lib.eal:3"}) {
        const auto r = gw::parse_config(
            std::string(minimal) + "eal:\n  log_level: \"" + good + "\"\n", "l.yaml", vars);
        EXPECT_TRUE(r.ok) << good << ": " << r.error.to_string();
    }
    for (const char* bad : {"bogus", "warn", "9", "0", ":debug", "pmd:loud"}) {
        const auto e = error_of(std::string(minimal) + "eal:\n  log_level: \"" + bad + "\"\n");
        EXPECT_EQ(e.key, "eal.log_level") << bad;
        EXPECT_EQ(e.line, 10) << bad;
    }
}

// -n and -r change how DPDK pads each mbuf, which the memory plan follows: their values must be
// whole numbers EAL accepts, and the plan reads them.
TEST(GatewayConfig, EalMemoryChannelsAndRanksAreWholeNumbers) {
    auto args = [](const std::string& list) {
        return std::string(minimal) + "eal:\n  extra_args: [" + list + "]\n";
    };
    for (const char* bad : {"\"-n\", \"x\"", "\"-n0\"", "\"-n\", \"65\"", "\"-r\", \"17\"",
                            "\"-n\", \"4abc\"", "\"-r\", \"-1\""}) {
        const auto e = error_of(args(bad));
        EXPECT_EQ(e.key.rfind("eal.extra_args[", 0), 0u) << bad << ": " << e.key;
        EXPECT_NE(e.message.find("needs a whole number of memory"), std::string::npos)
            << bad << ": " << e.message;
    }
    EXPECT_EQ(gw::eal_memory_spread({}), 4u);
    EXPECT_EQ(gw::eal_memory_spread({"-n", "3"}), 3u);
    EXPECT_EQ(gw::eal_memory_spread({"-n2", "-r", "2"}), 4u);
    EXPECT_EQ(gw::eal_memory_spread({"-n", "8", "-n", "1"}), 1u);  // the last one counts, as in EAL
    EXPECT_EQ(gw::eal_memory_spread({"--no-hpet", "-r4"}), 16u);
}

TEST(GatewayConfig, EalExtraArgsMustBeEalOptionsWithTheirValues) {
    auto args = [](const std::string& list) {
        return std::string(minimal) + "eal:\n  extra_args: [" + list + "]\n";
    };
    for (const char* good : {"\"--no-hpet\"", "\"-n\", \"4\"", "\"-n4\"", "\"--iova-mode=va\"",
                             "\"--iova-mode\", \"pa\"", "\"--syslog\"", "\"--syslog=daemon\""}) {
        const auto r = gw::parse_config(args(good), "x.yaml", vars);
        EXPECT_TRUE(r.ok) << good << ": " << r.error.to_string();
    }
    auto e = error_of(args("\"--no-hpet\", \"--bogus\""));
    EXPECT_EQ(e.key, "eal.extra_args[1]");
    EXPECT_NE(e.message.find("\"--bogus\" is not a DPDK 22.11 EAL option"), std::string::npos)
        << e.message;
    e = error_of(args("\"stray\""));
    EXPECT_EQ(e.key, "eal.extra_args[0]");
    e = error_of(args("\"--iova-mode\""));
    EXPECT_NE(e.message.find("needs a value"), std::string::npos) << e.message;
    e = error_of(args("\"--no-hpet=1\""));
    EXPECT_NE(e.message.find("takes no value"), std::string::npos) << e.message;
    e = error_of(args("\"-l\", \"0-1\""));
    EXPECT_NE(e.message.find("is set by eal.lcores"), std::string::npos) << e.message;
    e = error_of(args("\"--vdev=net_null9\""));
    EXPECT_NE(e.message.find("is set by ports[].device"), std::string::npos) << e.message;
}

TEST(GatewayConfig, EmptyDeviceIsNamed) {
    const std::string yaml = edited(minimal, "net_null0", "\"\"");
    const auto e = error_of(yaml);
    EXPECT_EQ(e.key, "ports[0].device");
    EXPECT_NE(e.message.find("must not be empty"), std::string::npos) << e.message;
}

TEST(GatewayConfig, AVariableThatWouldSplitTheDeviceArgumentsIsNamed) {
    const std::string yaml = R"(
ports:
  - name: p0
    device: "net_pcap0,rx_pcap=${config_dir}/feed.pcap"
feeds:
  - name: f0
    port: p0
    lcore: 1
)";
    const auto r = gw::parse_config(yaml, "test.yaml", {{"config_dir", "/srv/a,b=c"}});
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.error.key, "ports[0].device");
    EXPECT_EQ(r.error.message,
              "${config_dir} is \"/srv/a,b=c\", which holds ',', which DPDK device arguments "
              "cannot carry; move the file or use a link to it");
    EXPECT_TRUE(gw::parse_config(yaml, "test.yaml", {{"config_dir", "/srv/a b"}}).ok);
}

TEST(GatewayConfig, NicPortsMustBePciAddressesThatEalProbes) {
    const std::string nic = edited(minimal, "net_null0", "\"3b:00.0\"");
    auto r = gw::parse_config("eal:\n  pci: [\"0000:3B:00.0\"]\n" + nic, "n.yaml", vars);
    EXPECT_TRUE(r.ok) << r.error.to_string();  // short and full forms, any case, name one device
    auto e = error_of(nic);
    EXPECT_EQ(e.key, "ports[0].device");
    EXPECT_NE(e.message.find("PCI device 0000:3b:00.0 is not in eal.pci"), std::string::npos)
        << e.message;
    e = error_of(edited(minimal, "net_null0", "eth0"));
    EXPECT_NE(e.message.find("neither a virtual device (net_...) nor a PCI address"),
              std::string::npos)
        << e.message;
    e = error_of("eal:\n  pci: [\"0000:3b:00\"]\n" + std::string(minimal));
    EXPECT_EQ(e.key, "eal.pci[0]");
}

TEST(GatewayConfig, FeedIntegrityKeysParse) {
    const std::string yaml = R"(
ports:
  - {name: p0, device: net_null0}
  - {name: p1, device: net_null1}
  - {name: p2, device: net_null2}
feeds:
  - name: ab
    lcore: 1
    max_sequence_jump: 1000
    verify_window: 0
    unsequenced: accept
    lines:
      - {port: p0, rx_queue: 0, source: "10.1.2.3:26400"}
      - {port: p1, rx_queue: 0, source: 10.1.2.4}
  - name: one
    port: p2
    lcore: 1
)";
    const auto r = gw::parse_config(yaml, "i.yaml", vars);
    ASSERT_TRUE(r.ok) << r.error.to_string();
    const gw::feed_settings& ab = r.config.feeds[0];
    EXPECT_EQ(ab.max_sequence_jump, 1000u);
    EXPECT_EQ(ab.verify_window, 0u);
    EXPECT_TRUE(ab.accepts_unsequenced());
    EXPECT_EQ(ab.lines[0].source_ip, 0x0a010203u);
    EXPECT_EQ(ab.lines[0].source_port, 26400);
    EXPECT_EQ(ab.lines[1].source_ip, 0x0a010204u);
    EXPECT_FALSE(ab.lines[1].source_port.has_value());
    const gw::feed_settings& one = r.config.feeds[1];
    EXPECT_EQ(one.max_sequence_jump, 65536u);
    EXPECT_EQ(one.verify_window, 4096u);
    EXPECT_TRUE(one.accepts_unsequenced());  // single line, no recovery: anonymised captures replay
    EXPECT_FALSE(one.lines[0].source_ip.has_value());
}

TEST(GatewayConfig, AnABFeedDropsUnsequencedDatagramsByDefault) {
    const auto r = gw::parse_config(R"(
ports:
  - {name: p0, device: net_null0}
  - {name: p1, device: net_null1}
feeds:
  - name: ab
    lcore: 1
    lines: [{port: p0, rx_queue: 0}, {port: p1, rx_queue: 0}]
)",
                                    "d.yaml", vars);
    ASSERT_TRUE(r.ok) << r.error.to_string();
    EXPECT_FALSE(r.config.feeds[0].accepts_unsequenced());
}

TEST(GatewayConfig, FeedIntegrityMistakesAreNamed) {
    auto feed_with = [](const std::string& keys) {
        return "ports:\n  - name: p0\n    device: net_null0\nfeeds:\n  - name: f0\n    port: p0\n  "
               "  lcore: 1\n" +
               keys;
    };
    auto e = error_of(feed_with("    source: 10.1.2\n"));
    EXPECT_EQ(e.key, "feeds[0].source");
    EXPECT_NE(e.message.find("expected A.B.C.D, A.B.C.D:PORT or \"any\""), std::string::npos)
        << e.message;
    e = error_of(feed_with("    source: 10.1.2.3:0x10\n"));
    EXPECT_NE(e.message.find("decimal number 1..65535"), std::string::npos) << e.message;
    e = error_of(feed_with("    source: 10.1.2.3:70000\n"));
    EXPECT_NE(e.message.find("decimal number 1..65535"), std::string::npos) << e.message;
    e = error_of(feed_with("    unsequenced: maybe\n"));
    EXPECT_EQ(e.key, "feeds[0].unsequenced");
    e = error_of(feed_with("    max_sequence_jump: 0\n"));
    EXPECT_EQ(e.key, "feeds[0].max_sequence_jump");
    e = error_of(feed_with("    verify_window: 3000\n"));
    EXPECT_EQ(e.key, "feeds[0].verify_window");
    EXPECT_NE(e.message.find("power of two or 0"), std::string::npos) << e.message;
    e = error_of(feed_with("    verify_window: 33554432\n"));
    EXPECT_EQ(e.key, "feeds[0].verify_window");
}

TEST(GatewayConfig, CheckConfigDescribesEveryLineOfAFeed) {
    const auto r = gw::parse_config(two_lines, "l.yaml", vars);
    ASSERT_TRUE(r.ok) << r.error.to_string();
    EXPECT_EQ(
        gw::describe_feed(r.config.feeds[0], 2),
        "  feed f0 on lcore 1\n"
        "    line A: port a queue 0, group any, udp port any, source any\n"
        "    line B: port b queue 0, group any, udp port any, source any\n"
        "    recovery: port rr TX queue 0 RX queue 0, server 10.0.0.1:26500 from 10.0.0.2:26501\n");
}

// The schema is the loader's: every key it lists is accepted where it lives, and each integer
// key refuses the values just outside its range with the range named.
TEST(GatewayConfig, SchemaRangesAreTheLoadersRanges) {
    const std::map<std::string_view, std::string> prefix = {
        {"eal", "eal:\n  "},       {"books", "books:\n  "},
        {"timers", "timers:\n  "}, {"latency", "latency:\n  "},
        {"worker", "worker:\n  "}, {"publisher", "publisher:\n  port: p0\n  "},
    };
    int checked = 0;
    for (const gw::key_spec& spec : gw::config_schema) {
        const auto at = prefix.find(spec.section);
        if (at == prefix.end() || spec.type != gw::value_type::integer) continue;
        // Built by appending: `"text" + std::string` chains trip a g++ 12 -Wrestrict false
        // positive.
        std::string key(spec.section);
        key.append(".").append(spec.key);
        std::string range("[");
        range.append(std::to_string(spec.min))
            .append(", ")
            .append(std::to_string(spec.max))
            .append("]");
        auto with = [&](std::uint64_t v) {
            std::string yaml(minimal);
            yaml.append(at->second)
                .append(spec.key)
                .append(": ")
                .append(std::to_string(v))
                .append("\n");
            return yaml;
        };
        if (spec.min > 0) {
            const gw::config_error e = error_of(with(spec.min - 1));
            EXPECT_EQ(e.key, key) << e.to_string();
            EXPECT_NE(e.message.find(range), std::string::npos) << e.to_string();
        }
        const gw::config_error e = error_of(with(spec.max + 1));
        EXPECT_EQ(e.key, key) << e.to_string();
        EXPECT_NE(e.message.find(range), std::string::npos) << e.to_string();
        ++checked;
    }
    EXPECT_GT(checked, 20);
}

TEST(GatewayConfig, SettingsDefaultsComeFromTheSchema) {
    EXPECT_EQ(gw::eal_settings{}.memory_mb, gw::schema_integer("eal", "memory_mb"));
    EXPECT_EQ(gw::eal_settings{}.lcores, gw::schema_text("eal", "lcores"));
    EXPECT_EQ(gw::publisher_settings{}.destination_group, 0xEF010101u);  // the schema's 239.1.1.1
    EXPECT_EQ(gw::latency_settings{}.highest_ns, 10'000'000'000ull);
    // The enumerations keep their own defaults: the words the schema documents parse to them.
    auto parsed =
        gw::parse_config(std::string(minimal) + "eal:\n  hugepages: auto\n", "d.yaml", vars);
    ASSERT_TRUE(parsed.ok) << parsed.error.to_string();
    EXPECT_EQ(gw::find_key_spec("eal", "hugepages")->default_value, "auto");
    EXPECT_EQ(parsed.config.eal.hugepages, gw::eal_settings{}.hugepages);
}

TEST(GatewayConfig, ReferenceTableHasARowPerKey) {
    const std::string table = gw::config_reference_table();
    std::size_t rows = 0;
    for (std::size_t at = table.find('\n'); at != std::string::npos; at = table.find('\n', at + 1))
        ++rows;
    EXPECT_EQ(rows, std::size(gw::config_schema) + 2);  // + the header and its rule
    EXPECT_NE(
        table.find("| `feeds[].recovery.hold_capacity` | integer | 16 .. 16777216 | `65536` |"),
        std::string::npos);
    EXPECT_NE(table.find("| `ports[].name` | text |  | required |"), std::string::npos);
}

TEST(GatewayConfig, ReferenceSplicesBetweenItsLinesOnly) {
    const std::string begin = std::string(gw::config_reference_begin) + "\n";
    const std::string end = std::string(gw::config_reference_end) + "\n";
    std::string out, why;
    ASSERT_TRUE(gw::splice_config_reference("intro\n" + begin + "old table\n" + end + "outro\n",
                                            "NEW\n", out, why))
        << why;
    EXPECT_EQ(out, "intro\n" + begin + "NEW\n" + end + "outro\n");
    EXPECT_FALSE(gw::splice_config_reference("intro\n" + end + begin, "NEW\n", out, why));
    EXPECT_FALSE(gw::splice_config_reference("no markers\n", "NEW\n", out, why));
    EXPECT_NE(why.find("no line"), std::string::npos) << why;
    EXPECT_FALSE(gw::splice_config_reference(begin + end + begin + end, "NEW\n", out, why));
}
