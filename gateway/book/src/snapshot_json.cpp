#include "hypertick/book/snapshot_json.hpp"

#include <string_view>

#include "hypertick/book/json_text.hpp"

namespace hypertick::book {

namespace {

void append_number(std::string& out, uint64_t value) {
    out += std::to_string(value);
}

void append_side(std::string& out, const book_manager& books, uint16_t locate, book_side side,
                 uint32_t depth) {
    out += side == book_side::bid ? "\"bids\": [" : "\"asks\": [";
    const uint32_t count = books.level_count(locate, side);
    for (uint32_t i = 0; i < count && i < depth; ++i) {
        const top_level level = books.level(locate, side, i);
        if (i != 0) out += ", ";
        out += '[';
        append_number(out, level.price);
        out += ", ";
        append_number(out, level.shares);
        out += ", ";
        append_number(out, level.orders);
        out += ']';
    }
    out += ']';
}

void append_degraded_reasons(std::string& out, uint8_t degraded) {
    out += '[';
    const char* names[] = {"no_book", "orders_full", "levels_full"};
    bool first = true;
    for (uint32_t bit = 0; bit < 3; ++bit) {
        if ((degraded & (1u << bit)) == 0) continue;
        if (!first) out += ", ";
        first = false;
        append_json_string(out, names[bit]);
    }
    out += ']';
}

void append_counters(std::string& out, const book_counters& c) {
    const std::pair<const char*, uint64_t> numbers[] = {
        {"adds", c.adds},
        {"executions", c.executions},
        {"cancels", c.cancels},
        {"deletes", c.deletes},
        {"replaces", c.replaces},
        {"orders_removed_by_reduction", c.orders_removed_by_reduction},
        {"over_reductions", c.over_reductions},
        {"unknown_refs", c.unknown_refs},
        {"duplicate_refs", c.duplicate_refs},
        {"zero_share_adds", c.zero_share_adds},
        {"book_pool_full", c.book_pool_full},
        {"order_table_full", c.order_table_full},
        {"level_side_full", c.level_side_full},
        {"directory_entries", c.directory_entries},
        {"bbo_updates", c.bbo_updates},
        {"crossed_bbo", c.crossed_bbo},
    };
    out += '{';
    bool first = true;
    for (const auto& [name, value] : numbers) {
        if (!first) out += ", ";
        first = false;
        append_json_string(out, name);
        out += ": ";
        append_number(out, value);
    }
    out += '}';
}

// The order window's size and what it did (order_index.hpp).
void append_window(std::string& out, const order_index& orders) {
    out += "{\"slots\": ";
    append_number(out, orders.window_slots());
    for (const auto& [name, field] : order_window_counter_fields) {
        out += ", ";
        append_json_string(out, name);
        out += ": ";
        append_number(out, orders.window_counters().*field);
    }
    out += '}';
}

}  // namespace

feed_summary summarize_feed(const feed::mold_session& mold_session, uint64_t next_expected,
                            const feed::stream_counters& s, const feed::feed_counters& counters) {
    feed_summary f;
    const std::string_view session = mold_session.view();
    f.session.assign(session.data(), session.size());
    while (!f.session.empty() && (f.session.back() == ' ' || f.session.back() == '\0'))
        f.session.pop_back();
    f.packets = s.packets;
    f.messages = s.messages;
    f.next_seq = next_expected;
    f.gaps = s.gaps;
    f.missing_messages = s.missing_messages;
    f.duplicate_messages = s.duplicate_messages;
    f.heartbeats = s.heartbeats;
    f.end_of_session_packets = s.end_of_session_packets;
    f.rejected_packets = counters.malformed_total();
    f.counters = counters;
    return f;
}

void write_snapshot_json(const book_manager& books, const feed_summary& feed, uint32_t depth,
                         std::string& out) {
    out += "{\"books\": {";
    bool first = true;
    book_keys keys;
    std::string degraded_list;
    for (uint32_t locate = 0; locate < locate_count; ++locate) {
        const directory_entry& entry = books.directory(static_cast<uint16_t>(locate));
        if (entry.degraded != 0) {
            if (!degraded_list.empty()) degraded_list += ", ";
            degraded_list += "{\"locate\": " + std::to_string(locate) + ", \"symbol\": ";
            append_json_string(degraded_list, trimmed_symbol(entry));
            degraded_list += ", \"reasons\": ";
            append_degraded_reasons(degraded_list, entry.degraded);
            degraded_list += '}';
        }
        if (!entry.listed) continue;  // orders for a locate the directory never named
        out += first ? "\n  " : ",\n  ";
        first = false;
        append_json_string(out, keys.key(trimmed_symbol(entry), static_cast<uint16_t>(locate)));
        out += ": {\"locate\": ";
        append_number(out, locate);
        out += ", ";
        append_side(out, books, static_cast<uint16_t>(locate), book_side::bid, depth);
        out += ", ";
        append_side(out, books, static_cast<uint16_t>(locate), book_side::ask, depth);
        if (entry.degraded != 0) {
            out += ", \"degraded\": ";
            append_degraded_reasons(out, entry.degraded);
        }
        out += '}';
    }
    out += "\n},\n\"feed\": {\"session\": ";
    append_json_string(out, feed.session);
    const std::pair<const char*, uint64_t> numbers[] = {
        {"packets", feed.packets},
        {"messages", feed.messages},
        {"next_seq", feed.next_seq},
        {"gaps", feed.gaps},
        {"missing_messages", feed.missing_messages},
        {"duplicate_messages", feed.duplicate_messages},
        {"heartbeats", feed.heartbeats},
        {"end_of_session_packets", feed.end_of_session_packets},
        {"rejected_packets", feed.rejected_packets},
    };
    for (const auto& [name, value] : numbers) {
        out += ", \"";
        out += name;
        out += "\": ";
        append_number(out, value);
    }
    out += ", \"state\": ";
    append_json_string(out, feed.state);
    out += ", \"books_valid\": ";
    out += feed.invalid_reasons == 0 ? "true" : "false";
    out += ", \"invalid_reasons\": [";
    bool first_reason = true;
    for (const auto& [bit, name] : feed::invalid_reason_names) {
        if ((feed.invalid_reasons & bit) == 0) continue;
        out += first_reason ? "" : ", ";
        first_reason = false;
        append_json_string(out, name);
    }
    out += "]},\n\"degraded\": [";
    out += degraded_list;
    out += "],\n\"book_counters\": ";
    append_counters(out, books.counters());
    out += ",\n\"order_window\": ";
    append_window(out, books.orders());
    out += ",\n\"level_prefetch\": {\"books\": ";
    append_number(out, books.level_prefetch_books());
    out += books.prefetches_levels() ? ", \"on\": true}" : ", \"on\": false}";
    out += ",\n\"feed_counters\": {\"frames\": ";
    append_number(out, feed.counters.frames);
    for (uint32_t i = 0; i < feed::feed_event_count; ++i) {
        out += ", ";
        append_json_string(out, feed::feed_event_names[i]);
        out += ": ";
        append_number(out, feed.counters.by_event[i]);
    }
    out += "}}\n";
}

}  // namespace hypertick::book
