// Snapshots against itch_gen --expect (computed independently of this library), parsed and
// compared structurally, over clean and faulty captures, through the real receive path.
#include <gtest/gtest.h>

#include "book_test_support.hpp"
#include "hypertick/book/book_feed_handler.hpp"
#include "hypertick/book/snapshot_json.hpp"
#include "hypertick/feed/feed_receiver.hpp"
#include "hypertick/feed/pcap_file.hpp"
#include "json_reader.hpp"

namespace {

using namespace book_test;
using namespace hypertick;

std::string snapshot_of_pcap(const std::vector<uint8_t>& pcap, book_manager& books,
                             uint32_t depth) {
    feed::pcap_reader reader;
    EXPECT_TRUE(reader.open_bytes(pcap)) << reader.error();
    bbo_buffer<1024> buffer;
    pipelined_book_handler<bbo_buffer<1024>> handler(books, buffer);
    feed::feed_receiver<pipelined_book_handler<bbo_buffer<1024>>> receiver(handler, {});
    feed::pcap_record record;
    while (reader.next(record)) {
        receiver.on_frame(record.data, record.captured_length);
        handler.flush();
        buffer.clear();
    }
    EXPECT_EQ(buffer.overflowed(), 0u);
    std::string json;
    write_snapshot_json(books,
                        summarize_stream(receiver.stream(), receiver.counters(), books.counters()),
                        depth, json);
    return json;
}

// Every key of `want` must be in `got` with the same value (extra keys in `got` are allowed).
void expect_feed_matches(const json_value& got, const json_value& want) {
    for (const auto& [key, value] : want.members) {
        ASSERT_TRUE(got.has(key)) << key;
        EXPECT_EQ(got.at(key), value) << key;
    }
}

void expect_books_match(const json_value& got, const json_value& want) {
    ASSERT_EQ(got.members.size(), want.members.size());
    for (const auto& [symbol, book] : want.members) {
        ASSERT_TRUE(got.has(symbol)) << symbol;
        const json_value& g = got.at(symbol);
        EXPECT_EQ(g.at("locate"), book.at("locate")) << symbol;
        EXPECT_EQ(g.at("bids"), book.at("bids")) << symbol;
        EXPECT_EQ(g.at("asks"), book.at("asks")) << symbol;
    }
}

struct snapshot_case {
    uint64_t seed;
    uint32_t drop_ppm, duplicate_ppm, reorder_ppm, truncate_ppm;
};

class SnapshotMatchesExpect : public ::testing::TestWithParam<snapshot_case> {};

TEST_P(SnapshotMatchesExpect, BooksAndFeedCounters) {
    const snapshot_case c = GetParam();
    itch_gen::generator_options o;
    o.seed = c.seed;
    o.symbols = 40;
    o.messages = 120'000;
    o.faults.drop_ppm = c.drop_ppm;
    o.faults.duplicate_ppm = c.duplicate_ppm;
    o.faults.reorder_ppm = c.reorder_ppm;
    o.faults.truncate_ppm = c.truncate_ppm;
    const itch_gen::generated_capture capture = generate_capture(o);
    book_manager books;
    ASSERT_TRUE(books.init(small_capacities(64, 1 << 16, 256)));
    const json_value got = parse_json(snapshot_of_pcap(capture.pcap_a, books, all_levels));
    const json_value want = parse_json(itch_gen::expect_json(capture.expected));
    expect_books_match(got.at("books"), want.at("books"));
    expect_feed_matches(got.at("feed"), want.at("feed"));
    EXPECT_EQ(got.at("degraded").items.size(), 0u);
    if (c.drop_ppm != 0) {
        EXPECT_GT(want.at("feed").at("gaps").number, 0u);
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, SnapshotMatchesExpect,
                         ::testing::Values(snapshot_case{1, 0, 0, 0, 0},
                                           snapshot_case{2, 0, 0, 0, 0},
                                           snapshot_case{3, 30'000, 0, 0, 0},
                                           snapshot_case{4, 10'000, 20'000, 20'000, 0},
                                           snapshot_case{5, 20'000, 0, 0, 20'000}),
                         [](const ::testing::TestParamInfo<snapshot_case>& param_info) {
                             return "seed" + std::to_string(param_info.param.seed);
                         });

TEST(Snapshot, DepthLimitsLevelsEveryDirectorySymbolPresentDegradedReported) {
    const itch_gen::generated_capture capture = generate_capture(9, 12, 40'000);
    book_manager books;
    ASSERT_TRUE(books.init(small_capacities(10, 1 << 16, 256)));  // two symbols get no book
    const json_value got = parse_json(snapshot_of_pcap(capture.pcap_a, books, 2));
    const json_value want = parse_json(itch_gen::expect_json(capture.expected));
    ASSERT_EQ(got.at("books").members.size(), 12u);
    uint32_t degraded = 0;
    for (const auto& [symbol, book] : got.at("books").members) {
        EXPECT_LE(book.at("bids").items.size(), 2u);
        EXPECT_LE(book.at("asks").items.size(), 2u);
        if (book.has("degraded")) {
            ++degraded;
            EXPECT_EQ(book.at("bids").items.size(), 0u);
            EXPECT_EQ(book.at("degraded").items[0].text, "no_book");
            continue;
        }
        const json_value& full = want.at("books").at(symbol);
        for (const char* side : {"bids", "asks"}) {
            const auto& levels = book.at(side).items;
            for (size_t i = 0; i < levels.size(); ++i) EXPECT_EQ(levels[i], full.at(side).items[i]);
        }
    }
    EXPECT_EQ(degraded, 2u);
    EXPECT_EQ(got.at("degraded").items.size(), 2u);
    EXPECT_GT(got.at("book_counters").at("book_pool_full").number, 0u);
}

}  // namespace
