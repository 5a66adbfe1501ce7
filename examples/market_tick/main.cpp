// market_tick: the seed's example. A mocked market-data feed runs through four tasks joined by
// channels (feed -> decode -> book, plus a heartbeat timer) on one executor, and the process
// counts its own heap calls to show that run() makes none, whatever the number of ticks.
//
//   market_tick [--ticks N] [--symbols S] [--seed X]
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "alloc_counter.hpp"
#include "hypertick/hypertick.hpp"

namespace ht = hypertick;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t max_symbols = 4096;

// The "wire" format of the mocked feed: 20 bytes, big-endian, like an exchange message.
struct wire_packet {
    std::uint8_t bytes[20];
};
enum class side : std::uint8_t { bid = 'B', ask = 'S' };
struct tick {
    std::uint32_t symbol;
    std::uint32_t price;  // 4 implied decimals
    std::uint32_t shares;
    side quote_side;
    std::uint64_t sequence;
};

void put_be32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}
std::uint32_t get_be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           p[3];
}

struct top_of_book {
    std::uint32_t bid_price = 0, bid_shares = 0, ask_price = 0, ask_shares = 0;
    std::uint64_t updates = 0;
};

struct shared_state {
    std::uint64_t ticks_wanted = 0;
    std::uint32_t symbols = 0;
    std::uint64_t seed = 1;
    std::uint64_t produced = 0, decoded = 0, applied = 0, malformed = 0;
    std::uint64_t heartbeats = 0, stale_heartbeats = 0, applied_at_last_beat = 0;
    ht::event done;
    top_of_book books[max_symbols];
};

// The mocked network listener: a random walk per symbol, encoded to wire packets.
ht::task<void> feed_task(ht::channel<wire_packet>& wire, shared_state& s) {
    std::uint64_t rng = s.seed;
    std::uint32_t mid[64];
    for (auto& m : mid) m = 1'000'000;
    for (std::uint64_t seq = 1; seq <= s.ticks_wanted; ++seq) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        const auto r = static_cast<std::uint32_t>(rng >> 33);
        const std::uint32_t symbol = r % s.symbols;
        std::uint32_t& m = mid[symbol % 64];
        m = m + (r & 0x100 ? 100 : 0) - (r & 0x200 ? 100 : 0);
        const bool is_bid = (r >> 7) & 1;
        wire_packet p{};
        put_be32(p.bytes, symbol);
        put_be32(p.bytes + 4, is_bid ? m - 100 : m + 100);
        put_be32(p.bytes + 8, 100 * (1 + (r >> 20) % 10));
        p.bytes[12] = is_bid ? 'B' : 'S';
        put_be32(p.bytes + 13, static_cast<std::uint32_t>(seq));
        if (co_await wire.send(p) != ht::send_status::ok) break;
        ++s.produced;
    }
    wire.close();
}

ht::task<void> decode_task(ht::channel<wire_packet>& wire, ht::channel<tick>& ticks,
                           shared_state& s) {
    while (auto packet = co_await wire.recv()) {
        const std::uint8_t* b = packet->bytes;
        const std::uint32_t symbol = get_be32(b);
        if (symbol >= s.symbols || (b[12] != 'B' && b[12] != 'S')) {
            ++s.malformed;  // counted and dropped, never applied
            continue;
        }
        const tick t{symbol, get_be32(b + 4), get_be32(b + 8), static_cast<side>(b[12]),
                     get_be32(b + 13)};
        ++s.decoded;
        if (co_await ticks.send(t) != ht::send_status::ok) break;
    }
    ticks.close();
}

ht::task<void> book_task(ht::channel<tick>& ticks, shared_state& s) {
    while (auto t = co_await ticks.recv()) {
        top_of_book& book = s.books[t->symbol];
        if (t->quote_side == side::bid) {
            book.bid_price = t->price;
            book.bid_shares = t->shares;
        } else {
            book.ask_price = t->price;
            book.ask_shares = t->shares;
        }
        ++book.updates;
        ++s.applied;
    }
    s.done.set();
}

// Every millisecond: a heartbeat, and a stale-feed check (no tick applied since the last beat).
ht::task<void> heartbeat_task(shared_state& s) {
    while (!s.done.is_set()) {
        auto woke = co_await ht::with_timeout(1ms, s.done.wait());
        if (!woke.timed_out()) break;
        ++s.heartbeats;
        if (s.applied == s.applied_at_last_beat) ++s.stale_heartbeats;
        s.applied_at_last_beat = s.applied;
    }
}

void usage(std::FILE* out) {
    std::fprintf(out,
                 "usage: market_tick [--ticks N] [--symbols S] [--seed X]\n"
                 "  Runs a mocked market-data feed through feed -> decode -> book tasks and a\n"
                 "  heartbeat timer on one hyper-tick executor, then prints throughput and the\n"
                 "  number of heap calls made while the executor ran (always 0).\n"
                 "  --ticks N    ticks to generate (default 1000000)\n"
                 "  --symbols S  symbols, 1..%u (default 100)\n"
                 "  --seed X     random-walk seed (default 1)\n",
                 max_symbols);
}

bool parse_u64(const char* text, std::uint64_t& out) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-') return false;
    out = v;
    return true;
}

double wall_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
    static shared_state s;  // static: 4096 books stay off the stack
    s.ticks_wanted = 1'000'000;
    s.symbols = 100;
    for (int i = 1; i < argc; ++i) {
        const char* arg = argv[i];
        auto value = [&](std::uint64_t& out) {
            if (i + 1 >= argc || !parse_u64(argv[i + 1], out)) {
                std::fprintf(stderr, "market_tick: %s needs a non-negative integer\n", arg);
                std::exit(2);
            }
            ++i;
        };
        std::uint64_t v = 0;
        if (!std::strcmp(arg, "--help") || !std::strcmp(arg, "-h")) {
            usage(stdout);
            return 0;
        } else if (!std::strcmp(arg, "--ticks")) {
            value(s.ticks_wanted);
        } else if (!std::strcmp(arg, "--symbols")) {
            value(v);
            if (v == 0 || v > max_symbols) {
                std::fprintf(stderr, "market_tick: --symbols must be 1..%u, got %" PRIu64 "\n",
                             max_symbols, v);
                return 2;
            }
            s.symbols = static_cast<std::uint32_t>(v);
        } else if (!std::strcmp(arg, "--seed")) {
            value(s.seed);
        } else {
            std::fprintf(stderr, "market_tick: unknown argument '%s'\n", arg);
            usage(stderr);
            return 2;
        }
    }
    if (!hypertick::testing::alloc_counting_active()) {
        std::fprintf(stderr, "market_tick: the allocation counter is not active\n");
        return 1;
    }

    // Start-up: everything the run needs is allocated here, once.
    ht::tsc_clock clock;
    ht::executor_config config;
    config.max_tasks = 8;
    config.frame_classes = {ht::frame_class{512, 8}, ht::frame_class{2048, 4}, {}, {}};
    config.channel_storage_bytes = 64 * 1024;
    ht::executor ex(config, clock);
    if (ex.status() != ht::init_error::none) {
        std::fprintf(stderr, "market_tick: executor: %s\n", ht::to_string(ex.status()));
        return 1;
    }
    ht::channel<wire_packet> wire(ex, 256);
    ht::channel<tick> ticks(ex, 256);
    const ht::spawn_error errors[] = {
        ex.spawn_detached(feed_task, std::ref(wire), std::ref(s)),
        ex.spawn_detached(decode_task, std::ref(wire), std::ref(ticks), std::ref(s)),
        ex.spawn_detached(book_task, std::ref(ticks), std::ref(s)),
        ex.spawn_detached(heartbeat_task, std::ref(s)),
    };
    for (const ht::spawn_error e : errors) {
        if (e != ht::spawn_error::none) {
            std::fprintf(stderr, "market_tick: spawn: %s\n", ht::to_string(e));
            return 1;
        }
    }

    const auto before = hypertick::testing::process_alloc_counts();
    const double t0 = wall_seconds();
    ex.run();
    const double t1 = wall_seconds();
    const auto during = hypertick::testing::process_alloc_counts() - before;

    const double secs = t1 - t0;
    const auto& st = ex.stats();
    std::printf("market_tick: %" PRIu64 " ticks over %u symbols in %.3f s\n", s.applied, s.symbols,
                secs);
    std::printf("throughput: %.2f million ticks/s, %.1f ns per tick (feed + decode + book)\n",
                static_cast<double>(s.applied) / secs / 1e6,
                secs * 1e9 / static_cast<double>(s.applied ? s.applied : 1));
    std::printf("tasks: produced %" PRIu64 ", decoded %" PRIu64 ", applied %" PRIu64
                ", malformed %" PRIu64 "\n",
                s.produced, s.decoded, s.applied, s.malformed);
    std::printf("heartbeats: %" PRIu64 " (stale %" PRIu64 ")\n", s.heartbeats, s.stale_heartbeats);
    std::printf("executor: %" PRIu64 " polls, %" PRIu64 " wakes, %" PRIu64
                " turns, run-queue peak %u, timers fired %" PRIu64 "\n",
                st.polls, st.wakes, st.loop_iterations, st.run_queue_peak, st.timers_fired);
    for (std::uint32_t sym = 0; sym < 3 && sym < s.symbols; ++sym) {
        const top_of_book& b = s.books[sym];
        std::printf("symbol %u: bid %u @ %.4f  ask %u @ %.4f  (%" PRIu64 " updates)\n", sym,
                    b.bid_shares, b.bid_price / 1e4, b.ask_shares, b.ask_price / 1e4, b.updates);
    }
    std::printf("allocations during run: %" PRIu64 "\n", during.total());
    return during.total() == 0 && s.applied == s.ticks_wanted ? 0 : 1;
}
