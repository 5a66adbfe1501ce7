#include "control/telemetry_replies.hpp"

#include <rte_telemetry.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <unordered_set>

#include "config/config_loader.hpp"
#include "hypertick/base/assert.hpp"
#include "hypertick/book/feed_validity.hpp"
#include "hypertick/book/json_text.hpp"

namespace hypertick::gw {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

// Telemetry dictionary keys may hold only letters, digits and '_' (DPDK rejects others, and a
// rejected key silently drops the entry): feed names like "nasdaq-itch" are mapped, cut to fit
// DPDK's key limit, and a name that maps onto an earlier key gets "_<feed index>" so that no
// feed hides another.
std::string telemetry_key(const std::string& name, std::size_t feed_index,
                          std::unordered_set<std::string>& used) {
    std::string key = name.substr(0, RTE_TEL_MAX_STRING_LEN / 2);
    for (char& c : key)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    if (!used.insert(key).second) {
        key += '_';
        key += std::to_string(feed_index);
        used.insert(key);
    }
    return key;
}

// Decides how many entries fit one reply to `command` together with the two entries naming the
// rest; sets `error` when not even the names fit. DPDK also caps a dictionary at
// RTE_TEL_MAX_DICT_ENTRIES entries and an array at RTE_TEL_MAX_ARRAY_ENTRIES.
void fit_listing(std::string_view command, std::string_view what, std::string_view ask,
                 telemetry_listing& l) {
    const std::size_t n = l.keys.size();
    HT_ASSERT(l.entries.size() == n);
    // included_bytes[k]: the dictionary holding the first k entries; omitted_bytes[k]: the two
    // entries naming entries k and later.
    std::vector<std::size_t> included_bytes(n + 1, 2), omitted_bytes(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        included_bytes[i + 1] =
            included_bytes[i] + telemetry_entry_bytes(l.keys[i], l.entries[i].json_bytes());
    std::vector<std::string> omitted_keys;
    for (std::size_t k = n; k-- > 0;) {
        omitted_keys.push_back(l.keys[k]);
        omitted_bytes[k] =
            telemetry_entry_bytes(l.omitted_key, telemetry_string_array_bytes(omitted_keys)) +
            telemetry_entry_bytes(l.help_key, RTE_TEL_MAX_STRING_LEN + 2);
    }
    std::size_t included = n + 1;
    for (std::size_t k = n + 1; k-- > 0;) {
        if (k < n && n - k > RTE_TEL_MAX_ARRAY_ENTRIES) break;
        if (k + 2 > RTE_TEL_MAX_DICT_ENTRIES) continue;
        if (telemetry_reply_fits(command, included_bytes[k] + omitted_bytes[k])) {
            included = k;
            break;
        }
    }
    if (included > n) {
        l.included = 0;
        l.error = std::to_string(n) + " " + std::string(what) + ": their keys alone overflow a " +
                  std::to_string(telemetry_reply_limit) + "-byte reply; ask " + std::string(ask) +
                  " for each";
        return;
    }
    l.included = included;
    if (included < n)
        l.help = std::to_string(n - included) + " of " + std::to_string(n) + " " +
                 std::string(what) + " did not fit one " + std::to_string(telemetry_reply_limit) +
                 "-byte reply: ask " + std::string(ask) + " for each";
}

telemetry_dict worker_fields(const telemetry_worker& w) {
    telemetry_dict c;
    for (const shared_counter<worker_shared>& counter : worker_counter_table)
        c.add_u64(counter.name, ((*w.shared).*counter.field).load(relaxed));
    return c;
}

struct feed_ref {
    const telemetry_worker* worker;
    std::size_t slot;
    std::string key;  // the feed's key in /hypertick/feeds
};

constexpr std::string_view omitted_feeds_key = "omitted_feeds";
constexpr std::string_view omitted_feeds_help_key = "omitted_feeds_help";

// Every feed in reply order, with the keys /hypertick/feeds gives them.
std::vector<feed_ref> all_feeds(const telemetry_view& view) {
    std::vector<feed_ref> feeds;
    std::unordered_set<std::string> keys{std::string(omitted_feeds_key),
                                         std::string(omitted_feeds_help_key),
                                         std::string(telemetry_error_key)};
    for (const telemetry_worker& w : view.workers)
        for (std::size_t slot = 0; slot < w.feeds.size(); ++slot)
            feeds.push_back(
                {&w, slot,
                 telemetry_key(view.config->feeds[w.feeds[slot]].name, w.feeds[slot], keys)});
    return feeds;
}

telemetry_dict feed_fields(const telemetry_view& view, const feed_ref& ref) {
    const telemetry_worker& w = *ref.worker;
    const feed_shared& f = w.shared->feeds[ref.slot];
    const feed_settings& cfg = view.config->feeds[w.feeds[ref.slot]];
    telemetry_dict c;
    c.add_string("name", telemetry_string(cfg.name));
    c.add_int("lcore", w.lcore);
    const line_settings& line_a = cfg.lines[0];
    c.add_string("port", telemetry_string(line_a.port));
    c.add_int("rx_queue", line_a.rx_queue);
    c.add_string("group", line_a.group ? format_ipv4(*line_a.group) : "any");
    std::string_view session;
    if (f.session_set.load(std::memory_order_acquire) != 0) session = {f.session, 10};
    while (!session.empty() && (session.back() == ' ' || session.back() == '\0'))
        session.remove_suffix(1);
    c.add_string("session", telemetry_string(session));
    c.add_string("state", f.stale.load(relaxed) ? "stale" : "live");
    c.add_int("end_of_session", f.end_of_session.load(relaxed));
    c.add_string("stream_state", telemetry_string(feed::to_string(static_cast<feed::stream_state>(
                                     f.stream_state.load(relaxed)))));
    const std::uint32_t invalid = f.invalid_reasons.load(relaxed);
    c.add_int("books_valid", invalid == 0 ? 1 : 0);
    c.add_string("invalid_reasons", telemetry_string(book::invalid_reasons_text(invalid)));
    static const char* lines[] = {"line_a_", "line_b_", "line_r_"};
    for (std::uint32_t l = 0; l < feed::max_feed_lines; ++l) {
        if (l >= cfg.lines.size() && (l != feed::recovery_line || !cfg.recovery.enabled)) continue;
        const std::string k = lines[l];
        c.add_u64(k + "datagrams", f.line_datagrams[l].load(relaxed));
        c.add_u64(k + "first_arrivals", f.line_first_arrivals[l].load(relaxed));
        c.add_u64(k + "duplicates", f.line_duplicates[l].load(relaxed));
        c.add_u64(k + "missed_messages", f.line_missed_messages[l].load(relaxed));
        for (std::uint32_t r = 0; r < feed::line_drop_reasons; ++r)
            c.add_u64(k + std::string(feed::line_drop_counters[r].first),
                      f.line_drops[l][r].load(relaxed));
    }
    c.add_u64("next_seq", f.next_seq.load(relaxed));
    for (const shared_counter<feed_shared>& counter : feed_counter_table)
        c.add_u64(counter.name, (f.*counter.field).load(relaxed));
    HT_ASSERT(c.fields().size() <= RTE_TEL_MAX_DICT_ENTRIES);
    return c;
}

}  // namespace

std::string telemetry_string(std::string_view text) {
    std::string escaped = book::json_escaped(text);
    if (escaped.size() < RTE_TEL_MAX_STRING_LEN) return escaped;
    std::size_t keep = RTE_TEL_MAX_STRING_LEN - 4;  // room for "..." and the terminator
    const std::size_t escape = escaped.rfind('\\', keep);
    if (escape != std::string::npos && keep - escape < 6) keep = escape;
    escaped.resize(keep);
    escaped.append("...");
    return escaped;
}

telemetry_listing stats_listing(const telemetry_view& view, std::string_view command) {
    telemetry_listing l;
    l.omitted_key = "omitted_lcores";
    l.help_key = "omitted_lcores_help";
    for (const telemetry_worker& w : view.workers) {
        l.keys.push_back("lcore" + std::to_string(w.lcore));
        l.entries.push_back(worker_fields(w));
    }
    fit_listing(command, "worker lcores", "/hypertick/stats,<lcore number>", l);
    return l;
}

bool stats_of_lcore(const telemetry_view& view, std::string_view text, telemetry_dict& out) {
    if (text.rfind("lcore", 0) == 0) text.remove_prefix(5);  // its key in /hypertick/stats
    std::uint32_t lcore = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), lcore);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return false;
    for (const telemetry_worker& w : view.workers) {
        if (w.lcore != lcore) continue;
        out = worker_fields(w);
        return true;
    }
    return false;
}

telemetry_listing feeds_listing(const telemetry_view& view, std::string_view command) {
    telemetry_listing l;
    l.omitted_key = omitted_feeds_key;
    l.help_key = omitted_feeds_help_key;
    for (const feed_ref& ref : all_feeds(view)) {
        l.keys.push_back(ref.key);
        l.entries.push_back(feed_fields(view, ref));
    }
    fit_listing(command, "feeds", "/hypertick/feed,<key>", l);
    return l;
}

bool feed_by_name(const telemetry_view& view, std::string_view name, telemetry_dict& out) {
    const std::vector<feed_ref> feeds = all_feeds(view);
    const feed_ref* found = nullptr;
    for (const feed_ref& ref : feeds)
        if (view.config->feeds[ref.worker->feeds[ref.slot]].name == name) found = &ref;
    for (const feed_ref& ref : feeds)
        if (found == nullptr && ref.key == name) found = &ref;
    if (found == nullptr) return false;
    out = feed_fields(view, *found);
    return true;
}

}  // namespace hypertick::gw
