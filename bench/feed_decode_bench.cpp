// Decode benchmark: the whole receive path (Ethernet/IPv4/UDP -> MoldUDP64 -> sequencer ->
// ITCH typed views -> handler) over an in-memory capture of >= 1,000,000 generated messages.
// Reports ns per ITCH message. Command and figures: docs/performance.md, "Feed decode".
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "generator.hpp"
#include "hypertick/feed/feed_receiver.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace {

using namespace hypertick::feed;

// Reads the fields a book needs from every order message, so no decode work can be elided.
struct checksum_handler : feed_handler_base {
    uint64_t sum = 0;
    void on_add_order(add_order m, uint64_t) {
        sum += m.order_ref() + m.shares() + m.price() + m.side();
    }
    void on_add_order_mpid(add_order_mpid m, uint64_t) {
        sum += m.order_ref() + m.shares() + m.price();
    }
    void on_order_executed(order_executed m, uint64_t) {
        sum += m.order_ref() + m.executed_shares();
    }
    void on_order_executed_with_price(order_executed_with_price m, uint64_t) {
        sum += m.order_ref() + m.executed_shares();
    }
    void on_order_cancel(order_cancel m, uint64_t) { sum += m.order_ref() + m.cancelled_shares(); }
    void on_order_delete(order_delete m, uint64_t) { sum += m.order_ref(); }
    void on_order_replace(order_replace m, uint64_t) {
        sum += m.original_order_ref() + m.new_order_ref() + m.shares() + m.price();
    }
};

// The book's fast path: the seven order types arrive as normalised OrderEvents (order_event.hpp).
struct order_event_handler : feed_handler_base {
    uint64_t sum = 0;
    void on_order_event(const order_event& e, uint64_t) {
        sum += e.order_ref + e.new_order_ref + e.shares + e.price + static_cast<uint8_t>(e.side);
    }
};

struct bench_frame {
    const uint8_t* data;
    uint32_t length;
};

struct bench_fixture {
    itch_gen::generated_capture capture;
    pcap_reader reader;
    std::vector<bench_frame> frames;
    uint64_t messages = 0;

    bench_fixture() {
        itch_gen::generator_options options;
        options.seed = 42;
        options.symbols = 500;
        options.messages = 1'000'000;
        options.out = "(memory)";
        std::string error;
        if (!itch_gen::generate(options, capture, error) || !reader.open_bytes(capture.pcap_a)) {
            std::fprintf(stderr, "feed_decode_bench: cannot build the capture: %s\n",
                         error.c_str());
            std::exit(1);
        }
        pcap_record record;
        while (reader.next(record)) frames.push_back({record.data, record.captured_length});
        messages = capture.messages.size();
    }
};

const bench_fixture& fixture() {
    static const bench_fixture instance;
    return instance;
}

template <class Handler>
void decode_capture(benchmark::State& state) {
    const bench_fixture& f = fixture();
    uint64_t decoded = 0;
    for (auto _ : state) {
        Handler handler;
        feed_receiver<Handler> receiver(handler, udp_filter{});
        for (const bench_frame& frame : f.frames) receiver.on_frame(frame.data, frame.length);
        benchmark::DoNotOptimize(handler.sum);
        decoded = receiver.counters()[feed_event::message_decoded];
    }
    if (decoded != f.messages) state.SkipWithError("not every message was decoded");
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.messages));
    state.counters["messages"] = static_cast<double>(f.messages);
    // Seconds per message, printed with an SI prefix: "5.0n" reads 5.0 ns/message.
    state.counters["per_message"] = benchmark::Counter(
        static_cast<double>(f.messages),
        benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Every message through its typed view and a switch on the type (all 23 types).
void BM_FeedDecodeTypedViews(benchmark::State& state) {
    decode_capture<checksum_handler>(state);
}
// A F E C X D U through the branch-free order_event decoder, the rest through typed views.
void BM_FeedDecodeOrderEvents(benchmark::State& state) {
    decode_capture<order_event_handler>(state);
}

// An A/B feed: line B carries every datagram of line A one datagram later, so each message is
// delivered from A and its copy arrives on B. Argument: verify_window (0: copies not compared;
// otherwise each delivered message is hashed and each copy compared, copy_check.hpp).
void BM_FeedStreamTwoLines(benchmark::State& state) {
    const bench_fixture& f = fixture();
    stream_settings s;
    s.data_lines = 2;
    s.hold_capacity = 65536;
    s.accept_unsequenced = false;
    s.verify_window = static_cast<uint32_t>(state.range(0));
    if (draw_copy_key(s.copy_hash_key) != 0) state.SkipWithError("getrandom failed");
    std::vector<uint8_t> memory(stream_memory_bytes(s));
    uint64_t decoded = 0;
    uint64_t verified = 0;
    for (auto _ : state) {
        order_event_handler handler;
        feed_receiver<order_event_handler> receiver(handler, s, memory.data());
        for (std::size_t i = 0; i <= f.frames.size(); ++i) {
            if (i < f.frames.size())
                receiver.on_frame(line_a, f.frames[i].data, f.frames[i].length, 0);
            if (i > 0) receiver.on_frame(line_b, f.frames[i - 1].data, f.frames[i - 1].length, 0);
        }
        benchmark::DoNotOptimize(handler.sum);
        decoded = receiver.counters()[feed_event::message_decoded];
        verified = receiver.stream().counters().verified_messages;
    }
    if (decoded != f.messages) state.SkipWithError("not every message was decoded");
    if (s.verify_window != 0 && verified != f.messages)
        state.SkipWithError("not every copy was verified");
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.messages));
    state.counters["per_message"] = benchmark::Counter(
        static_cast<double>(f.messages),
        benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_FeedDecodeTypedViews)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_FeedDecodeOrderEvents)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_FeedStreamTwoLines)->Arg(0)->Arg(4096)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
