// itch_gen: determinism, realism (every type, exact counts, uncrossed books), the historical
// format round trip, and the receiver model against the real receive path under faults.
#include <gtest/gtest.h>

#include <cstring>

#include <unistd.h>

#include <filesystem>
#include <set>

#include "generator.hpp"
#include "hypertick/feed/pcap_file.hpp"
#include "test_support.hpp"

namespace {

using namespace feed_test;

itch_gen::generator_options small_options(uint64_t seed = 7) {
    itch_gen::generator_options o;
    o.seed = seed;
    o.symbols = 12;
    o.messages = 30'000;
    o.per_packet = 12;
    o.heartbeat_every = 25;
    o.out = "(memory)";
    return o;
}

itch_gen::generated_capture make(const itch_gen::generator_options& o) {
    itch_gen::generated_capture capture;
    std::string error;
    EXPECT_TRUE(itch_gen::generate(o, capture, error)) << error;
    return capture;
}

// A handler that rebuilds books from every delivered message with itch_gen's reference books.
struct rebuilding_handler : feed_handler_base {
    itch_gen::reference_books books;
#define HT_REBUILD(name, callback)      \
    void callback(name m, uint64_t) {   \
        books.apply(m.p, name::length); \
    }
    HT_ITCH_MESSAGE_TYPES(HT_REBUILD)
#undef HT_REBUILD
};

struct received {
    feed_counters counters;
    stream_counters sequencer;
    uint64_t next_seq = 0;
    itch_gen::reference_books books;
};

received receive_pcap(const std::vector<uint8_t>& pcap, udp_filter filter = {}) {
    pcap_reader reader;
    EXPECT_TRUE(reader.open_bytes(pcap)) << reader.error();
    rebuilding_handler handler;
    feed_receiver<rebuilding_handler> receiver(handler, filter);
    pcap_record record;
    while (reader.next(record)) {
        const exact_buffer exact(
            std::vector<uint8_t>(record.data, record.data + record.captured_length));
        receiver.on_frame(exact.data.get(), exact.size);
    }
    EXPECT_TRUE(reader.error().empty()) << reader.error();
    return {receiver.counters(), receiver.stream().counters(), receiver.stream().next_expected(),
            handler.books};
}

void expect_same_books(const itch_gen::reference_books& a, const itch_gen::reference_books& b) {
    ASSERT_EQ(a.books().size(), b.books().size());
    for (const auto& [locate, book] : a.books()) {
        const auto& other = b.books().at(locate);
        EXPECT_EQ(book.symbol, other.symbol);
        ASSERT_EQ(book.bids.size(), other.bids.size()) << book.symbol;
        ASSERT_EQ(book.asks.size(), other.asks.size()) << book.symbol;
        for (const auto& [price, level] : book.bids) {
            EXPECT_EQ(level.shares, other.bids.at(price).shares);
            EXPECT_EQ(level.orders, other.bids.at(price).orders);
        }
        for (const auto& [price, level] : book.asks) {
            EXPECT_EQ(level.shares, other.asks.at(price).shares);
            EXPECT_EQ(level.orders, other.asks.at(price).orders);
        }
    }
}

TEST(ItchGen, SameSeedSameBytesOtherSeedOtherBytes) {
    auto o = small_options();
    o.faults.drop_ppm = 20'000;
    o.faults.reorder_ppm = 20'000;
    o.out_b = "(memory)";
    o.faults.b_drop_ppm = 50'000;
    const auto one = make(o);
    const auto two = make(o);
    EXPECT_EQ(one.pcap_a, two.pcap_a);
    EXPECT_EQ(one.pcap_b, two.pcap_b);
    EXPECT_EQ(itch_gen::expect_json(one.expected), itch_gen::expect_json(two.expected));
    o.seed = 8;
    EXPECT_NE(make(o).pcap_a, one.pcap_a);
}

TEST(ItchGen, ExactCountEveryTypeAndRealisticMix) {
    const auto capture = make(small_options());
    ASSERT_EQ(capture.messages.size(), 30'000u);
    std::map<char, uint64_t> mix;
    for (uint64_t i = 0; i < capture.messages.size(); ++i) {
        const uint8_t* m = capture.messages.data(i);
        ASSERT_EQ(capture.messages.length(i), itch_message_lengths[m[0]]);
        ++mix[static_cast<char>(m[0])];
    }
    for (char type : std::string("SRHYLVWKJhAFECXDUPQBINO")) EXPECT_GT(mix[type], 0u) << type;
    EXPECT_EQ(mix['R'], 12u);
    EXPECT_EQ(mix['S'], 6u);  // O S Q ... M E C
    // Most adds end cancelled rather than executed.
    EXPECT_GT(mix['D'] + mix['X'], 2 * (mix['E'] + mix['C']));
    EXPECT_GT(mix['A'] + mix['F'], mix['U']);
}

TEST(ItchGen, BooksNeverCrossAndHaveManyOrdersPerLevel) {
    const auto capture = make(small_options());
    uint64_t levels = 0, orders = 0;
    ASSERT_EQ(capture.expected.books.books().size(), 12u);
    for (const auto& [locate, book] : capture.expected.books.books()) {
        if (!book.bids.empty() && !book.asks.empty()) {
            EXPECT_LT(book.bids.rbegin()->first, book.asks.begin()->first) << book.symbol;
        }
        for (const auto& [price, level] : book.bids) levels += 1, orders += level.orders;
        for (const auto& [price, level] : book.asks) levels += 1, orders += level.orders;
    }
    EXPECT_GT(orders, 2 * levels);
}

TEST(ItchGen, EmptyAtEndLeavesEveryBookEmpty) {
    auto o = small_options();
    o.empty_at_end = true;
    const auto capture = make(o);
    EXPECT_EQ(capture.messages.size(), o.messages);
    EXPECT_EQ(capture.expected.books.live_orders(), 0u);
    EXPECT_EQ(capture.expected.books.books().size(), 12u);
    for (const auto& [locate, book] : capture.expected.books.books()) {
        EXPECT_TRUE(book.bids.empty() && book.asks.empty()) << book.symbol;
    }
    const std::string json = itch_gen::expect_json(capture.expected);
    EXPECT_NE(json.find("\"bids\": [], \"asks\": []"), std::string::npos);
}

// The generator's receiver model and the feed library's receive path agree, fault by fault.
TEST(ItchGen, ReceiverMatchesExpectUnderFaults) {
    for (int fault = 0; fault < 6; ++fault) {
        auto o = small_options(100 + fault);
        uint32_t* ppm[] = {&o.faults.drop_ppm, &o.faults.duplicate_ppm, &o.faults.reorder_ppm,
                           &o.faults.truncate_ppm, &o.faults.corrupt_ppm};
        if (fault < 5)
            *ppm[fault] = 50'000;
        else
            for (uint32_t* p : ppm) *p = 20'000;  // all at once
        SCOPED_TRACE(fault);
        const auto capture = make(o);
        const auto& want = capture.expected.feed;
        const received got = receive_pcap(capture.pcap_a);
        EXPECT_EQ(got.sequencer.packets, want.packets);
        EXPECT_EQ(got.sequencer.messages, want.messages);
        EXPECT_EQ(got.next_seq, want.next_seq);
        EXPECT_EQ(got.sequencer.gaps, want.gaps);
        EXPECT_EQ(got.sequencer.missing_messages, want.missing_messages);
        EXPECT_EQ(got.sequencer.duplicate_messages, want.duplicate_messages);
        EXPECT_EQ(got.sequencer.heartbeats, want.heartbeats);
        EXPECT_EQ(got.sequencer.end_of_session_packets, want.end_of_session_packets);
        EXPECT_EQ(got.counters.malformed_total(), want.rejected_packets);
        if (fault == 0 || fault == 5) {
            EXPECT_GT(want.gaps, 0u);
        }
        if (fault == 3 || fault == 4) {
            EXPECT_GT(want.rejected_packets, 0u);
        }
        expect_same_books(got.books, capture.expected.books);
    }
}

TEST(ItchGen, CleanFeedHasNoGapsAndEndsWithEndOfSession) {
    const auto capture = make(small_options());
    const auto& f = capture.expected.feed;
    EXPECT_EQ(f.gaps, 0u);
    EXPECT_EQ(f.messages, 30'000u);
    EXPECT_EQ(f.next_seq, 30'001u);
    EXPECT_EQ(f.end_of_session_packets, 3u);
    EXPECT_GT(f.heartbeats, 0u);
    EXPECT_EQ(f.session, "HTGEN00001");
}

TEST(ItchGen, LineBHasItsOwnLossesAndFillsLineAGaps) {
    auto o = small_options();
    o.out_b = "(memory)";
    o.faults.drop_ppm = 50'000;
    o.faults.b_drop_ppm = 50'000;
    const auto capture = make(o);
    const frame_address defaults;
    const received b = receive_pcap(capture.pcap_b, {o.b_group, o.b_port});
    EXPECT_EQ(b.counters.malformed_total(), 0u);
    EXPECT_GT(b.sequencer.gaps, 0u);
    EXPECT_EQ(
        receive_pcap(capture.pcap_b, {defaults.group, 0}).counters[feed_event::frame_filtered],
        b.counters.frames);
    // Both lines into one sequencer, interleaved datagram by datagram: each message once.
    pcap_reader ra, rb;
    ASSERT_TRUE(ra.open_bytes(capture.pcap_a));
    ASSERT_TRUE(rb.open_bytes(capture.pcap_b));
    rebuilding_handler handler;
    feed_receiver<rebuilding_handler> merged(handler, {});
    pcap_record record;
    std::vector<pcap_record> a, bb;
    while (ra.next(record)) a.push_back(record);
    while (rb.next(record)) bb.push_back(record);
    // Deliver in time order (B first on ties): a datagram lost on one line comes from the other.
    size_t i = 0, j = 0;
    while (i < a.size() || j < bb.size()) {
        const bool take_b =
            i == a.size() || (j < bb.size() && bb[j].timestamp_ns <= a[i].timestamp_ns);
        const pcap_record& r = take_b ? bb[j++] : a[i++];
        merged.on_frame(r.data, r.captured_length);
    }
    EXPECT_LT(merged.stream().counters().missing_messages, capture.expected.feed.missing_messages);
    EXPECT_EQ(merged.stream().counters().messages + merged.stream().counters().missing_messages,
              30'000u);
}

TEST(ItchGen, HistoricalFormatRoundTrip) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("itch_gen_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto o = small_options();
    o.out = (dir / "a.pcap").string();
    o.historical_out = (dir / "messages.itch").string();
    const auto capture = make(o);
    ASSERT_EQ(itch_gen::write_outputs(o, capture), 0);
    // The file is exactly length-prefixed messages.
    itch_gen::message_stream read;
    std::string error;
    ASSERT_TRUE(itch_gen::read_historical(o.historical_out, read, error)) << error;
    ASSERT_EQ(read.size(), capture.messages.size());
    uint64_t bytes = 0;
    for (uint64_t i = 0; i < read.size(); ++i) {
        ASSERT_EQ(read.length(i), capture.messages.length(i));
        ASSERT_EQ(0, std::memcmp(read.data(i), capture.messages.data(i), read.length(i)));
        bytes += 2 + read.length(i);
    }
    EXPECT_EQ(std::filesystem::file_size(o.historical_out), bytes);
    // Wrapping it again gives the very same capture and expectations.
    auto wrap = o;
    wrap.from_historical = o.historical_out;
    wrap.historical_out.clear();
    const auto wrapped = make(wrap);
    EXPECT_EQ(wrapped.pcap_a, capture.pcap_a);
    EXPECT_EQ(itch_gen::expect_json(wrapped.expected), itch_gen::expect_json(capture.expected));
    // A truncated historical file is an error, not a crash.
    std::filesystem::resize_file(o.historical_out, bytes - 3);
    EXPECT_FALSE(itch_gen::read_historical(o.historical_out, read, error));
    EXPECT_NE(error.find(" is cut: "), std::string::npos) << error;
    std::filesystem::remove_all(dir);
}

TEST(ItchGen, ExpectJsonSchema) {
    auto o = small_options();
    o.symbols = 2;
    o.messages = 60;
    const std::string json = itch_gen::expect_json(make(o).expected);
    EXPECT_EQ(json.rfind("{\"books\": {\n  \"", 0), 0u) << json;
    for (const char* key :
         {"\"locate\": 1,", "\"locate\": 2,", "\"bids\": [", "\"asks\": [",
          "\"feed\": {\"session\": \"HTGEN00001\", \"packets\": ", "\"messages\": 60,",
          "\"next_seq\": 61,", "\"gaps\": 0,", "\"missing_messages\": 0"}) {
        EXPECT_NE(json.find(key), std::string::npos) << key << "\n" << json;
    }
}

TEST(ItchGenOptions, ErrorsNameTheArgument) {
    auto parse = [](std::vector<const char*> args, std::string& error) {
        args.insert(args.begin(), "itch_gen");
        itch_gen::generator_options o;
        return itch_gen::parse_options(static_cast<int>(args.size()), args.data(), o, error);
    };
    std::string error;
    EXPECT_EQ(parse({"--out", "x.pcap"}, error), itch_gen::parse_result::ok);
    EXPECT_EQ(parse({"--help"}, error), itch_gen::parse_result::help);
    const std::vector<std::pair<std::vector<const char*>, std::string>> bad = {
        {{"--out", "x", "--symbols", "0"}, "--symbols"},
        {{"--out", "x", "--symbols", "12x"}, "--symbols"},
        {{"--out", "x", "--drop", "1.5"}, "--drop"},
        {{"--out", "x", "--drop", "0.6", "--corrupt", "0.6"}, "--drop"},
        {{"--out", "x", "--group", "300.1.1.1"}, "--group"},
        {{"--out", "x", "--session", "ELEVENCHARS"}, "--session"},
        {{"--out", "x", "--bogus", "1"}, "--bogus"},
        {{"--out", "x", "--seed"}, "--seed"},
        {{"--symbols", "5"}, "--out"},
        {{"--out", "x", "--symbols", "100", "--messages", "100"}, "--messages"},
    };
    for (const auto& [args, name] : bad) {
        error.clear();
        EXPECT_EQ(parse(args, error), itch_gen::parse_result::error) << name;
        EXPECT_NE(error.find(name), std::string::npos) << error;
    }
    EXPECT_EQ(parse({"--version"}, error), itch_gen::parse_result::version);
    EXPECT_EQ(parse({"--out=x.pcap", "--symbols=3", "--messages", "100"}, error),
              itch_gen::parse_result::ok)
        << error;
    EXPECT_EQ(parse({"--out", "x", "--symbols", "many"}, error), itch_gen::parse_result::error);
    EXPECT_EQ(error, "--symbols: expected an integer in [1, 65534], got 'many'");
    EXPECT_EQ(parse({"--out", "x", "stray"}, error), itch_gen::parse_result::error);
    EXPECT_EQ(error, "unexpected argument 'stray' (every input is an option)");
}

}  // namespace
