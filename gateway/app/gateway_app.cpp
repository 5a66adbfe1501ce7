#include "app/gateway_app.hpp"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <new>
#include <thread>

#include "app/replay_pacer.hpp"
#include "app/start_checks.hpp"
#include "config/config_loader.hpp"
#include "config/config_summary.hpp"
#include "contract/worker_event.hpp"
#include "control/control_plane.hpp"
#include "control/final_report.hpp"
#include "control/latency_log.hpp"
#include "control/log_output.hpp"
#include "control/publish_capture.hpp"
#include "control/service_notifier.hpp"
#include "control/telemetry.hpp"
#include "dpdk/eal_args.hpp"
#include "dpdk/mempool.hpp"
#include "dpdk/ports.hpp"
#include "hypertick/base/size_text.hpp"
#include "hypertick/book/snapshot_json.hpp"
#include "hypertick/feed/copy_key.hpp"
#include "hypertick/feed/pcap_file.hpp"
#include "memory/memory_plan.hpp"
#include "runtime/allocation_check.hpp"
#include "runtime/gateway_resources.hpp"
#include "worker/worker.hpp"

namespace hypertick::gw {
namespace {

using base::kib;

// --replay and --publish-pcap swap configured devices for net_pcap ones; everything else
// (queues, lcores, the whole data path) stays as configured.
void apply_overrides(const cli_options& o, gateway_config& c) {
    for (port_settings& port : c.ports) {
        const bool feeds_here =
            std::any_of(c.feeds.begin(), c.feeds.end(), [&](const feed_settings& f) {
                return std::any_of(f.lines.begin(), f.lines.end(),
                                   [&](const line_settings& l) { return l.port == port.name; });
            });
        // --replay-b: a port carrying some feed's B line reads the B capture.
        const bool b_line_here =
            std::any_of(c.feeds.begin(), c.feeds.end(), [&](const feed_settings& f) {
                return f.lines.size() > 1 && f.lines[1].port == port.name;
            });
        const std::string& capture =
            b_line_here && !o.replay_b_capture.empty() ? o.replay_b_capture : o.replay_capture;
        const bool publishes_here =
            c.publisher.enabled && c.publisher.port == port.name && !o.publish_pcap.empty();
        if (!(feeds_here && !o.replay_capture.empty()) && !publishes_here) continue;
        if (feeds_here && !o.replay_capture.empty() && o.pace != "max") {
            // Paced: a net_ring port the gateway makes after EAL start-up (replay_pacer.hpp).
            port.device = "net_ring_" + port.name;
            port.created_by_gateway = true;
            continue;
        }
        std::string device = "net_pcap_" + port.name;
        if (feeds_here && !o.replay_capture.empty()) {
            for (std::uint16_t q = 0; q < port.rx_queues; ++q) device += ",rx_pcap=" + capture;
            if (o.loop_capture) device += ",infinite_rx=1";
        }
        if (publishes_here) {
            // net_pcap writes one file per TX queue: queue 0 -> OUT, queue n -> OUT.n
            for (std::uint16_t q = 0; q < port.tx_queues; ++q)
                device += ",tx_pcap=" + publish_capture_file(o.publish_pcap, q);
        }
        port.device = device;
    }
}

// The paced replay's ports: one RX ring per queue (filled by the pacer) and a TX ring each,
// made into net_ring ethdevs named as the configuration's devices now say.
bool make_paced_ports(const cli_options& o, const gateway_config& c,
                      std::vector<replay_pacer::stream>& streams, spdlog::logger& log) {
    for (const port_settings& port : c.ports) {
        if (!port.created_by_gateway) continue;
        const bool b_line_here =
            std::any_of(c.feeds.begin(), c.feeds.end(), [&](const feed_settings& f) {
                return f.lines.size() > 1 && f.lines[1].port == port.name;
            });
        std::vector<rte_ring*> rx, tx;
        for (std::uint16_t q = 0; q < std::max(port.rx_queues, port.tx_queues); ++q) {
            const std::string rx_name = "ht_pace_" + port.name + "_rx" + std::to_string(q);
            const std::string tx_name = "ht_pace_" + port.name + "_tx" + std::to_string(q);
            rx.push_back(rte_ring_create(rx_name.c_str(), paced_rx_ring_entries, 0,
                                         RING_F_SP_ENQ | RING_F_SC_DEQ));
            tx.push_back(rte_ring_create(tx_name.c_str(), paced_tx_ring_entries, 0,
                                         RING_F_SP_ENQ | RING_F_SC_DEQ));
            if (rx.back() == nullptr || tx.back() == nullptr) {
                log.error("port {}: no memory for the paced replay's rings: raise eal.memory_mb",
                          port.name);
                return false;
            }
            if (q < port.rx_queues)
                streams.push_back({b_line_here && !o.replay_b_capture.empty() ? o.replay_b_capture
                                                                              : o.replay_capture,
                                   rx_name});
        }
        const int id = rte_eth_from_rings(port.name.c_str(),  // DPDK names it net_ring_<name>
                                          rx.data(), port.rx_queues, tx.data(), port.tx_queues, 0);
        if (id < 0) {
            log.error("port {}: rte_eth_from_rings failed: {}", port.name, rte_strerror(rte_errno));
            return false;
        }
        char name[RTE_ETH_NAME_MAX_LEN] = {};
        (void)rte_eth_dev_get_name_by_port(static_cast<std::uint16_t>(id), name);
        log.info("port {}: paced through {} (DPDK port {})", port.name, name, id);
    }
    return true;
}

// --check-config: what the configuration would run, without starting anything.
void print_check_config(const gateway_config& config, const eal_plan& plan,
                        const std::string& joined) {
    std::printf("configuration %s is valid\n", config.source_path.c_str());
    std::printf("  EAL: %s\n  hugepages: %s (%s)\n", joined.c_str(),
                plan.use_hugepages ? "yes" : "no", plan.hugepage_reason.c_str());
    for (const feed_settings& f : config.feeds) std::fputs(describe_feed(f, 2).c_str(), stdout);
    if (config.publisher.enabled)
        std::printf("  publisher: port %s from TX queue %u to %s:%u\n",
                    config.publisher.port.c_str(), config.publisher.tx_queue,
                    format_ipv4(config.publisher.destination_group).c_str(),
                    config.publisher.destination_port);
}

// Mempools first, then each port configured, started and its link checked (l2fwd's order).
bool bring_up_ports(const gateway_config& config, bool hugepages, resources& res,
                    spdlog::logger& log) {
    std::string error;
    for (std::size_t i = 0; i < config.ports.size(); ++i) {
        const port_settings& p = config.ports[i];
        const pool_plan& planned = res.plan.rx_pools[i];
        // Socket 0: a vdev has no NUMA node; a real NIC's pool belongs on its socket
        // (docs/deploy.md).
        const int socket = 0;
        rte_mempool* pool = create_packet_pool(planned.name, planned.mbufs, planned.cache,
                                               planned.frame_bytes, socket, hugepages, error);
        if (pool == nullptr) {
            log.error(
                "port {}: mempool of {} mbufs: {} (raise eal.memory_mb or lower mempool_mbufs)",
                p.name, p.mempool_mbufs, error);
            return false;
        }
        res.pools.push_back(pool);
        port_state state;
        if (!bring_up_port(p, pool, state, error)) {
            log.error("{}", error);
            return false;
        }
        check_link(state, 1000);
        res.ports.push_back(state);
        log.info("port {} ({}): DPDK port {}, {} RX / {} TX queue(s), link {} {} Mb/s", p.name,
                 dpdk_device_name(p.device), state.port_id, p.rx_queues, p.tx_queues,
                 state.link_up ? "up" : "DOWN", state.link_speed_mbps);
    }
    return true;
}

// Stops the publisher port, so net_pcap flushes and closes its files, then checks that they
// hold everything the port sent. False after logging what was lost.
bool check_publish_captures(const cli_options& o, const gateway_config& c, resources& res,
                            spdlog::logger& log) {
    for (std::size_t i = 0; i < c.ports.size(); ++i) {
        if (c.ports[i].name != c.publisher.port) continue;
        const std::vector<publish_capture> sent =
            expected_publish_captures(o.publish_pcap, res.ports[i].port_id, c.ports[i].tx_queues);
        shut_down_port(res.ports[i]);
        bool complete = true;
        for (const publish_capture& file : sent) {
            if (const std::string lost = publish_capture_problem(file); !lost.empty()) {
                log.error("{}", lost);
                complete = false;
            }
        }
        return complete;
    }
    return true;
}

// The run once the log is open: every line goes through `log`, every exit path returns here.
int run_logged(const cli_options& options, gateway_config config,
               const std::shared_ptr<spdlog::logger>& log) {
    std::string error;
    eal_plan plan;
    if (!plan_eal(config, read_hugepage_state(), "hypertick-gw", plan)) {
        log->error("eal.hugepages is on but hugepages are not available: {}", plan.hugepage_reason);
        return 1;
    }
    std::string joined;
    for (const std::string& a : plan.args) joined += a + " ";
    if (options.check_config) {
        print_check_config(config, plan, joined);
        return 0;
    }
    install_stop_signal_handlers();
    log->info("hypertick-gw starting with {}", config.source_path);
    log->info("hugepages: {} ({})", plan.use_hugepages ? "yes" : "no", plan.hugepage_reason);
    log->info("EAL: {}", joined);

    resources res;
    res.plan = plan_memory(config);
    std::vector<char*> argv;
    for (std::string& a : plan.args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (const std::string holder =
            plan.use_hugepages ? file_prefix_holder(config.eal.file_prefix) : "";
        !holder.empty()) {
        log->error("cannot start: {}", holder);
        return 1;
    }
    if (rte_eal_init(static_cast<int>(argv.size() - 1), argv.data()) < 0) {
        // EAL leaves rte_errno at 0 on some paths (a locked prefix): its own lines above say why.
        log->error("rte_eal_init failed: {}",
                   rte_errno != 0 ? rte_strerror(rte_errno) : "see the EAL messages above");
        return 1;
    }
    res.eal_up = true;

    const tsc_clock clock(
        50'000'000);  // calibrated against CLOCK_MONOTONIC (DPDK's rate is rounded)
    log->info("TSC: {:.6f} GHz measured (DPDK reports {:.6f})", clock.ticks_per_ns(),
              static_cast<double>(rte_get_tsc_hz()) / 1e9);

    std::uint64_t capture_start_ns = 0;
    if (options.capture_clock) {
        // Virtual time starts at the replay's first record, so the timers armed before it count
        // from the capture's own beginning.
        capture_start_ns = ~std::uint64_t{0};
        for (const std::string& path : {options.replay_capture, options.replay_b_capture}) {
            feed::pcap_reader reader;
            feed::pcap_record first;
            if (!path.empty() && reader.open(path) && reader.next(first))
                capture_start_ns = std::min(capture_start_ns, first.timestamp_ns);
        }
        if (capture_start_ns == ~std::uint64_t{0}) capture_start_ns = 0;
        capture_start_ns = capture_start_ns / 1000 * 1000;  // the devices stamp microseconds
        log->info(
            "clock: capture time (virtual, from {} ns); latency metrics are off: they would "
            "measure virtual time",
            capture_start_ns);
    }
    // Declared after `res`: the pacer thread stops before the ports and EAL go away.
    replay_pacer pacer;
    pace_mode pace;
    (void)parse_pace(options.pace, pace);  // checked with the command line
    if (pace.how != pace_mode::kind::max) {
        std::vector<replay_pacer::stream> streams;
        if (!make_paced_ports(options, config, streams, *log)) return 1;
        if (const std::string e = pacer.prepare(pace, streams, clock.ticks_per_ns() * 1e9, 0);
            !e.empty()) {
            log->error("paced replay: {}", e);
            return 1;
        }
        log->info("paced replay: {} into net_ring ports", describe(pace));
    }
    if (!bring_up_ports(config, plan.use_hugepages, res, *log)) return 1;
    auto port_id_of = [&](const std::string& name) {
        for (std::size_t i = 0; i < config.ports.size(); ++i)
            if (config.ports[i].name == name) return res.ports[i].port_id;
        return std::uint16_t{0};
    };

    // The copy check's secret (docs/protocol.md rule 10): drawn once, shown nowhere.
    feed::copy_key copy_key;
    if (const int e = feed::draw_copy_key(copy_key); e != 0) {
        log->error(
            "cannot draw the copy check's secret key: getrandom: {} (the A/B copy comparison "
            "would be forgeable without it)",
            std::strerror(e));
        return 1;
    }

    const stats::histogram_params hparams{1, config.latency.highest_ns,
                                          config.latency.significant_digits};
    for (std::size_t i = 0; i < res.plan.lcores.size(); ++i) {
        const lcore_memory_plan& planned = res.plan.lcores[i];
        const std::uint32_t lcore = planned.lcore;
        if (!rte_lcore_is_enabled(lcore)) {
            log->error("lcore {} owns a feed but EAL did not enable it (eal.lcores \"{}\")", lcore,
                       config.eal.lcores);
            return 1;
        }
        const int socket = static_cast<int>(rte_lcore_to_socket_id(lcore));
        worker_slot s;
        s.lcore = lcore;
        for (const feed_memory_plan& f : planned.feeds) s.feeds.push_back(f.feed);
        res.workers.push_back(s);
        worker_slot& slot = res.workers.back();
        const std::string ring_name = "ht_events_" + std::to_string(lcore);
        slot.events =
            rte_ring_create_elem(ring_name.c_str(), sizeof(worker_event),
                                 planned.event_ring_entries, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
        void* shared_memory = rte_zmalloc_socket("ht_shared", sizeof(worker_shared), 64, socket);
        if (slot.events == nullptr || shared_memory == nullptr) {
            log->error(
                "lcore {}: no memory for its event ring or shared counters: raise eal.memory_mb",
                lcore);
            return 1;
        }
        slot.shared = new (shared_memory) worker_shared();
        if (planned.tx_pool.mbufs != 0) {
            slot.tx_pool = create_packet_pool(planned.tx_pool.name, planned.tx_pool.mbufs,
                                              planned.tx_pool.cache, planned.tx_pool.frame_bytes,
                                              socket, plan.use_hugepages, error);
            if (slot.tx_pool == nullptr) {
                log->error("lcore {}: TX mempool: {}", lcore, error);
                return 1;
            }
        }
        if (planned.latency_bytes != 0) {
            const std::size_t bytes = latency_probe::required_bytes(hparams);
            slot.latency_memory = rte_zmalloc_socket("ht_latency", bytes, 64, socket);
            void* probe_memory = rte_zmalloc_socket("ht_probe", sizeof(latency_probe), 64, socket);
            if (slot.latency_memory == nullptr || probe_memory == nullptr) {
                log->error("lcore {}: no memory for latency histograms: raise eal.memory_mb",
                           lcore);
                return 1;
            }
            slot.latency = new (probe_memory)
                latency_probe(hparams, stats::tsc_to_ns(clock),
                              {static_cast<std::byte*>(slot.latency_memory), bytes});
        }
        worker_params wp;
        wp.lcore = lcore;
        wp.config = &config;
        wp.plan = &planned;
        for (std::uint16_t f : slot.feeds) {
            feed_line_ports ports{};
            const feed_settings& fs = config.feeds[f];
            for (std::size_t l = 0; l < fs.lines.size(); ++l)
                ports[l] = port_id_of(fs.lines[l].port);
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
        wp.copy_key = copy_key;
        wp.capture_clock = options.capture_clock;
        wp.capture_start_ns = capture_start_ns;
        void* worker_memory = rte_malloc_socket("ht_worker", sizeof(worker), 64, socket);
        if (worker_memory == nullptr) {
            log->error("lcore {}: no memory for the worker ({}): raise eal.memory_mb", lcore,
                       kib(sizeof(worker)));
            return 1;
        }
        slot.w = new (worker_memory) worker(wp);
        if (!slot.w->ready(error)) {
            log->error("lcore {}: {}", lcore, error);
            return 1;
        }
    }
    const std::vector<std::string> mismatches = allocation_mismatches(res);
    for (const std::string& m : mismatches)
        log->error("memory plan differs from what was allocated: {}", m);
    if (!mismatches.empty()) return 1;
    print_memory_plan(res, config, plan.use_hugepages, *log);

    telemetry_view view{&config, {}};
    for (const worker_slot& s : res.workers) view.workers.push_back({s.lcore, s.shared, s.feeds});
    if (config.eal.telemetry && !register_telemetry(&view))
        log->warn("DPDK telemetry commands could not be registered");
    // Declared after `view` and `res`: telemetry stops reading, and DPDK's telemetry clients
    // are disconnected, before either goes away.
    struct telemetry_closer {
        spdlog::logger& log;
        ~telemetry_closer() {
            const telemetry_disconnect_result r = close_telemetry();
            if (r.still_open != 0)
                log.warn(
                    "{} of {} telemetry connections still open 1 s after shutting them "
                    "down: a DPDK command answered during teardown may read freed memory",
                    r.still_open, r.connections_shut);
        }
    } const close_telemetry_first{*log};

    std::vector<latency_log::source> sources;
    for (const worker_slot& s : res.workers)
        if (s.latency) sources.push_back({s.lcore, s.latency});
    std::unique_ptr<latency_log> latency;
    if (config.latency.enabled) {
        latency = std::make_unique<latency_log>(hparams, sources);
        latency->set_interval_ms(config.latency.interval_ms);
        const std::string path =
            options.latency_log.empty() ? config.latency.log_path : options.latency_log;
        if (!latency->open(path, realtime_s(), error)) {
            log->error("{}", error);
            return 1;
        }
        if (!path.empty())
            log->info("latency log: {} (every {} ms)", path, config.latency.interval_ms);
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

    const stop_conditions stop{!options.replay_capture.empty() && !options.loop_capture,
                               options.duration_s};
    control_plane control(config, stop, res, *log);
    if (pace.how != pace_mode::kind::max) {
        control.wait_for_replay_source(&pacer.done());
        cpu_set_t main_cpus = rte_lcore_cpuset(rte_get_main_lcore());
        int cpu = 0;
        while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &main_cpus)) ++cpu;
        pacer.start(cpu);
    }
    service_notifier systemd;  // does nothing outside a Type=notify unit (no NOTIFY_SOCKET)
    for (const worker_slot& s : res.workers) systemd.watch(s.lcore, &s.shared->progress);
    systemd.ready(std::to_string(res.workers.size()) + " worker lcore(s) polling " +
                      std::to_string(config.feeds.size()) + " feed(s)",
                  monotonic_s());
    control.run(latency.get(), systemd);
    if (latency) latency->finish(realtime_s());

    int exit_code = 0;
    if (pace.how != pace_mode::kind::max) {
        const pacer_report p = pacer.stop();
        if (pace.how == pace_mode::kind::merged)
            log->info(
                "paced replay (merged): {} datagrams, {} messages in {:.3f} s: {:.0f} messages/s; "
                "{} waited for room in the worker's ring or the pool",
                p.datagrams, p.messages, p.elapsed_s, p.achieved_messages_per_s, p.waits);
        else
            log->info(
                "paced replay: {} datagrams, {} messages in {:.3f} s: {:.0f} messages/s achieved, "
                "{:.0f} offered; "
                "sent late by p50 {} ns, p99 {} ns, max {} ns; dropped: {} (worker's ring full), "
                "{} (no mbuf)",
                p.datagrams, p.messages, p.elapsed_s, p.achieved_messages_per_s,
                p.offered_messages_per_s, p.late_ns_p50, p.late_ns_p99, p.late_ns_max, p.ring_full,
                p.no_mbuf);
    }
    log_final_counters(res, config, *log);
    if (!options.snapshot_path.empty() &&
        !write_snapshots(res, config, options.snapshot_path, *log))
        exit_code = 1;
    if (!options.publish_pcap.empty() && !check_publish_captures(options, config, res, *log))
        exit_code = 1;
    print_top_of_book(res, config, options.show_symbols);
    if (latency) print_latency(*latency);
    if (latency && !latency->write_error().empty()) {
        log->error("latency log: {} (the percentiles above are complete)", latency->write_error());
        exit_code = 1;
    }
    std::fflush(stdout);
    if (exit_code == 0)
        log->info("hypertick-gw stopped cleanly");
    else
        log->error("hypertick-gw stopped; output was lost (see the errors above)");
    return exit_code;
}

}  // namespace

int run_gateway(const cli_options& options, gateway_config config) {
    apply_overrides(options, config);
    if (const std::string why = replay_device_problem(config); !why.empty()) {
        std::fprintf(stderr, "hypertick-gw: %s\n", why.c_str());
        return 2;
    }
    if (options.capture_clock) {
        config.latency.enabled = false;
        for (port_settings& p : config.ports) p.rx_timestamps = true;
    }
    // Before EAL, and under --check-config too: without hugepages EAL has eal.memory_mb and no
    // more, and a plan past it would fail later at whichever allocation comes last.
    if (const std::string why = memory_budget_problem(plan_memory(config), config.eal.memory_mb);
        !why.empty()) {
        std::fprintf(stderr, "hypertick-gw: %s\n", why.c_str());
        return 2;
    }
    std::string error;
    const std::shared_ptr<spdlog::logger> log = make_logger(config.logging, error);
    if (!log) {
        std::fprintf(stderr, "hypertick-gw: %s\n", error.c_str());
        return 2;
    }
    int exit_code = run_logged(options, std::move(config), log);
    // A full disk or a closed pipe under the log or the report loses lines the log cannot
    // carry: standard error says so, and the run is not a success.
    const bool report_lost = std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
    if (const std::string lost = log_loss(*log); !lost.empty()) {
        std::fprintf(stderr, "hypertick-gw: %s\n", lost.c_str());
        if (exit_code == 0) exit_code = 1;
    }
    if (report_lost) {
        std::fprintf(stderr,
                     "hypertick-gw: standard output: write failed: the report printed there is "
                     "incomplete\n");
        if (exit_code == 0) exit_code = 1;
    }
    return exit_code;
}

}  // namespace hypertick::gw
