// book_replay: a capture through the gateway's decode, sequencing and books. See --help.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "capture_replay.hpp"
#include "hypertick/book/snapshot_json.hpp"
#include "hypertick/feed/replace_file.hpp"
#include "process_memory.hpp"
#include "replay_options.hpp"
#include "tool_cli.hpp"

namespace {

using namespace hypertick;
using ull = unsigned long long;

void print_run(uint32_t run, const book_replay::replay_result& r) {
    const double ns =
        r.messages == 0 ? 0.0 : static_cast<double>(r.elapsed_ns) / static_cast<double>(r.messages);
    std::printf("run %u: %llu messages in %.3f ms: %.2f ns/message, %.2f M messages/s\n", run,
                static_cast<ull>(r.messages), static_cast<double>(r.elapsed_ns) / 1e6, ns,
                ns == 0.0 ? 0.0 : 1e3 / ns);
}

void print_counters(const book_replay::replay_result& r, const book::book_manager& books) {
    const book::feed_summary& f = r.feed;
    std::printf(
        "feed: session \"%s\", packets %llu, messages %llu, next_seq %llu, gaps %llu, "
        "missing %llu, duplicates %llu, heartbeats %llu, rejected %llu, unknown types %llu\n",
        f.session.c_str(), static_cast<ull>(f.packets), static_cast<ull>(f.messages),
        static_cast<ull>(f.next_seq), static_cast<ull>(f.gaps),
        static_cast<ull>(f.missing_messages), static_cast<ull>(f.duplicate_messages),
        static_cast<ull>(f.heartbeats), static_cast<ull>(f.rejected_packets),
        static_cast<ull>(r.feed_counters[feed::feed_event::message_unknown_type]));
    std::printf("feed: state %s, books %s%s%s\n", f.state.c_str(),
                f.invalid_reasons == 0 ? "valid" : "INVALID", f.invalid_reasons == 0 ? "" : ": ",
                book::invalid_reasons_text(f.invalid_reasons).c_str());
    const book::book_counters& c = books.counters();
    std::printf(
        "books: %u in use, %u live orders (peak %u), adds %llu, executions %llu, cancels %llu, "
        "deletes %llu, replaces %llu\n",
        books.books_in_use(), books.live_orders(), books.orders().peak_live(),
        static_cast<ull>(c.adds), static_cast<ull>(c.executions), static_cast<ull>(c.cancels),
        static_cast<ull>(c.deletes), static_cast<ull>(c.replaces));
    std::printf(
        "books: unknown refs %llu, duplicate refs %llu, zero-share adds %llu, over-reductions "
        "%llu, "
        "book pool full %llu, order table full %llu, level side full %llu\n",
        static_cast<ull>(c.unknown_refs), static_cast<ull>(c.duplicate_refs),
        static_cast<ull>(c.zero_share_adds), static_cast<ull>(c.over_reductions),
        static_cast<ull>(c.book_pool_full), static_cast<ull>(c.order_table_full),
        static_cast<ull>(c.level_side_full));
    std::printf("order window: %llu slots", static_cast<ull>(books.orders().window_slots()));
    for (const auto& [name, field] : book::order_window_counter_fields)
        std::printf(", %s %llu", name, static_cast<ull>(books.orders().window_counters().*field));
    std::printf("\n");
    uint32_t degraded = 0;
    for (uint32_t locate = 0; locate < book::locate_count; ++locate) {
        degraded += books.directory(static_cast<uint16_t>(locate)).degraded != 0;
    }
    std::printf(
        "bbo: %llu updates (checksum %016llx), %llu dropped by a full buffer, %llu crossed; "
        "degraded symbols %u\n",
        static_cast<ull>(r.bbo_updates_drained), static_cast<ull>(r.bbo_checksum),
        static_cast<ull>(r.bbo_overflowed), static_cast<ull>(c.crossed_bbo), degraded);
}

// What the frame parser made of a pcap's frames: the ones the replay did not accept reach no
// other counter, so without this line a capture of nothing but other traffic looks like a
// quiet feed. Every frame has exactly one of these outcomes; the rest are broken headers.
void print_frames(const book_replay::replay_result& r) {
    const feed::feed_counters& c = r.feed_counters;
    const uint64_t accepted = c[feed::feed_event::frame_accepted];
    const uint64_t not_ipv4 = c[feed::feed_event::frame_not_ipv4];
    const uint64_t not_udp = c[feed::feed_event::frame_not_udp];
    const uint64_t filtered = c[feed::feed_event::frame_filtered];
    const uint64_t fragments = c[feed::feed_event::ip_fragment];
    std::printf(
        "frames: %llu, accepted %llu, not IPv4 %llu, not UDP %llu, filtered %llu, IP fragments "
        "%llu, malformed headers %llu\n",
        static_cast<ull>(c.frames), static_cast<ull>(accepted), static_cast<ull>(not_ipv4),
        static_cast<ull>(not_udp), static_cast<ull>(filtered), static_cast<ull>(fragments),
        static_cast<ull>(c.frames - accepted - not_ipv4 - not_udp - filtered - fragments));
}

// A pcap with frames of which the replay accepted none: its empty books say nothing about the
// feed, so the run fails rather than report valid books.
bool accepted_no_frame(const book_replay::loaded_capture& capture,
                       const book_replay::replay_result& r) {
    return capture.kind == book_replay::capture_kind::pcap && !capture.frames.empty() &&
           r.feed_counters[feed::feed_event::frame_accepted] == 0;
}

bool write_snapshot(const book_replay::replay_options& o, const book::book_manager& books,
                    const book_replay::replay_result& r) {
    std::string json;
    book::write_snapshot_json(books, r.feed, o.depth, json);
    std::string error;
    if (!feed::replace_file(o.snapshot, json.data(), json.size(), error)) {
        std::fprintf(stderr, "book_replay: --snapshot %s: %s (a previous file is left as it was)\n",
                     o.snapshot.c_str(), error.c_str());
        return false;
    }
    return true;
}

const char* kind_name(const book_replay::loaded_capture& capture) {
    if (capture.kind == book_replay::capture_kind::historical) return "NASDAQ historical";
    return capture.pcap.format() == feed::capture_format::pcapng ? "pcapng" : "pcap";
}

int run(int argc, char** argv) {
    book_replay::replay_options o;
    std::string error;
    switch (book_replay::parse_options(argc, argv, o, error)) {
        case book_replay::parse_result::help:
            std::fputs(book_replay::usage_text(), stdout);
            return 0;
        case book_replay::parse_result::version:
            hypertick::tool_cli::print_version(stdout, "book_replay");
            return 0;
        case book_replay::parse_result::error:
            return hypertick::tool_cli::usage_error("book_replay", error);
        case book_replay::parse_result::ok:
            break;
    }
    book_replay::loaded_capture capture;
    if (!book_replay::load_capture(o.capture, capture, error)) {
        std::fprintf(stderr, "book_replay: %s: %s\n", o.capture.c_str(), error.c_str());
        return 2;
    }
    // A cut capture is replayed up to the cut, said at once and again at the end; exit 1.
    if (!capture.stopped.empty())
        std::fprintf(stderr, "book_replay: %s: %s\n", o.capture.c_str(), capture.stopped.c_str());
    const book_replay::resident_memory_sample loaded = book_replay::resident_memory();
    std::printf("capture: %s (%s, %llu %s)\n", o.capture.c_str(), kind_name(capture),
                static_cast<ull>(capture.items()),
                capture.kind == book_replay::capture_kind::pcap ? "frames" : "messages");
    std::vector<uint64_t> elapsed;
    book_replay::replay_result last;
    book::book_manager books;
    for (uint32_t run = 1; run <= o.runs; ++run) {
        if (!books.init(o.capacities)) {
            std::fprintf(stderr, "book_replay: cannot allocate %.1f MiB for the capacities\n",
                         static_cast<double>(book::reserved_bytes(o.capacities)) / (1 << 20));
            return 1;
        }
        last = book_replay::replay(capture, books, {o.group, o.port});
        print_run(run, last);
        elapsed.push_back(last.elapsed_ns);
    }
    std::sort(elapsed.begin(), elapsed.end());
    const uint64_t median_ns = elapsed[elapsed.size() / 2];
    const double per_message =
        last.messages == 0 ? 0.0
                           : static_cast<double>(median_ns) / static_cast<double>(last.messages);
    std::printf("messages %llu, median of %u runs: %.2f ns/message, %.2f M messages/s\n",
                static_cast<ull>(last.messages), o.runs, per_message,
                per_message == 0.0 ? 0.0 : 1e3 / per_message);
    const book_replay::resident_memory_sample memory = book_replay::resident_memory();
    std::printf(
        "memory: VmHWM %.1f MiB, VmRSS %.1f MiB (capture image %.1f MiB before the books); "
        "book tables %.1f MiB reserved for symbols %u, orders %u, levels/side %u (%s)\n",
        static_cast<double>(memory.peak_kib) / 1024, static_cast<double>(memory.current_kib) / 1024,
        static_cast<double>(loaded.current_kib) / 1024,
        static_cast<double>(books.reserved_bytes()) / (1 << 20), o.capacities.symbols,
        o.capacities.orders, o.capacities.levels_per_side,
        o.capacities.prefault ? "prefaulted" : "not prefaulted");
    std::printf("level prefetches: past %u books in use (%s), %s after the last run\n",
                books.level_prefetch_books(),
                o.capacities.level_prefetch_books == book::derive_level_prefetch_books
                    ? "derived from the L2 cache"
                    : "--level-prefetch-books",
                books.prefetches_levels() ? "on" : "off");
    if (capture.kind == book_replay::capture_kind::pcap) print_frames(last);
    print_counters(last, books);
    if (!o.snapshot.empty() && !write_snapshot(o, books, last)) return 1;
    bool failed = false;
    if (accepted_no_frame(capture, last)) {
        std::fprintf(stderr,
                     "book_replay: %s: none of its %llu frames is a UDP datagram the replay "
                     "accepts (counted on the frames line): nothing was replayed\n",
                     o.capture.c_str(), static_cast<ull>(capture.frames.size()));
        failed = true;
    }
    if (!capture.stopped.empty()) {
        std::fprintf(stderr, "book_replay: %s: %s\n", o.capture.c_str(), capture.stopped.c_str());
        failed = true;
    }
    return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    return hypertick::tool_cli::finish_output("book_replay", run(argc, argv));
}
