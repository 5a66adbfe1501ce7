// Latency recording cost: one histogram record() on a worker's hot path, the TSC variant, the
// interval recorder with its service() check, and (control plane, for scale) encoding one
// interval. Command and figures: docs/performance.md, "Latency recording".
#include <benchmark/benchmark.h>

#include <vector>

#include "hypertick/stats/histogram.hpp"
#include "hypertick/stats/histogram_codec.hpp"
#include "hypertick/stats/interval_recorder.hpp"

namespace {

using namespace hypertick::stats;

// 4096 latencies shaped like a gateway's: mostly 200 ns - 3 us, a tail to 1 ms. Small enough to
// stay in L1 next to the touched counts, as on a worker.
std::vector<std::uint64_t> sample_latencies_ns() {
    std::vector<std::uint64_t> values(4096);
    std::uint64_t x = 0x2545f4914f6cdd1dull;
    for (auto& v : values) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        v = x % 100 < 99 ? 200 + x % 2800 : 3000 + x % 1'000'000;
    }
    return values;
}

void BM_HistogramRecord(benchmark::State& state) {
    histogram h;
    const std::vector<std::uint64_t> values = sample_latencies_ns();
    std::size_t i = 0;
    for (auto _ : state) {
        h.record(values[i++ & 4095]);
    }
    benchmark::DoNotOptimize(h.total_count());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord);

void BM_HistogramRecordTicks(benchmark::State& state) {
    histogram h;
    const tsc_to_ns rate(2.1);  // a 2.1 GHz TSC
    const std::vector<std::uint64_t> values = sample_latencies_ns();
    std::size_t i = 0;
    for (auto _ : state) {
        h.record_ticks(values[i++ & 4095], rate);
    }
    benchmark::DoNotOptimize(h.total_count());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecordTicks);

// The worker's view: record through the recorder and check for a swap request every 32 records
// (one RX burst), as the gateway's loop does.
void BM_IntervalRecorderRecordAndService(benchmark::State& state) {
    interval_recorder recorder;
    const std::vector<std::uint64_t> values = sample_latencies_ns();
    std::size_t i = 0;
    for (auto _ : state) {
        recorder.record_ticks(values[i & 4095]);
        if ((++i & 31) == 0) recorder.service();
    }
    benchmark::DoNotOptimize(recorder.active_after_worker_stopped().total_count());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IntervalRecorderRecordAndService);

// Control plane, not the hot path: encoding one interval of a million recorded values.
void BM_EncodeOneInterval(benchmark::State& state) {
    histogram h;
    for (const std::uint64_t v : sample_latencies_ns()) h.record_n(v, 244);
    for (auto _ : state) {
        benchmark::DoNotOptimize(encode_compressed_base64(h));
    }
}
BENCHMARK(BM_EncodeOneInterval)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
