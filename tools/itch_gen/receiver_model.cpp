#include "receiver_model.hpp"

#include <cassert>
#include <utility>

namespace itch_gen {

receiver_result receive_line(const std::vector<planned_packet>& planned,
                             const std::vector<line_packet>& line, const message_stream& messages,
                             const std::string& session) {
    receiver_result result;
    expected_feed& feed = result.feed;
    feed.session = session;
    while (!feed.session.empty() && feed.session.back() == ' ') feed.session.pop_back();
    for (const line_packet& arrival : line) {
        if (arrival.fault != packet_fault::none) {
            ++feed.rejected_packets;
            continue;
        }
        const planned_packet& packet = planned[arrival.planned];
        ++feed.packets;
        if (packet.kind == packet_kind::heartbeat) ++feed.heartbeats;
        if (packet.kind == packet_kind::end_of_session) ++feed.end_of_session_packets;
        // A datagram starting beyond the next expected number reveals a gap, heartbeats too.
        if (packet.sequence > feed.next_seq) {
            ++feed.gaps;
            feed.missing_messages += packet.sequence - feed.next_seq;
            feed.next_seq = packet.sequence;
        }
        for (uint64_t i = 0; i < packet.count; ++i) {
            const uint64_t sequence = packet.sequence + i;
            if (sequence < feed.next_seq) {
                ++feed.duplicate_messages;
                continue;
            }
            assert(sequence == feed.next_seq);
            const uint64_t index = packet.first_message + i;
            result.books.apply(messages.data(index), messages.length(index));
            ++feed.messages;
            ++feed.next_seq;
        }
    }
    return result;
}

namespace {

// Appending piecewise (rather than chaining std::string temporaries) also sidesteps a GCC 12
// -Wrestrict false positive.
void append_number(std::string& out, uint64_t value) {
    out += std::to_string(value);
}

void append_levels(std::string& out, const char* name,
                   const std::map<uint32_t, level_total>& levels, bool highest_first) {
    out += "\"";
    out += name;
    out += "\": [";
    bool first = true;
    auto one = [&](uint32_t price, const level_total& level) {
        if (!first) out += ", ";
        first = false;
        out += '[';
        append_number(out, price);
        out += ", ";
        append_number(out, level.shares);
        out += ", ";
        append_number(out, level.orders);
        out += ']';
    };
    if (highest_first) {
        for (auto it = levels.rbegin(); it != levels.rend(); ++it) one(it->first, it->second);
    } else {
        for (const auto& [price, level] : levels) one(price, level);
    }
    out += "]";
}

// Symbols are 8 ASCII characters from the feed; escape what JSON requires, just in case.
void append_json_string(std::string& out, const std::string& text) {
    out += '"';
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            out += "?";
            continue;
        }
        out += c;
    }
    out += '"';
}

}  // namespace

std::string expect_json(const receiver_result& result) {
    std::string out = "{\"books\": {";
    bool first = true;
    for (const auto& [locate, book] : result.books.books()) {
        if (book.symbol.empty()) continue;  // Orders for a locate missing from the directory.
        out += first ? "\n  " : ",\n  ";
        first = false;
        append_json_string(out, book.symbol);
        out += ": {\"locate\": ";
        append_number(out, locate);
        out += ", ";
        append_levels(out, "bids", book.bids, true);
        out += ", ";
        append_levels(out, "asks", book.asks, false);
        out += "}";
    }
    const expected_feed& f = result.feed;
    out += "\n},\n\"feed\": {\"session\": ";
    append_json_string(out, f.session);
    const std::pair<const char*, uint64_t> numbers[] = {
        {"packets", f.packets},
        {"messages", f.messages},
        {"next_seq", f.next_seq},
        {"gaps", f.gaps},
        {"missing_messages", f.missing_messages},
        {"duplicate_messages", f.duplicate_messages},
        {"heartbeats", f.heartbeats},
        {"end_of_session_packets", f.end_of_session_packets},
        {"rejected_packets", f.rejected_packets},
    };
    for (const auto& [name, value] : numbers) {
        out += ", \"";
        out += name;
        out += "\": ";
        append_number(out, value);
    }
    out += "}}\n";
    return out;
}

}  // namespace itch_gen
