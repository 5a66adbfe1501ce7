// executor_bench: hyper-tick's executor against Boost.Asio's single-threaded io_context.
//
// Each benchmark runs a batch of `batch` operations per iteration and reports ns_per_op, the
// time of one operation. Asio cases are the nearest equivalents (see docs/performance.md).
//   build/release/bin/executor_bench --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>  // Boost 1.74's Asio with g++ 12 needs this before its headers

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "hypertick/hypertick.hpp"

namespace ht = hypertick;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr int batch = 1000;

void report(benchmark::State& state, std::int64_t ops_per_iteration) {
    state.counters["ns_per_op"] =
        benchmark::Counter(static_cast<double>(state.iterations() * ops_per_iteration) / 1e9,
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

ht::executor_config bench_config() {
    ht::executor_config c;
    c.max_tasks = 2048;
    c.frame_classes = {ht::frame_class{256, 2048}, ht::frame_class{1024, 16}, {}, {}};
    c.poll_budget = 4096;
    return c;
}

// ---------------------------------------------------------------- hyper-tick

ht::task<void> empty_task() {
    co_return;
}

// One op = spawn only: take a slot and a frame, build the coroutine, queue it. The batch is
// completed outside the timed region.
void HT_Spawn(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < batch; ++i) benchmark::DoNotOptimize(ex.spawn_detached(empty_task));
        const auto t1 = std::chrono::steady_clock::now();
        state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
        ex.run_until_idle();
    }
    report(state, batch);
}
BENCHMARK(HT_Spawn)->UseManualTime();

// One op = spawn, first poll, completion, frame and slot returned.
void HT_SpawnComplete(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    for (auto _ : state) {
        for (int i = 0; i < batch; ++i) benchmark::DoNotOptimize(ex.spawn_detached(empty_task));
        ex.run_until_idle();
    }
    report(state, batch);
}
BENCHMARK(HT_SpawnComplete);

// One op = spawn_eager: the task runs inside the spawn call to its end, then frame and slot
// are returned (Seastar's coroutine start).
void HT_SpawnEagerComplete(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    for (auto _ : state) {
        for (int i = 0; i < batch; ++i)
            benchmark::DoNotOptimize(ex.spawn_eager_detached(empty_task));
    }
    report(state, batch);
}
BENCHMARK(HT_SpawnEagerComplete);

ht::task<std::int64_t> answer(std::int64_t v) {
    co_return v;
}

// Spawns a child that returns a value, joins it and takes the value, n times. Eager: the
// child has ended when the join starts (the join completes without suspending); queued: the
// parent suspends on the join and the child's end wakes it.
ht::task<void> spawn_join_loop(ht::executor& ex, int n, bool eager, std::int64_t& sum) {
    for (int i = 0; i < n; ++i) {
        auto spawned = eager ? ex.spawn_eager(answer, i) : ex.spawn(answer, i);
        if (!spawned.ok()) co_return;
        const ht::join_result<std::int64_t> joined = co_await spawned.handle().join();
        if (joined.ok()) sum += *joined.value;
    }
}

// One op = spawn of a child returning a value, its run to the end, join and the value taken.
// Argument: 1 spawn_eager, 0 spawn.
void HT_SpawnJoinResult(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    std::int64_t sum = 0;
    for (auto _ : state) {
        (void)ex.spawn_detached(spawn_join_loop, std::ref(ex), batch, state.range(0) != 0,
                                std::ref(sum));
        ex.run_until_idle();
    }
    benchmark::DoNotOptimize(sum);
    report(state, batch);
}
BENCHMARK(HT_SpawnJoinResult)->Arg(0)->Arg(1);

ht::task<void> yielder(int n) {
    for (int i = 0; i < n; ++i) co_await ht::yield_now();
}

void HT_YieldLoop(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    for (auto _ : state) {
        (void)ex.spawn_detached(yielder, batch);
        ex.run_until_idle();
    }
    report(state, batch);
}
BENCHMARK(HT_YieldLoop);

// One op = one yield, two tasks yielding in turn: every re-queue goes through the run queue's
// ring (a task yielding alone, as above, is resumed again without it; docs/performance.md).
void HT_YieldPair(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    for (auto _ : state) {
        (void)ex.spawn_detached(yielder, batch / 2);
        (void)ex.spawn_detached(yielder, batch / 2);
        ex.run_until_idle();
    }
    report(state, batch);
}
BENCHMARK(HT_YieldPair);

ht::task<void> ping(ht::notify& mine, ht::notify& theirs, int n) {
    for (int i = 0; i < n; ++i) {
        theirs.notify_one();
        co_await mine.wait();
    }
}
ht::task<void> pong(ht::notify& mine, ht::notify& theirs, int n) {
    for (int i = 0; i < n; ++i) {
        co_await mine.wait();
        theirs.notify_one();
    }
}

// One op = one round trip: A wakes B, B runs and wakes A, A runs.
void HT_PingPongRoundTrip(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    ht::notify a, b;
    for (auto _ : state) {
        (void)ex.spawn_detached(pong, std::ref(b), std::ref(a), batch);
        (void)ex.spawn_detached(ping, std::ref(a), std::ref(b), batch);
        ex.run_until_idle();
    }
    report(state, batch);
}
BENCHMARK(HT_PingPongRoundTrip);

void noop_waker_fn(const void*) noexcept {}
ht::raw_waker noop_clone(const void* d) noexcept;
constexpr ht::raw_waker_vtable noop_vtable{noop_clone, noop_waker_fn, noop_waker_fn, noop_waker_fn};
ht::raw_waker noop_clone(const void* d) noexcept {
    return {d, &noop_vtable};
}

void HT_TimerArmCancel(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    ht::timer_entry entries[batch];
    std::uint64_t deadline = 1'000'000;
    for (auto _ : state) {
        for (auto& e : entries)
            ex.arm_timer(e, deadline += 997, ht::waker(ht::raw_waker{nullptr, &noop_vtable}));
        for (auto& e : entries) ex.cancel_timer(e);
    }
    report(state, batch);
}
BENCHMARK(HT_TimerArmCancel);

ht::task<void> sleep_loop(int n) {
    for (int i = 0; i < n; ++i) co_await ht::sleep_for(1us);
}

// One op = one task arms a 1 us sleep, the loop finds nothing else to do, the (virtual) clock
// jumps to the deadline, the wheel fires, the task resumes: two loop turns per op.
void HT_SleepLoop(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    for (auto _ : state) {
        (void)ex.spawn_detached(sleep_loop, batch);
        ex.run();
    }
    report(state, batch);
}
BENCHMARK(HT_SleepLoop);

ht::task<void> sleep_once(int i, int n) {
    for (int k = 0; k < n; ++k)
        co_await ht::sleep_for(std::chrono::microseconds(1 + (i * 7 + k) % 50));
}

// One op = arm one timer and later fire it and resume its task, with 1000 tasks sleeping at
// once (a busy gateway's heartbeat, stale-feed and gap timers): the per-timer cost.
void HT_TimerArmFire(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    constexpr int rounds = 10;
    for (auto _ : state) {
        for (int i = 0; i < batch; ++i) (void)ex.spawn_detached(sleep_once, i, rounds);
        ex.run();
    }
    report(state, batch * rounds);
}
BENCHMARK(HT_TimerArmFire);

ht::task<void> sender(ht::channel<std::uint64_t>& ch, int n) {
    for (int i = 0; i < n; ++i) co_await ch.send(static_cast<std::uint64_t>(i));
}
ht::task<void> receiver(ht::channel<std::uint64_t>& ch, int n, std::uint64_t& sum) {
    for (int i = 0; i < n; ++i) sum += *co_await ch.recv();
}

void HT_ChannelSendRecv(benchmark::State& state) {
    ht::virtual_clock clock;
    ht::executor ex(bench_config(), clock);
    ht::channel<std::uint64_t> ch(ex, static_cast<std::uint32_t>(state.range(0)));
    std::uint64_t sum = 0;
    for (auto _ : state) {
        (void)ex.spawn_detached(receiver, std::ref(ch), batch, std::ref(sum));
        (void)ex.spawn_detached(sender, std::ref(ch), batch);
        ex.run_until_idle();
    }
    benchmark::DoNotOptimize(sum);
    report(state, batch);
}
BENCHMARK(HT_ChannelSendRecv)->Arg(1)->Arg(64);

// ---------------------------------------------------------------- Boost.Asio

asio::awaitable<void> asio_yielder(int n) {
    auto ex = co_await asio::this_coro::executor;
    for (int i = 0; i < n; ++i) co_await asio::post(ex, asio::use_awaitable);
}

void Asio_CoroutineYield(benchmark::State& state) {
    asio::io_context ctx(1);
    for (auto _ : state) {
        asio::co_spawn(ctx, asio_yielder(batch), asio::detached);
        ctx.run();
        ctx.restart();
    }
    report(state, batch);
}
BENCHMARK(Asio_CoroutineYield);

asio::awaitable<void> asio_empty() {
    co_return;
}

void Asio_CoSpawnComplete(benchmark::State& state) {
    asio::io_context ctx(1);
    for (auto _ : state) {
        for (int i = 0; i < batch; ++i) asio::co_spawn(ctx, asio_empty(), asio::detached);
        ctx.run();
        ctx.restart();
    }
    report(state, batch);
}
BENCHMARK(Asio_CoSpawnComplete);

// Asio 1.74 has no coroutine channel or event: the idiom is a timer that never expires, woken
// by cancel(). One op = one round trip.
asio::awaitable<void> asio_ping(asio::steady_timer& mine, asio::steady_timer& theirs, int n) {
    for (int i = 0; i < n; ++i) {
        mine.expires_at(asio::steady_timer::time_point::max());
        theirs.cancel();
        boost::system::error_code ec;
        co_await mine.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}
asio::awaitable<void> asio_pong(asio::steady_timer& mine, asio::steady_timer& theirs, int n) {
    for (int i = 0; i < n; ++i) {
        boost::system::error_code ec;
        co_await mine.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        mine.expires_at(asio::steady_timer::time_point::max());
        theirs.cancel();
    }
}

void Asio_CoroutinePingPongRoundTrip(benchmark::State& state) {
    asio::io_context ctx(1);
    asio::steady_timer a(ctx), b(ctx);
    for (auto _ : state) {
        b.expires_at(asio::steady_timer::time_point::max());
        asio::co_spawn(ctx, asio_pong(b, a, batch), asio::detached);
        asio::co_spawn(ctx, asio_ping(a, b, batch), asio::detached);
        ctx.run();
        ctx.restart();
    }
    report(state, batch);
}
BENCHMARK(Asio_CoroutinePingPongRoundTrip);

void Asio_TimerArmCancel(benchmark::State& state) {
    asio::io_context ctx(1);
    asio::steady_timer t(ctx);
    for (auto _ : state) {
        for (int i = 0; i < batch; ++i) {
            t.expires_after(1s);
            t.async_wait([](const boost::system::error_code&) {});
            t.cancel();
        }
        ctx.run();  // runs the cancelled handlers
        ctx.restart();
    }
    report(state, batch);
}
BENCHMARK(Asio_TimerArmCancel);

struct post_chain {
    asio::io_context* ctx;
    int* left;
    void operator()() const {
        if (--*left > 0) asio::post(*ctx, *this);
    }
};

void Asio_HandlerPostChain(benchmark::State& state) {
    asio::io_context ctx(1);
    for (auto _ : state) {
        int left = batch;
        asio::post(ctx, post_chain{&ctx, &left});
        ctx.run();
        ctx.restart();
    }
    report(state, batch);
}
BENCHMARK(Asio_HandlerPostChain);

}  // namespace

BENCHMARK_MAIN();
