#include "worker/feed_pipeline.hpp"

#include <cstring>

#include "worker/worker.hpp"

namespace hypertick::gw {

// ---- the handler: reports to the control plane; never formats, never logs ----

void pipeline_handler::on_session_start(const feed::mold_session& session) {
    flush();  // the previous session's messages belong before this report
    pipeline.end_reported = false;
    char name[11] = {};
    std::memcpy(name, session.name.data(), 10);
    for (int i = 9; i >= 0 && name[i] == ' '; --i) name[i] = '\0';
    pipeline.owner.post(worker_event_kind::session_started, pipeline.feed_index, 0, 0, name);
}

void pipeline_handler::on_gap(std::uint64_t first_missing, std::uint64_t missing_count) {
    if (pipeline.pending_gaps++ == 0) pipeline.pending_gap_first = first_missing;
    pipeline.pending_gap_missing += missing_count;
    pipeline.gap_opened.notify_one();
}

void pipeline_handler::on_end_of_session(std::uint64_t next_sequence) {
    if (pipeline.end_reported) return;
    pipeline.end_reported = true;
    pipeline.owner.post(worker_event_kind::end_of_session, pipeline.feed_index, next_sequence, 0);
}

void pipeline_handler::on_books_invalid(std::uint32_t) {
    flush();  // the messages before the event were valid: their updates stay unflagged
    books().mark_feed_invalid();
    // A symbol whose top never changes again would keep its last, unflagged record.
    pipeline.republish_next = 0;
    pipeline.books_invalidated.notify_one();
}

feed::stream_settings stream_settings(const feed_settings& s, bool restart_on_loop,
                                      const feed::copy_key& key) {
    feed::stream_settings t;
    t.data_lines = static_cast<std::uint32_t>(s.lines.size());
    t.recovery = s.recovery.enabled;
    t.hold_capacity = hold_messages(s);
    t.line_wait_ns = std::uint64_t{s.line_wait_ms} * 1'000'000;
    t.retry_ns = std::uint64_t{s.recovery.retry_ms} * 1'000'000;
    t.timeout_ns = std::uint64_t{s.recovery.timeout_ms} * 1'000'000;
    t.max_outstanding = s.recovery.max_outstanding;
    t.max_messages_per_request = s.recovery.max_messages_per_request;
    t.max_sequence_jump = s.max_sequence_jump;
    t.verify_window = verify_messages(s);
    t.copy_hash_key = key;
    t.accept_unsequenced = s.accepts_unsequenced();
    t.restart_on_loop = restart_on_loop;
    return t;
}

feed_pipeline::feed_pipeline(worker& w, bbo_batch& batch, std::uint16_t index,
                             const feed_settings& s, const feed_line_ports& ports,
                             bool restart_on_loop, const feed::copy_key& key, std::uint8_t* hold)
    : owner(w),
      feed_index(index),
      handler(books, batch, *this),
      receiver(handler, stream_settings(s, restart_on_loop, key), hold),
      arbitrated(s.arbitrated()) {
    line_count = 0;
    for (const line_settings& l : s.lines) {
        feed_line& line = lines[line_count];
        line.port_id = ports[line_count];
        line.queue = l.rx_queue;
        line.used = true;
        receiver.set_line(line_count, feed::udp_filter{l.group.value_or(0), l.udp_port.value_or(0)},
                          feed::source_filter{l.source_ip.value_or(0), l.source_port.value_or(0)});
        ++line_count;
    }
    if (s.recovery.enabled) {
        // The server's unicast answers: from the server, addressed to our source address and port.
        feed_line& line = lines[feed::recovery_line];
        line.port_id = ports[feed::recovery_line];
        line.queue = s.recovery.rx_queue;
        line.used = true;
        receiver.set_line(feed::recovery_line,
                          feed::udp_filter{s.recovery.source_ip, s.recovery.source_port},
                          feed::source_filter{s.recovery.server_ip, s.recovery.server_port});
        line_count = feed::max_feed_lines;
    }
}

}  // namespace hypertick::gw
