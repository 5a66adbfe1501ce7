#include "control/final_report.hpp"

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include <cstdio>

#include "control/log_text.hpp"
#include "control/snapshot_path.hpp"
#include "hypertick/base/size_text.hpp"
#include "hypertick/book/feed_validity.hpp"
#include "hypertick/book/snapshot_json.hpp"
#include "hypertick/feed/replace_file.hpp"

namespace hypertick::gw {

namespace {

using base::kib;

std::string malformed_breakdown(const feed::feed_counters& fc) {
    std::string out;
    for (std::uint32_t i = 0; i < feed::feed_event_count; ++i) {
        const auto event = static_cast<feed::feed_event>(i);
        if (!feed::is_malformed(event) || fc[event] == 0) continue;
        out += (out.empty() ? "" : ", ") + std::string(feed::feed_event_names[i]) + " " +
               std::to_string(fc[event]);
    }
    return out.empty() ? "none" : out;
}

// Every counter of a table as "name value, name value, ...", as the worker last published it.
template <class Shared, std::size_t N>
std::string counters_text(const Shared& shared, const shared_counter<Shared> (&table)[N]) {
    std::string out;
    for (const shared_counter<Shared>& c : table)
        out += (out.empty() ? "" : ", ") + std::string(c.name) + " " +
               std::to_string((shared.*c.field).load());
    return out;
}

}  // namespace

void print_top_of_book(const resources& r, const gateway_config& c, std::uint32_t max_lines) {
    std::uint32_t printed = 0;
    std::printf("\nTop of book (first %u symbols with orders; price x shares (orders)):\n",
                max_lines);
    for (const worker_slot& s : r.workers) {
        for (std::uint32_t i = 0; i < s.w->feed_count() && printed < max_lines; ++i) {
            const book::book_manager& books = s.w->feed(i).books;
            for (std::uint32_t locate = 0; locate < book::locate_count && printed < max_lines;
                 ++locate) {
                const auto l = static_cast<std::uint16_t>(locate);
                const book::directory_entry& d = books.directory(l);
                if (!d.listed || (books.level_count(l, book::book_side::bid) == 0 &&
                                  books.level_count(l, book::book_side::ask) == 0))
                    continue;
                const book::top_level bid = books.top(l, book::book_side::bid);
                const book::top_level ask = books.top(l, book::book_side::ask);
                std::printf("  %-8s %-14s bid %10.4f x %-8llu (%u)   ask %10.4f x %-8llu (%u)%s\n",
                            printable_text(book::trimmed_symbol(d)).c_str(),
                            c.feeds[s.w->feed(i).feed_index].name.c_str(), bid.price / 1e4,
                            static_cast<unsigned long long>(bid.shares), bid.orders,
                            ask.price / 1e4, static_cast<unsigned long long>(ask.shares),
                            ask.orders, d.degraded ? "  DEGRADED" : "");
                ++printed;
            }
        }
    }
    if (printed == 0) std::printf("  (no resting orders)\n");
}

void print_latency(const latency_log& latency) {
    std::printf("\nLatency (all worker lcores, ns):\n");
    std::printf("  %-12s %12s %10s %10s %10s %10s\n", "metric", "count", "p50", "p99", "p99.9",
                "max");
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

bool write_snapshots(const resources& r, const gateway_config& c, const std::string& path,
                     spdlog::logger& log) {
    bool ok = true;
    for (const worker_slot& s : r.workers) {
        for (std::uint32_t i = 0; i < s.w->feed_count(); ++i) {
            const feed_pipeline& p = s.w->feed(i);
            const std::string file = feed_snapshot_path(path, c, p.feed_index);
            std::string json;
            const book::feed_summary summary = book::summarize_stream(
                p.receiver.stream(), p.receiver.counters(), p.books.counters());
            book::write_snapshot_json(
                p.books, summary,
                c.books.snapshot_depth == 0 ? book::all_levels : c.books.snapshot_depth, json);
            std::string error;
            if (!feed::replace_file(file, json.data(), json.size(), error)) {
                log.error(
                    "cannot write the snapshot of feed {}: {} (a previous file is left as it was)",
                    c.feeds[p.feed_index].name, error);
                ok = false;
            } else {
                log.info("snapshot of feed {} written to {}", c.feeds[p.feed_index].name, file);
            }
        }
    }
    return ok;
}

void print_memory_plan(const resources& r, const gateway_config& c, bool huge,
                       spdlog::logger& log) {
    const memory_plan& plan = r.plan;
    log.info(
        "memory plan ({}): {} of eal.memory_mb {} MiB, EAL's own allowance included; checked "
        "against what was made:",
        huge ? "2 MB hugepages" : "--no-huge, 4 KiB pages", kib(plan.socket_bytes()),
        c.eal.memory_mb);
    for (std::size_t i = 0; i < plan.rx_pools.size(); ++i) {
        const pool_plan& pool = plan.rx_pools[i];
        log.info("  mempool {:<16} {} mbufs x {} B + header and ring {} = {} for port {} RX",
                 pool.name, pool.mbufs, pool.mbuf_bytes(), kib(pool.header_bytes()),
                 kib(pool.bytes()), c.ports[i].name);
    }
    if (plan.paced_ring_bytes != 0) log.info("  paced replay rings {}", kib(plan.paced_ring_bytes));
    for (const lcore_memory_plan& l : plan.lcores) {
        log.info(
            "  lcore {} (socket {}): executor {}, books {} ({} feed(s)), hold windows and copy "
            "rings {}, latency "
            "histograms {}, "
            "TX pool {} mbufs ({}), event ring {} x 64 B, worker {}, shared counters {}",
            l.lcore, rte_lcore_to_socket_id(l.lcore), kib(l.executor_bytes), kib(l.book_bytes()),
            l.feeds.size(), kib(l.hold_bytes()), kib(l.latency_bytes), l.tx_pool.mbufs,
            kib(l.tx_pool.bytes()), l.event_ring_entries, kib(l.worker_bytes), kib(l.shared_bytes));
    }
}

void log_final_counters(const resources& r, const gateway_config& c, spdlog::logger& log) {
    for (const worker_slot& s : r.workers) {
        const publisher_counters& pc = s.w->publisher();
        for (std::uint32_t i = 0; i < s.w->feed_count(); ++i) {
            const feed_pipeline& p = s.w->feed(i);
            const auto& stream = p.receiver.stream();
            const auto& sc = stream.counters();
            const auto& fc = p.receiver.counters();
            const auto& bc = p.books.counters();
            log.info("feed {}: {}, next_seq {}", c.feeds[p.feed_index].name,
                     counters_text(s.shared->feeds[i], feed_counter_table), stream.next_expected());
            static const char* line_names[] = {"A", "B", "re-request answers"};
            for (std::uint32_t l = 0; l < p.line_count; ++l) {
                if (!p.lines[l].used || !p.arbitrated) continue;
                const feed::line_counters& lc = stream.line(l);
                log.info(
                    "feed {}: line {}: {} datagrams, {} first arrivals, {} duplicates, {} messages "
                    "missed on this line",
                    c.feeds[p.feed_index].name, line_names[l], lc.datagrams, lc.first_arrivals,
                    lc.duplicates, lc.missed_messages);
            }
            for (std::uint32_t l = 0; l < feed::max_feed_lines; ++l) {
                std::string drops;
                for (const auto& [name, field] : feed::line_drop_counters) {
                    if (stream.line(l).*field == 0) continue;
                    drops += (drops.empty() ? "" : ", ") + std::string(name) + " " +
                             std::to_string(stream.line(l).*field);
                }
                if (!drops.empty())
                    log.warn("feed {}: line {}: dropped: {}", c.feeds[p.feed_index].name,
                             line_names[l], drops);
            }
            const std::uint32_t invalid = book::books_invalid_reasons(stream.invalid_reasons(), bc);
            if (p.arbitrated) {
                log.info(
                    "feed {}: recovery state {}, books {}, held {} (released {}, past the end "
                    "{}), gaps opened {}, holes skipped {}, hold full {}, re-requests {} sent ({} "
                    "asked, {} dropped)",
                    c.feeds[p.feed_index].name, feed::to_string(stream.state()),
                    invalid == 0 ? "valid" : "INVALID", sc.held_messages, sc.released_messages,
                    sc.past_end_messages, sc.gaps_opened, sc.gaps, sc.hold_full,
                    p.rerequests.counters().sent, sc.requests, p.rerequests.counters().dropped);
            }
            if (stream.settings().verify_window != 0)
                log.info(
                    "feed {}: copies of delivered messages: {} verified, {} mismatched, {} "
                    "unverified",
                    c.feeds[p.feed_index].name, sc.verified_messages, sc.mismatched_messages,
                    sc.unverified_messages);
            if (invalid == 0)
                log.info("feed {}: books valid", c.feeds[p.feed_index].name);
            else
                log.warn("feed {}: books INVALID: {}", c.feeds[p.feed_index].name,
                         book::invalid_reasons_text(invalid));
            log.info(
                "feed {}: not for us: {} not IPv4, {} not UDP, {} IP fragments, {} other "
                "groups/ports; malformed by reason: {}",
                c.feeds[p.feed_index].name, fc[feed::feed_event::frame_not_ipv4],
                fc[feed::feed_event::frame_not_udp], fc[feed::feed_event::ip_fragment],
                fc[feed::feed_event::frame_filtered], malformed_breakdown(fc));
            log.info(
                "feed {}: books: {} live orders, {} adds, {} executions, {} cancels, {} deletes, "
                "{} replaces, {} unknown refs, {} duplicate refs, capacity drops {}, BBO updates "
                "{}",
                c.feeds[p.feed_index].name, p.books.live_orders(), bc.adds, bc.executions,
                bc.cancels, bc.deletes, bc.replaces, bc.unknown_refs, bc.duplicate_refs,
                bc.book_pool_full + bc.order_table_full + bc.level_side_full, bc.bbo_updates);
        }
        log.info("lcore {}: {}", s.lcore, counters_text(*s.shared, worker_counter_table));
        if (s.w->params().publish)
            log.info(
                "lcore {}: published {} records in {} datagrams; {} refused by the TX queue, {} "
                "without buffers",
                s.lcore, pc.records, pc.datagrams, pc.tx_dropped, pc.no_buffers);
        if (s.shared->heap_counted.load())
            log.info("lcore {}: heap calls after start-up: {}", s.lcore,
                     s.shared->heap_calls.load());
    }
    for (std::size_t i = 0; i < r.ports.size(); ++i) {
        rte_eth_stats st{};
        if (rte_eth_stats_get(r.ports[i].port_id, &st) != 0) continue;
        // The device's own drops: ierrors (e.g. frames longer than max_frame_bytes), imissed
        // (RX ring full: the worker fell behind), rx_nombuf (mempool empty).
        log.info(
            "port {}: rx {} packets, {} errors, {} missed, {} no-mbuf; tx {} packets, {} errors",
            c.ports[i].name, st.ipackets, st.ierrors, st.imissed, st.rx_nombuf, st.opackets,
            st.oerrors);
    }
}

}  // namespace hypertick::gw
