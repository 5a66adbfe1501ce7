#include "app/gateway_app.hpp"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <new>
#include <thread>

#include "config/config_loader.hpp"
#include "control/latency_log.hpp"
#include "control/service_notifier.hpp"
#include "control/telemetry.hpp"
#include "control/worker_event.hpp"
#include "dpdk/eal_args.hpp"
#include "dpdk/mempool.hpp"
#include "dpdk/ports.hpp"
#include "hypertick/book/snapshot_json.hpp"
#include "worker/worker.hpp"

namespace hypertick::gw {
namespace {

volatile std::sig_atomic_t g_quit_signal = 0;
void on_signal(int signal) { g_quit_signal = signal; }

double realtime_s() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double monotonic_s() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string kib(std::uint64_t bytes) { return std::to_string((bytes + 1023) / 1024) + " KiB"; }

// --replay and --publish-pcap swap configured devices for net_pcap ones; everything else
// (queues, lcores, the whole data path) stays as configured.
void apply_overrides(const cli_options& o, gateway_config& c) {
    for (port_settings& port : c.ports) {
        const bool feeds_here = std::any_of(c.feeds.begin(), c.feeds.end(), [&](const feed_settings& f) {
            return std::any_of(f.lines.begin(), f.lines.end(), [&](const line_settings& l) { return l.port == port.name; });
        });
        // --replay-b: a port carrying some feed's B line reads the B capture.
        const bool b_line_here = std::any_of(c.feeds.begin(), c.feeds.end(), [&](const feed_settings& f) {
            return f.lines.size() > 1 && f.lines[1].port == port.name;
        });
        const std::string& capture = b_line_here && !o.replay_b_capture.empty() ? o.replay_b_capture : o.replay_capture;
        const bool publishes_here = c.publisher.enabled && c.publisher.port == port.name && !o.publish_pcap.empty();
        if (!(feeds_here && !o.replay_capture.empty()) && !publishes_here) continue;
        std::string device = "net_pcap_" + port.name;
        if (feeds_here && !o.replay_capture.empty()) {
            for (std::uint16_t q = 0; q < port.rx_queues; ++q) device += ",rx_pcap=" + capture;
            if (o.loop_capture) device += ",infinite_rx=1";
        }
        if (publishes_here) {
            // net_pcap writes one file per TX queue: queue 0 -> OUT, queue n -> OUT.n
            for (std::uint16_t q = 0; q < port.tx_queues; ++q)
                device += ",tx_pcap=" + (q == 0 ? o.publish_pcap : o.publish_pcap + "." + std::to_string(q));
        }
        port.device = device;
    }
}

std::shared_ptr<spdlog::logger> make_logger(const logging_settings& s, std::string& error) {
    std::shared_ptr<spdlog::logger> log;
    try {
        if (s.file.empty()) log = std::make_shared<spdlog::logger>("hypertick", std::make_shared<spdlog::sinks::stdout_sink_mt>());
        else log = std::make_shared<spdlog::logger>("hypertick", std::make_shared<spdlog::sinks::basic_file_sink_mt>(s.file));
    } catch (const spdlog::spdlog_ex& e) {
        error = std::string("logging.file: ") + e.what();
        return nullptr;
    }
    log->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l %v");
    log->set_level(spdlog::level::from_str(s.level));
    log->flush_on(spdlog::level::info);
    return log;
}

struct worker_slot {
    std::uint32_t lcore = 0;
    std::vector<std::uint16_t> feeds;
    rte_ring* events = nullptr;
    worker_shared* shared = nullptr;
    rte_mempool* tx_pool = nullptr;
    void* latency_memory = nullptr;
    latency_probe* latency = nullptr;
    worker* w = nullptr;
    bool launched = false;
};

// Everything made at start-up, released in reverse order whatever happens.
struct resources {
    std::vector<port_state> ports;
    std::vector<rte_mempool*> pools;
    std::vector<worker_slot> workers;
    bool eal_up = false;

    ~resources() {
        for (worker_slot& s : workers) {
            if (s.w) {
                s.w->~worker();
                rte_free(s.w);
            }
            if (s.latency) {
                s.latency->~latency_probe();
                rte_free(s.latency);
            }
            rte_free(s.latency_memory);
            if (s.shared) {
                s.shared->~worker_shared();
                rte_free(s.shared);
            }
            rte_ring_free(s.events);
        }
        for (port_state& p : ports) shut_down_port(p);
        for (rte_mempool* pool : pools) rte_mempool_free(pool);
        for (worker_slot& s : workers) rte_mempool_free(s.tx_pool);
        if (eal_up) rte_eal_cleanup();
    }
};

class control_plane {
public:
    control_plane(const gateway_config& c, const cli_options& o, resources& r, spdlog::logger& log)
        : config_(c), options_(o), res_(r), log_(log) {}

    int run(latency_log* latency, service_notifier& systemd);

private:
    const std::string& feed_name(std::uint16_t i) const { return config_.feeds[i].name; }
    void drain_events();
    void log_event(const worker_event& e);
    std::string report_interval(double elapsed_s);  // returns the STATUS= line
    bool replay_finished(double now_s);
    std::uint64_t total_rx() const;

    const gateway_config& config_;
    const cli_options& options_;
    resources& res_;
    spdlog::logger& log_;
    struct totals {
        std::uint64_t rx = 0, messages = 0, bbo = 0, tx = 0, gaps = 0, missing = 0, malformed = 0, dups = 0, drops = 0;
    } last_;
    std::uint64_t last_rx_seen_ = 0;
    double last_rx_change_s_ = 0;
    double started_s_ = 0;
};

void control_plane::log_event(const worker_event& e) {
    const std::string feed = e.feed < config_.feeds.size() ? feed_name(e.feed) : "?";
    switch (e.kind) {
        case worker_event_kind::worker_started:
            log_.info("lcore {}: worker running (executor memory {})", e.lcore, kib(e.a));
            break;
        case worker_event_kind::feed_stale:
            log_.warn("feed {}: STALE: no datagram for {} ms{}", feed, e.a, e.b ? "" : " (nothing received yet)");
            break;
        case worker_event_kind::feed_recovered:
            log_.info("feed {}: recovered after {} ms stale", feed, e.a);
            break;
        case worker_event_kind::gap:
            log_.warn("feed {}: GAP: {} message(s) missing from sequence {}", feed, e.b, e.a);
            break;
        case worker_event_kind::session_started:
            log_.info("feed {}: MoldUDP64 session \"{}\"", feed, e.text);
            break;
        case worker_event_kind::end_of_session:
            log_.info("feed {}: end of session (next expected sequence {})", feed, e.a);
            break;
        case worker_event_kind::book_degraded:
            log_.error("feed {}: book capacity reached: {} add(s) dropped so far ({}{}{}); affected symbols are marked degraded",
                       feed, e.a, (e.b & book::degraded_no_book) ? "books.max_symbols " : "",
                       (e.b & book::degraded_orders_full) ? "books.max_orders " : "",
                       (e.b & book::degraded_levels_full) ? "books.max_levels_per_side" : "");
            break;
        case worker_event_kind::stall:
            log_.warn("lcore {}: {} task poll(s) ran over the {} us budget (longest so far {} us)", e.lcore, e.b,
                      config_.worker.stall_budget_us, e.a / 1000);
            break;
        case worker_event_kind::recovery_state:
            if (e.a == static_cast<std::uint64_t>(feed::RecoveryState::given_up))
                log_.error("feed {}: GIVEN UP: gap recovery {}; the feed's books are marked INVALID", feed,
                           e.b == static_cast<std::uint64_t>(feed::GiveUpReason::hold_full) ? "hold window full" : "timed out");
            else log_.info("feed {}: recovery state {}", feed, e.text);
            break;
        case worker_event_kind::worker_stopped:
            if (e.b) log_.info("lcore {}: worker stopped; heap calls since its loop started: {}", e.lcore, e.a);
            else log_.info("lcore {}: worker stopped", e.lcore);
            break;
    }
}

void control_plane::drain_events() {
    for (worker_slot& s : res_.workers) {
        worker_event e;
        while (rte_ring_dequeue_elem(s.events, &e, sizeof e) == 0) log_event(e);
    }
}

std::uint64_t control_plane::total_rx() const {
    std::uint64_t rx = 0;
    for (const worker_slot& s : res_.workers) rx += s.shared->rx_packets.load(std::memory_order_relaxed);
    return rx;
}

std::string control_plane::report_interval(double interval_s) {
    totals now;
    std::uint32_t stale = 0, feeds = 0;
    constexpr auto relaxed = std::memory_order_relaxed;
    for (const worker_slot& s : res_.workers) {
        now.rx += s.shared->rx_packets.load(relaxed);
        now.tx += s.shared->tx_datagrams.load(relaxed);
        now.drops += s.shared->tx_dropped.load(relaxed) + s.shared->bbo_overflowed.load(relaxed) +
                     s.shared->events_dropped.load(relaxed);
        for (std::size_t i = 0; i < s.feeds.size(); ++i) {
            const feed_shared& f = s.shared->feeds[i];
            now.messages += f.messages.load(relaxed);
            now.bbo += f.bbo_updates.load(relaxed);
            now.gaps += f.gaps.load(relaxed);
            now.missing += f.missing_messages.load(relaxed);
            now.malformed += f.malformed.load(relaxed);
            now.dups += f.duplicates.load(relaxed);
            stale += f.stale.load(relaxed);
            ++feeds;
        }
    }
    auto rate = [&](std::uint64_t a, std::uint64_t b) { return static_cast<std::uint64_t>(static_cast<double>(a - b) / interval_s); };
    log_.info("rx {} pkt/s | {} msg/s | bbo {}/s | tx {} dgram/s | total msgs {} | gaps {} ({} missing) | dups {} | malformed {} | drops {} | stale feeds {}/{}",
              rate(now.rx, last_.rx), rate(now.messages, last_.messages), rate(now.bbo, last_.bbo), rate(now.tx, last_.tx),
              now.messages, now.gaps, now.missing, now.dups, now.malformed, now.drops, stale, feeds);
    const std::string status = feed_status_line(feeds, stale, static_cast<double>(rate(now.messages, last_.messages)));
    last_ = now;
    return status;
}

bool control_plane::replay_finished(double now_s) {
    if (options_.replay_capture.empty() || options_.loop_capture) return false;
    const std::uint64_t rx = total_rx();
    if (rx != last_rx_seen_) {
        last_rx_seen_ = rx;
        last_rx_change_s_ = now_s;
    }
    const double idle_s = config_.timers.replay_idle_ms / 1000.0;
    bool all_ended = true;
    for (const worker_slot& s : res_.workers)
        for (std::size_t i = 0; i < s.feeds.size(); ++i)
            all_ended &= s.shared->feeds[i].end_of_session.load(std::memory_order_relaxed) != 0;
    // End of session on every feed: wait briefly for the trailing end-of-session datagrams.
    if (all_ended && now_s - last_rx_change_s_ >= 0.05) return true;
    if (rx == 0) return now_s - started_s_ >= std::max(2.0, 4 * idle_s);
    return now_s - last_rx_change_s_ >= idle_s;
}

int control_plane::run(latency_log* latency, service_notifier& systemd) {
    started_s_ = last_rx_change_s_ = monotonic_s();
    double next_report = started_s_ + config_.timers.stats_interval_ms / 1000.0;
    double last_report = started_s_;
    std::string reason = "end of replay";
    for (;;) {
        drain_events();
        const double now = monotonic_s();
        if (g_quit_signal != 0) {
            reason = g_quit_signal == SIGINT ? "SIGINT" : "SIGTERM";
            break;
        }
        if (options_.duration_s && now - started_s_ >= *options_.duration_s) {
            reason = "--duration reached";
            break;
        }
        if (replay_finished(now)) break;
        if (now >= next_report) {
            systemd.status(report_interval(now - last_report));
            last_report = now;
            next_report += config_.timers.stats_interval_ms / 1000.0;
        }
        for (std::uint32_t lcore : systemd.keep_alive(now))
            log_.error("lcore {}: no progress since the last watchdog check: WATCHDOG=1 withheld (systemd restarts the service after WatchdogSec)", lcore);
        if (latency) latency->poll(realtime_s());
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    log_.info("stopping: {}", reason);
    systemd.stopping();
    for (worker_slot& s : res_.workers) s.shared->stop.store(true, std::memory_order_release);
    rte_eal_mp_wait_lcore();
    drain_events();
    report_interval(std::max(1e-3, monotonic_s() - last_report));
    return 0;
}

std::string malformed_breakdown(const feed::FeedCounters& fc) {
    std::string out;
    for (std::uint32_t i = 0; i < feed::feed_event_count; ++i) {
        const auto event = static_cast<feed::FeedEvent>(i);
        if (!feed::is_malformed(event) || fc[event] == 0) continue;
        out += (out.empty() ? "" : ", ") + std::string(feed::feed_event_names[i]) + " " + std::to_string(fc[event]);
    }
    return out.empty() ? "none" : out;
}

void print_top_of_book(const resources& r, const gateway_config& c, std::uint32_t max_lines) {
    std::uint32_t printed = 0;
    std::printf("\nTop of book (first %u symbols with orders; price x shares (orders)):\n", max_lines);
    for (const worker_slot& s : r.workers) {
        for (std::uint32_t i = 0; i < s.w->feed_count() && printed < max_lines; ++i) {
            const book::BookManager& books = s.w->feed(i).books;
            for (std::uint32_t locate = 0; locate < book::locate_count && printed < max_lines; ++locate) {
                const auto l = static_cast<std::uint16_t>(locate);
                const book::DirectoryEntry& d = books.directory(l);
                if (!d.listed || (books.level_count(l, book::Side::bid) == 0 && books.level_count(l, book::Side::ask) == 0)) continue;
                const book::TopLevel bid = books.top(l, book::Side::bid);
                const book::TopLevel ask = books.top(l, book::Side::ask);
                std::printf("  %-8s %-14s bid %10.4f x %-8llu (%u)   ask %10.4f x %-8llu (%u)%s\n",
                            std::string(book::trimmed_symbol(d)).c_str(), c.feeds[s.w->feed(i).feed_index].name.c_str(),
                            bid.price / 1e4, static_cast<unsigned long long>(bid.shares), bid.orders, ask.price / 1e4,
                            static_cast<unsigned long long>(ask.shares), ask.orders, d.degraded ? "  DEGRADED" : "");
                ++printed;
            }
        }
    }
    if (printed == 0) std::printf("  (no resting orders)\n");
}

void print_latency(const latency_log& latency) {
    std::printf("\nLatency (all worker lcores, ns):\n");
    std::printf("  %-12s %12s %10s %10s %10s %10s\n", "metric", "count", "p50", "p99", "p99.9", "max");
    for (std::size_t m = 0; m < latency_metric_count; ++m) {
        const stats::histogram& h = latency.total(static_cast<latency_metric>(m));
        std::printf("  %-12s %12llu %10llu %10llu %10llu %10llu\n", latency_metric_names[m],
                    static_cast<unsigned long long>(h.total_count()),
                    static_cast<unsigned long long>(h.value_at_percentile(50.0)),
                    static_cast<unsigned long long>(h.value_at_percentile(99.0)),
                    static_cast<unsigned long long>(h.value_at_percentile(99.9)),
                    static_cast<unsigned long long>(h.max()));
    }
}

bool write_snapshots(const resources& r, const gateway_config& c, const std::string& path, spdlog::logger& log) {
    bool first = true;
    bool ok = true;
    for (const worker_slot& s : r.workers) {
        for (std::uint32_t i = 0; i < s.w->feed_count(); ++i) {
            const feed_pipeline& p = s.w->feed(i);
            std::string file = path;
            if (!first) {
                const auto dot = path.rfind(".json");
                file = (dot == std::string::npos ? path : path.substr(0, dot)) + "." + c.feeds[p.feed_index].name + ".json";
            }
            first = false;
            std::string json;
            const book::FeedSummary summary = book::summarize_feed(p.receiver.sequencer(), p.receiver.counters());
            book::write_snapshot_json(p.books, summary, c.books.snapshot_depth == 0 ? book::all_levels : c.books.snapshot_depth, json);
            if (p.arbiter != nullptr) {
                // Arbitrated feeds add whether the books can be trusted (a given-up gap means not).
                const std::size_t close = json.rfind('}');
                if (close != std::string::npos)
                    json.insert(close, std::string(",\n\"recovery\": {\"state\": \"") + feed::to_string(p.arbiter->state()) +
                                           "\", \"books_valid\": " + (p.arbiter->books_valid() ? "true" : "false") + "}\n");
            }
            std::ofstream out(file, std::ios::trunc);
            out << json;
            if (!out) {
                log.error("cannot write the snapshot \"{}\"", file);
                ok = false;
            } else {
                log.info("snapshot of feed {} written to {}", c.feeds[p.feed_index].name, file);
            }
        }
    }
    return ok;
}

void print_memory_plan(const resources& r, const gateway_config& c, bool huge, spdlog::logger& log) {
    log.info("memory plan ({}):", huge ? "2 MB hugepages" : "--no-huge, 4 KiB pages");
    for (std::size_t i = 0; i < r.pools.size(); ++i) {
        const rte_mempool* pool = r.pools[i];
        log.info("  mempool {:<16} {} mbufs x {} B = {} (socket {}) for port {} RX", pool->name, pool->size,
                 pool->elt_size + pool->header_size + pool->trailer_size,
                 kib(std::uint64_t{pool->size} * (pool->elt_size + pool->header_size + pool->trailer_size)), pool->socket_id,
                 c.ports[i].name);
    }
    for (const worker_slot& s : r.workers) {
        log.info("  lcore {} (socket {}): executor {}, books {} ({} feed(s)), latency histograms {}, TX pool {} mbufs, event ring {} x 64 B",
                 s.lcore, rte_lcore_to_socket_id(s.lcore), kib(s.w->executor_bytes()), kib(s.w->book_bytes()), s.feeds.size(),
                 kib(s.latency ? latency_probe::required_bytes({1, c.latency.highest_ns, c.latency.significant_digits}) : 0),
                 s.tx_pool ? s.tx_pool->size : 0, c.worker.event_ring_size);
    }
}

}  // namespace

int run_gateway(const cli_options& options, gateway_config config) {
    apply_overrides(options, config);
    std::string error;
    auto log = make_logger(config.logging, error);
    if (!log) {
        std::fprintf(stderr, "hypertick-gw: %s\n", error.c_str());
        return 2;
    }
    eal_plan plan;
    if (!plan_eal(config, read_hugepage_state(), "hypertick-gw", plan)) {
        log->error("eal.hugepages is on but hugepages are not available: {}", plan.hugepage_reason);
        return 1;
    }
    std::string joined;
    for (const std::string& a : plan.args) joined += a + " ";
    if (options.check_config) {
        std::printf("configuration %s is valid\n", config.source_path.c_str());
        std::printf("  EAL: %s\n  hugepages: %s (%s)\n", joined.c_str(), plan.use_hugepages ? "yes" : "no",
                    plan.hugepage_reason.c_str());
        for (const feed_settings& f : config.feeds)
            std::printf("  feed %s: port %s queue %u on lcore %u, group %s, udp port %s\n", f.name.c_str(), f.port.c_str(),
                        f.rx_queue, f.lcore, f.group ? format_ipv4(*f.group).c_str() : "any",
                        f.udp_port ? std::to_string(*f.udp_port).c_str() : "any");
        if (config.publisher.enabled)
            std::printf("  publisher: port %s from TX queue %u to %s:%u\n", config.publisher.port.c_str(),
                        config.publisher.tx_queue, format_ipv4(config.publisher.destination_group).c_str(),
                        config.publisher.destination_port);
        return 0;
    }
    log->info("hypertick-gw starting with {}", config.source_path);
    log->info("hugepages: {} ({})", plan.use_hugepages ? "yes" : "no", plan.hugepage_reason);
    log->info("EAL: {}", joined);

    resources res;
    std::vector<char*> argv;
    for (std::string& a : plan.args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (rte_eal_init(static_cast<int>(argv.size() - 1), argv.data()) < 0) {
        log->error("rte_eal_init failed: {}", rte_strerror(rte_errno));
        return 1;
    }
    res.eal_up = true;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    const tsc_clock clock(50'000'000);  // calibrated against CLOCK_MONOTONIC (DPDK's rate is rounded)
    log->info("TSC: {:.6f} GHz measured (DPDK reports {:.6f})", clock.ticks_per_ns(), static_cast<double>(rte_get_tsc_hz()) / 1e9);

    for (const port_settings& p : config.ports) {
        const int socket = 0;
        rte_mempool* pool = create_packet_pool("ht_rx_" + p.name, p.mempool_mbufs, p.mempool_cache, p.max_frame_bytes, socket,
                                               plan.use_hugepages, error);
        if (pool == nullptr) {
            log->error("port {}: mempool of {} mbufs: {} (raise eal.memory_mb or lower mempool_mbufs)", p.name, p.mempool_mbufs, error);
            return 1;
        }
        res.pools.push_back(pool);
        port_state state;
        if (!bring_up_port(p, pool, state, error)) {
            log->error("{}", error);
            return 1;
        }
        check_link(state, 1000);
        res.ports.push_back(state);
        log->info("port {} ({}): DPDK port {}, {} RX / {} TX queue(s), link {}{}", p.name, dpdk_device_name(p.device),
                  state.port_id, p.rx_queues, p.tx_queues, state.link_up ? "up" : "DOWN",
                  state.link_up && state.link_speed_mbps ? " " + std::to_string(state.link_speed_mbps) + " Mb/s" : "");
    }
    auto port_id_of = [&](const std::string& name) {
        for (std::size_t i = 0; i < config.ports.size(); ++i)
            if (config.ports[i].name == name) return res.ports[i].port_id;
        return std::uint16_t{0};
    };

    const stats::histogram_params hparams{1, config.latency.highest_ns, config.latency.significant_digits};
    const std::vector<std::uint32_t> lcores = config.worker_lcores();
    for (std::size_t i = 0; i < lcores.size(); ++i) {
        const std::uint32_t lcore = lcores[i];
        if (!rte_lcore_is_enabled(lcore)) {
            log->error("lcore {} owns a feed but EAL did not enable it (eal.lcores \"{}\")", lcore, config.eal.lcores);
            return 1;
        }
        const int socket = static_cast<int>(rte_lcore_to_socket_id(lcore));
        worker_slot s;
        s.lcore = lcore;
        for (std::size_t f = 0; f < config.feeds.size(); ++f)
            if (config.feeds[f].lcore == lcore) s.feeds.push_back(static_cast<std::uint16_t>(f));
        res.workers.push_back(s);
        worker_slot& slot = res.workers.back();
        const std::string ring_name = "ht_events_" + std::to_string(lcore);
        slot.events = rte_ring_create_elem(ring_name.c_str(), sizeof(worker_event), config.worker.event_ring_size, socket,
                                           RING_F_SP_ENQ | RING_F_SC_DEQ);
        void* shared_memory = rte_zmalloc_socket("ht_shared", sizeof(worker_shared), 64, socket);
        if (slot.events == nullptr || shared_memory == nullptr) {
            log->error("lcore {}: no memory for its event ring or shared counters: raise eal.memory_mb", lcore);
            return 1;
        }
        slot.shared = new (shared_memory) worker_shared();
        const bool recovers = std::any_of(slot.feeds.begin(), slot.feeds.end(), [&](std::uint16_t f) { return config.feeds[f].recovery.enabled; });
        if (config.publisher.enabled || recovers) {
            slot.tx_pool = create_packet_pool("ht_tx_" + std::to_string(lcore), 2047, 64,
                                               static_cast<std::uint16_t>(config.publisher.max_datagram_bytes + 64), socket,
                                               plan.use_hugepages, error);
            if (slot.tx_pool == nullptr) {
                log->error("lcore {}: TX mempool: {}", lcore, error);
                return 1;
            }
        }
        if (config.latency.enabled) {
            const std::size_t bytes = latency_probe::required_bytes(hparams);
            slot.latency_memory = rte_zmalloc_socket("ht_latency", bytes, 64, socket);
            void* probe_memory = rte_zmalloc_socket("ht_probe", sizeof(latency_probe), 64, socket);
            if (slot.latency_memory == nullptr || probe_memory == nullptr) {
                log->error("lcore {}: no memory for latency histograms: raise eal.memory_mb", lcore);
                return 1;
            }
            slot.latency = new (probe_memory) latency_probe(hparams, stats::tsc_to_ns(clock),
                                                            {static_cast<std::byte*>(slot.latency_memory), bytes});
        }
        worker_params wp;
        wp.lcore = lcore;
        wp.index = static_cast<std::uint8_t>(i);
        wp.config = &config;
        wp.feed_indices = slot.feeds;
        for (std::uint16_t f : slot.feeds) {
            feed_line_ports ports{};
            const feed_settings& fs = config.feeds[f];
            for (std::size_t l = 0; l < fs.lines.size(); ++l) ports[l] = port_id_of(fs.lines[l].port);
            if (fs.recovery.enabled) ports[feed::max_feed_lines - 1] = port_id_of(fs.recovery.port);
            wp.feed_line_port_ids.push_back(ports);
        }
        wp.publish = config.publisher.enabled;
        wp.publish_port_id = config.publisher.enabled ? port_id_of(config.publisher.port) : 0;
        wp.publish_queue = static_cast<std::uint16_t>(config.publisher.tx_queue + i);
        wp.tx_pool = slot.tx_pool;
        wp.events = slot.events;
        wp.shared = slot.shared;
        wp.clock = &clock;
        wp.latency = slot.latency;
        wp.restart_sequence = options.restart_sequence;
        void* worker_memory = rte_malloc_socket("ht_worker", sizeof(worker), 64, socket);
        if (worker_memory == nullptr) {
            log->error("lcore {}: no memory for the worker ({}): raise eal.memory_mb", lcore, kib(sizeof(worker)));
            return 1;
        }
        slot.w = new (worker_memory) worker(wp);
        if (!slot.w->ready(error)) {
            log->error("lcore {}: {}", lcore, error);
            return 1;
        }
    }
    print_memory_plan(res, config, plan.use_hugepages, *log);

    telemetry_view view{&config, {}};
    for (const worker_slot& s : res.workers) view.workers.push_back({s.lcore, s.shared, s.feeds});
    if (config.eal.telemetry && !register_telemetry(&view)) log->warn("DPDK telemetry commands could not be registered");

    std::vector<latency_log::source> sources;
    for (const worker_slot& s : res.workers)
        if (s.latency) sources.push_back({s.lcore, s.latency});
    std::unique_ptr<latency_log> latency;
    if (config.latency.enabled) {
        latency = std::make_unique<latency_log>(hparams, sources);
        latency->set_interval_ms(config.latency.interval_ms);
        const std::string path = options.latency_log.empty() ? config.latency.log_path : options.latency_log;
        if (!latency->open(path, realtime_s(), error)) {
            log->error("{}", error);
            return 1;
        }
        if (!path.empty()) log->info("latency log: {} (every {} ms)", path, config.latency.interval_ms);
    }

    for (worker_slot& s : res.workers) {
        if (rte_eal_remote_launch(worker::lcore_main, s.w, s.lcore) != 0) {
            log->error("lcore {}: rte_eal_remote_launch failed", s.lcore);
            for (worker_slot& o : res.workers) o.shared->stop.store(true);
            rte_eal_mp_wait_lcore();
            return 1;
        }
        s.launched = true;
    }
    log->info("{} worker lcore(s) running; Ctrl-C to stop", res.workers.size());

    control_plane control(config, options, res, *log);
    service_notifier systemd;  // does nothing outside a Type=notify unit (no NOTIFY_SOCKET)
    for (const worker_slot& s : res.workers) systemd.watch(s.lcore, &s.shared->progress);
    systemd.ready(std::to_string(res.workers.size()) + " worker lcore(s) polling " + std::to_string(config.feeds.size()) + " feed(s)", monotonic_s());
    control.run(latency.get(), systemd);
    if (latency) latency->finish(realtime_s());

    int exit_code = 0;
    for (const worker_slot& s : res.workers) {
        const publisher_counters& pc = s.w->publisher();
        for (std::uint32_t i = 0; i < s.w->feed_count(); ++i) {
            const feed_pipeline& p = s.w->feed(i);
            const auto& sc = p.receiver.sequencer().counters();
            const auto& fc = p.receiver.counters();
            const auto& bc = p.books.counters();
            log->info("feed {}: {} frames, {} datagrams, {} messages, next seq {}, gaps {} ({} missing), duplicates {}, malformed {}, filtered {}, unknown types {}",
                      config.feeds[p.feed_index].name, fc.frames, fc[feed::FeedEvent::datagram_accepted], sc.messages,
                      p.receiver.sequencer().next_expected(), sc.gaps, sc.missing_messages, sc.duplicate_messages,
                      fc.malformed_total(), fc[feed::FeedEvent::frame_filtered], fc[feed::FeedEvent::message_unknown_type]);
            if (p.arbiter != nullptr) {
                static const char* line_names[] = {"A", "B", "re-request answers"};
                for (std::uint32_t l = 0; l < p.line_count; ++l) {
                    if (!p.lines[l].used) continue;
                    const feed::LineCounters& lc = p.arbiter->line(l);
                    log->info("feed {}: line {}: {} datagrams, {} first arrivals, {} duplicates, {} messages missed on this line",
                              config.feeds[p.feed_index].name, line_names[l], lc.datagrams, lc.first_arrivals, lc.duplicates,
                              lc.missed_messages);
                }
                const feed::ArbiterCounters& ac = p.arbiter->counters();
                log->info("feed {}: recovery state {}, books {}, held {} (released {}), gaps opened {}, holes skipped {}, hold full {}, re-requests {} sent ({} asked, {} dropped)",
                          config.feeds[p.feed_index].name, feed::to_string(p.arbiter->state()),
                          p.arbiter->books_valid() ? "valid" : "INVALID", ac.held_messages, ac.released_messages, ac.gaps_opened,
                          ac.gaps_skipped, ac.hold_full, p.rerequests.counters().sent, ac.requests, p.rerequests.counters().dropped);
            }
            log->info("feed {}: not for us: {} not IPv4, {} not UDP, {} IP fragments, {} other groups/ports; malformed by reason: {}",
                      config.feeds[p.feed_index].name, fc[feed::FeedEvent::frame_not_ipv4], fc[feed::FeedEvent::frame_not_udp],
                      fc[feed::FeedEvent::ip_fragment], fc[feed::FeedEvent::frame_filtered], malformed_breakdown(fc));
            log->info("feed {}: books: {} live orders, {} adds, {} executions, {} cancels, {} deletes, {} replaces, {} unknown refs, {} duplicate refs, capacity drops {}, BBO updates {}",
                      config.feeds[p.feed_index].name, p.books.live_orders(), bc.adds, bc.executions, bc.cancels, bc.deletes,
                      bc.replaces, bc.unknown_refs, bc.duplicate_refs, bc.book_pool_full + bc.order_table_full + bc.level_side_full,
                      bc.bbo_updates);
        }
        log->info("lcore {}: {} loop turns, {} polls, {} stalls; published {} datagrams ({} records), {} dropped at TX, {} without buffers",
                  s.lcore, s.w->exec().stats().loop_iterations, s.w->exec().stats().polls, s.w->exec().stats().stalls,
                  pc.datagrams, pc.records, pc.tx_dropped, pc.no_buffers);
        if (s.shared->heap_counted.load())
            log->info("lcore {}: heap calls after start-up: {}", s.lcore, s.shared->heap_calls.load());
    }
    for (std::size_t i = 0; i < res.ports.size(); ++i) {
        rte_eth_stats st{};
        if (rte_eth_stats_get(res.ports[i].port_id, &st) != 0) continue;
        // The device's own drops: ierrors (e.g. frames longer than max_frame_bytes), imissed
        // (RX ring full: the worker fell behind), rx_nombuf (mempool empty).
        log->info("port {}: rx {} packets, {} errors, {} missed, {} no-mbuf; tx {} packets, {} errors", config.ports[i].name,
                  st.ipackets, st.ierrors, st.imissed, st.rx_nombuf, st.opackets, st.oerrors);
    }
    if (!options.snapshot_path.empty() && !write_snapshots(res, config, options.snapshot_path, *log)) exit_code = 1;
    print_top_of_book(res, config, options.show_symbols);
    if (latency) print_latency(*latency);
    std::fflush(stdout);
    log->info("hypertick-gw stopped cleanly");
    return exit_code;
}

}  // namespace hypertick::gw
