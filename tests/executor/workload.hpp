// A mixed executor workload used by the determinism and zero-allocation tests: producers and
// consumers over channels, timers and timeouts, spawns, joins and cancellations, an event.
// Nothing in it allocates: results go into fixed arrays.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>

#include "test_support.hpp"

namespace hypertick::test {

struct workload_result {
    std::uint64_t produced = 0;
    std::uint64_t consumed_sum = 0;
    std::uint64_t consumed = 0;
    std::uint64_t timeouts = 0;
    std::uint64_t joined = 0;
    std::uint64_t cancelled_seen = 0;
    std::uint64_t event_wakeups = 0;
    std::uint64_t checksum = 0;  // order-sensitive: it changes if the schedule changes
};

struct workload_params {
    int producers = 8;
    int items_per_producer = 400;
    int consumers = 4;
    int spawn_rounds = 300;  // each round: spawn 4 children, cancel 1, join 3
};

namespace detail {

inline std::uint64_t next_random(std::uint64_t& s) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return s >> 33;
}

inline task<void> producer(channel<std::uint64_t>& ch, int id, int items, workload_result& r) {
    std::uint64_t rng = 0x9E37u + static_cast<std::uint64_t>(id);
    for (int i = 0; i < items; ++i) {
        co_await sleep_for(std::chrono::microseconds(next_random(rng) % 50));
        if (co_await ch.send(static_cast<std::uint64_t>(id) * 100000 +
                             static_cast<std::uint64_t>(i)) == send_status::ok)
            ++r.produced;
        if (i % 16 == 0) co_await yield_now();
    }
}

inline task<void> consumer(channel<std::uint64_t>& ch, int id, workload_result& r) {
    for (;;) {
        auto got = co_await with_timeout(std::chrono::microseconds(30 + id), ch.recv());
        if (got.timed_out()) {
            ++r.timeouts;
            continue;
        }
        if (!*got.value) co_return;  // closed and drained
        ++r.consumed;
        r.consumed_sum += **got.value;
        r.checksum = r.checksum * 31 + **got.value + static_cast<std::uint64_t>(id);
    }
}

inline task<std::uint64_t> child(std::uint64_t v, int naps) {
    for (int i = 0; i < naps; ++i) co_await sleep_for(std::chrono::microseconds(v % 7 + 1));
    co_return v * 3;
}

inline task<void> spawner(executor& ex, int rounds, workload_result& r) {
    for (int round = 0; round < rounds; ++round) {
        std::array<join_handle<std::uint64_t>, 4> kids;
        for (std::size_t k = 0; k < kids.size(); ++k) {
            auto s =
                ex.spawn(child, static_cast<std::uint64_t>(round) * 4 + k, static_cast<int>(k) + 1);
            if (s.ok()) kids[k] = s.take_handle();
        }
        kids[3].cancel();  // the longest sleeper: parked on a timer when cancelled
        for (auto& kid : kids) {
            auto res = co_await kid.join();
            if (res.ok()) {
                ++r.joined;
                r.checksum = r.checksum * 31 + *res.value;
            } else {
                ++r.cancelled_seen;
            }
        }
    }
}

inline task<void> waiter(event& ev, workload_result& r) {
    co_await ev.wait();
    ++r.event_wakeups;
}

inline task<void> coordinator(executor& ex, channel<std::uint64_t>& ch, event& producers_done,
                              workload_params p, workload_result& r) {
    std::array<join_handle<void>, 64> producers;
    for (int i = 0; i < p.producers && i < 64; ++i) {
        auto s = ex.spawn(producer, std::ref(ch), i, p.items_per_producer, std::ref(r));
        if (s.ok()) producers[static_cast<std::size_t>(i)] = s.take_handle();
    }
    for (int i = 0; i < p.producers && i < 64; ++i)
        co_await producers[static_cast<std::size_t>(i)].join();
    producers_done.set();
    ch.close();
}

}  // namespace detail

// Spawns the workload on `ex`; the caller then runs the executor to completion.
struct workload {
    channel<std::uint64_t> ch;
    event producers_done;
    workload_result result;
    workload_params params;

    workload(executor& ex, workload_params p) : ch(ex, 16), params(p) {}

    bool start(executor& ex) {
        bool ok = ex.spawn_detached(detail::coordinator, std::ref(ex), std::ref(ch),
                                    std::ref(producers_done), params,
                                    std::ref(result)) == spawn_error::none;
        for (int i = 0; i < params.consumers; ++i)
            ok &= ex.spawn_detached(detail::consumer, std::ref(ch), i, std::ref(result)) ==
                  spawn_error::none;
        ok &= ex.spawn_detached(detail::spawner, std::ref(ex), params.spawn_rounds,
                                std::ref(result)) == spawn_error::none;
        for (int i = 0; i < 8; ++i)
            ok &= ex.spawn_detached(detail::waiter, std::ref(producers_done), std::ref(result)) ==
                  spawn_error::none;
        return ok;
    }
};

inline executor_config workload_config() {
    executor_config c;
    c.max_tasks = 256;
    c.frame_classes = {frame_class{512, 256}, frame_class{2048, 16}, frame_class{}, frame_class{}};
    c.channel_storage_bytes = 4096;
    return c;
}

}  // namespace hypertick::test
