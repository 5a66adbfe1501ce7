// seastar_bench: the operations of bench/executor_bench.cpp written against Seastar, so the two
// executors can be measured side by side (docs/performance.md, "Executor against Seastar").
//
// Our own code, compiled against a Seastar checkout by bench/anchors/seastar/build.sh and never
// by this repository's build. Run it as a Seastar application with one reactor:
//   seastar_bench --smp 1 --poll-mode -m 1G --reactor-backend epoll
// Each case runs batches of `batch` operations for at least `min_time` after one warm-up batch,
// and prints one line "CASE ns_per_op" (bench/anchors/seastar/run.sh reads these lines).
// HT_ONLY=CASE[,CASE...] in the environment runs only those cases (run.sh measures one
// operation at a time, right beside ours).
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include <seastar/core/app-template.hh>
#include <seastar/core/condition-variable.hh>
#include <seastar/core/coroutine.hh>
#include <seastar/core/future.hh>
#include <seastar/core/queue.hh>
#include <seastar/core/sleep.hh>
#include <seastar/core/task.hh>
#include <seastar/core/timer.hh>
#include <seastar/util/later.hh>

namespace ss = seastar;
using namespace std::chrono_literals;

namespace {

constexpr int batch = 1000;
constexpr auto min_time = 300ms;

using wall_clock = std::chrono::steady_clock;

// Counts finished tasks; the last one resolves the batch.
struct countdown {
    explicit countdown(int n) : left(n) {}
    void one_done() {
        if (--left == 0) done.set_value();
    }
    int left;
    ss::promise<> done;
};

// ---- spawn + first run + completion

ss::future<> empty_coroutine() {
    co_return;
}

// Seastar starts a coroutine eagerly: the call runs it to its end and returns a ready future.
ss::future<std::int64_t> spawn_eager_batch() {
    for (int i = 0; i < batch; ++i) {
        ss::future<> f = empty_coroutine();
        if (!f.available()) std::abort();
        f.ignore_ready_future();
    }
    co_return batch;
}

// The first resumption goes through the run queue, as ours does: the coroutine yields first.
ss::future<> queued_coroutine(countdown& c) {
    co_await ss::yield();
    c.one_done();
}

ss::future<std::int64_t> spawn_queued_batch() {
    countdown c(batch);
    ss::future<> all = c.done.get_future();
    for (int i = 0; i < batch; ++i) (void)queued_coroutine(c);
    co_await std::move(all);
    co_return batch;
}

// ---- yield loop

// The raw run-queue trip: a task that schedules itself again each time it runs.
class requeue_task final : public ss::task {
  public:
    explicit requeue_task(int runs) : left_(runs) {}
    void run_and_dispose() noexcept override {
        if (--left_ > 0)
            ss::schedule(this);
        else
            done_.set_value();
    }
    ss::task* waiting_task() noexcept override { return nullptr; }
    ss::future<> finished() { return done_.get_future(); }

  private:
    int left_;
    ss::promise<> done_;
};

ss::future<std::int64_t> yield_requeue_batch() {
    requeue_task task(batch);
    ss::future<> finished = task.finished();
    ss::schedule(&task);
    co_await std::move(finished);
    co_return batch;
}

ss::future<std::int64_t> yield_coroutine_batch() {
    for (int i = 0; i < batch; ++i) co_await ss::yield();
    co_return batch;
}

// ---- ping-pong through condition variables

// `when()` is the coroutine awaiter (the waiter lives in the frame); `wait()` returns a future
// and allocates its waiter.
template <bool use_when>
ss::future<> ping(ss::condition_variable& mine, ss::condition_variable& theirs, int n) {
    for (int i = 0; i < n; ++i) {
        theirs.signal();
        if constexpr (use_when)
            co_await mine.when();
        else
            co_await mine.wait();
    }
}
template <bool use_when>
ss::future<> pong(ss::condition_variable& mine, ss::condition_variable& theirs, int n) {
    for (int i = 0; i < n; ++i) {
        if constexpr (use_when)
            co_await mine.when();
        else
            co_await mine.wait();
        theirs.signal();
    }
}

// One op = one round trip. pong starts first and parks on its variable, so no signal is lost.
template <bool use_when>
ss::future<std::int64_t> ping_pong_batch() {
    ss::condition_variable a, b;
    ss::future<> ponged = pong<use_when>(b, a, batch);
    ss::future<> pinged = ping<use_when>(a, b, batch);
    co_await std::move(pinged);
    co_await std::move(ponged);
    co_return batch;
}

// ---- timers

// As ours: arm every timer of a batch at increasing deadlines, then cancel them all.
ss::future<std::int64_t> timer_arm_cancel_batch(std::array<ss::timer<>, batch>& timers) {
    const auto base = ss::steady_clock_type::now() + 1s;
    for (int i = 0; i < batch; ++i) timers[i].arm(base + std::chrono::nanoseconds(997 * (i + 1)));
    for (auto& t : timers) t.cancel();
    co_return batch;
}

constexpr int sleep_rounds = 10;

ss::future<> sleeper(int i, countdown& c) {
    for (int k = 0; k < sleep_rounds; ++k)
        co_await ss::sleep(std::chrono::microseconds(1 + (i * 7 + k) % 50));
    c.one_done();
}

// One op = arm one timer, fire it, resume its coroutine, with 1000 coroutines sleeping 1-50 us.
// Seastar's clock is real: the batch's span (about 250 us of sleeping) is far below its CPU time.
ss::future<std::int64_t> timer_arm_fire_batch() {
    countdown c(batch);
    ss::future<> all = c.done.get_future();
    for (int i = 0; i < batch; ++i) (void)sleeper(i, c);
    co_await std::move(all);
    co_return std::int64_t{batch} * sleep_rounds;
}

// ---- channel: seastar::queue

ss::future<> sender(ss::queue<std::uint64_t>& q, int n) {
    for (int i = 0; i < n; ++i) co_await q.push_eventually(static_cast<std::uint64_t>(i));
}
ss::future<> receiver(ss::queue<std::uint64_t>& q, int n, std::uint64_t& sum) {
    for (int i = 0; i < n; ++i) sum += co_await q.pop_eventually();
}

std::uint64_t g_sum = 0;

template <std::size_t capacity>
ss::future<std::int64_t> channel_batch() {
    ss::queue<std::uint64_t> q(capacity);
    ss::future<> received = receiver(q, batch, g_sum);
    ss::future<> sent = sender(q, batch);
    co_await std::move(sent);
    co_await std::move(received);
    co_return batch;
}

// ---- the driver

// Whether HT_ONLY (unset or empty: every case) names `name`.
bool wanted(std::string_view name) {
    const char* only = std::getenv("HT_ONLY");
    if (only == nullptr || *only == '\0') return true;
    std::string_view list(only);
    for (;;) {
        const std::size_t comma = list.find(',');
        if (list.substr(0, comma) == name) return true;
        if (comma == std::string_view::npos) return false;
        list.remove_prefix(comma + 1);
    }
}

template <class Batch>
ss::future<> measure(const char* name, Batch run_batch) {
    if (!wanted(name)) co_return;
    co_await run_batch();  // warm-up: first-touch of the allocator's pages, timer structures
    std::int64_t ops = 0;
    const auto start = wall_clock::now();
    auto elapsed = wall_clock::duration{};
    do {
        ops += co_await run_batch();
        elapsed = wall_clock::now() - start;
    } while (elapsed < min_time);
    const double ns = std::chrono::duration<double, std::nano>(elapsed).count();
    std::printf("%s %.2f\n", name, ns / static_cast<double>(ops));
    std::fflush(stdout);
}

ss::future<> run_all() {
    auto timers = std::make_unique<std::array<ss::timer<>, batch>>();
    for (auto& t : *timers) t.set_callback([] {});
    co_await measure("spawn_complete_eager", spawn_eager_batch);
    co_await measure("spawn_complete_queued", spawn_queued_batch);
    co_await measure("yield_requeue", yield_requeue_batch);
    co_await measure("yield_coroutine", yield_coroutine_batch);
    co_await measure("ping_pong_when", ping_pong_batch<true>);
    co_await measure("ping_pong_wait", ping_pong_batch<false>);
    co_await measure("timer_arm_cancel", [&timers] { return timer_arm_cancel_batch(*timers); });
    co_await measure("timer_arm_fire_1000", timer_arm_fire_batch);
    co_await measure("channel_1", channel_batch<1>);
    co_await measure("channel_64", channel_batch<64>);
}

}  // namespace

int main(int argc, char** argv) {
    ss::app_template app;
    return app.run(argc, argv, [] { return run_all(); });
}
