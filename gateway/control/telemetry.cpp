#include "control/telemetry.hpp"

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_telemetry.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "config/config_loader.hpp"
#include "control/telemetry_dict.hpp"
#include "hypertick/book/feed_validity.hpp"
#include "hypertick/book/json_text.hpp"

namespace hypertick::gw {
namespace {

const telemetry_view* g_view = nullptr;
std::mutex g_query_mutex;  // telemetry clients each get a thread; one book query at a time

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

// Every string value goes through the project's JSON escaping (json_text.hpp): session names
// and symbols come from the network, and DPDK copies values as they are. The escaped text is
// printable ASCII, so the reply is valid JSON whether or not DPDK escapes again; it is cut to
// DPDK's value limit without splitting an escape.
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

void add_string(rte_tel_data* d, const char* key, std::string_view value) {
    rte_tel_data_add_dict_string(d, key, telemetry_string(value).c_str());
}

int stats_command(const char*, const char*, rte_tel_data* d) {
    rte_tel_data_start_dict(d);
    for (const telemetry_worker& w : g_view->workers) {
        rte_tel_data* c = rte_tel_data_alloc();
        if (c == nullptr) return -ENOMEM;
        rte_tel_data_start_dict(c);
        for (const shared_counter<worker_shared>& counter : worker_counter_table)
            rte_tel_data_add_dict_u64(c, counter.name, ((*w.shared).*counter.field).load(relaxed));
        const std::string name = "lcore" + std::to_string(w.lcore);
        rte_tel_data_add_dict_container(d, name.c_str(), c, 0);
    }
    return 0;
}

// Keys of /hypertick/feeds that name no feed; a feed whose key would be one gets "_<index>".
constexpr const char* omitted_key = "omitted_feeds";
constexpr const char* omitted_help_key = "omitted_feeds_help";
constexpr const char* error_key = "error";

struct feed_ref {
    const telemetry_worker* worker;
    std::size_t slot;
    std::string key;  // the feed's key in /hypertick/feeds
};

// Every feed in reply order, with the keys /hypertick/feeds gives them.
std::vector<feed_ref> all_feeds() {
    std::vector<feed_ref> feeds;
    std::unordered_set<std::string> keys{omitted_key, omitted_help_key, error_key};
    for (const telemetry_worker& w : g_view->workers)
        for (std::size_t slot = 0; slot < w.feeds.size(); ++slot)
            feeds.push_back(
                {&w, slot,
                 telemetry_key(g_view->config->feeds[w.feeds[slot]].name, w.feeds[slot], keys)});
    return feeds;
}

telemetry_dict feed_fields(const feed_ref& ref) {
    const telemetry_worker& w = *ref.worker;
    const feed_shared& f = w.shared->feeds[ref.slot];
    const feed_settings& cfg = g_view->config->feeds[w.feeds[ref.slot]];
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
    return c;
}

void put_fields(rte_tel_data* d, const telemetry_dict& dict) {
    for (const telemetry_dict::field& field : dict.fields()) {
        switch (field.type) {
            case telemetry_dict::kind::text:
                rte_tel_data_add_dict_string(d, field.key.c_str(), field.text.c_str());
                break;
            case telemetry_dict::kind::u64:
                rte_tel_data_add_dict_u64(d, field.key.c_str(), field.u64);
                break;
            case telemetry_dict::kind::i64:
                rte_tel_data_add_dict_int(d, field.key.c_str(), static_cast<int>(field.i64));
                break;
        }
    }
}

// Every feed's counters when they fit one reply. When they do not, as many feeds as fit, in
// order, then "omitted_feeds" (the keys of the rest) and "omitted_feeds_help" (how to ask for
// each): a feed is never left out without being named. Should not even the keys fit, the reply
// is one "error".
int feeds_command(const char* command, const char*, rte_tel_data* d) {
    rte_tel_data_start_dict(d);
    const std::vector<feed_ref> feeds = all_feeds();
    std::vector<telemetry_dict> dicts;
    dicts.reserve(feeds.size());
    for (const feed_ref& ref : feeds) dicts.push_back(feed_fields(ref));
    // included_bytes[k]: the dictionary holding the first k feeds; omitted_bytes[k]: the two
    // entries naming feeds k and later.
    const std::size_t n = feeds.size();
    std::vector<std::size_t> included_bytes(n + 1, 2), omitted_bytes(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        included_bytes[i + 1] =
            included_bytes[i] + telemetry_entry_bytes(feeds[i].key, dicts[i].json_bytes());
    std::vector<std::string> omitted_keys;
    for (std::size_t k = n; k-- > 0;) {
        omitted_keys.push_back(feeds[k].key);
        omitted_bytes[k] =
            telemetry_entry_bytes(omitted_key, telemetry_string_array_bytes(omitted_keys)) +
            telemetry_entry_bytes(omitted_help_key, RTE_TEL_MAX_STRING_LEN + 2);
    }
    std::size_t included = n + 1;
    for (std::size_t k = n + 1; k-- > 0;) {
        if (k < n && n - k > RTE_TEL_MAX_ARRAY_ENTRIES) break;
        if (telemetry_reply_fits(command, included_bytes[k] + omitted_bytes[k])) {
            included = k;
            break;
        }
    }
    if (included > n) {
        const std::string error = std::to_string(n) + " feeds: their keys alone overflow a " +
                                  std::to_string(telemetry_reply_limit) +
                                  "-byte reply; ask /hypertick/feed,<name> for each";
        rte_tel_data_add_dict_string(d, error_key, telemetry_string(error).c_str());
        return 0;
    }
    for (std::size_t i = 0; i < included; ++i) {
        rte_tel_data* c = rte_tel_data_alloc();
        if (c == nullptr) return -ENOMEM;
        rte_tel_data_start_dict(c);
        put_fields(c, dicts[i]);
        rte_tel_data_add_dict_container(d, feeds[i].key.c_str(), c, 0);
    }
    if (included == n) return 0;
    rte_tel_data* names = rte_tel_data_alloc();
    if (names == nullptr) return -ENOMEM;
    rte_tel_data_start_array(names, RTE_TEL_STRING_VAL);
    for (std::size_t i = included; i < n; ++i)
        rte_tel_data_add_array_string(names, feeds[i].key.c_str());
    rte_tel_data_add_dict_container(d, omitted_key, names, 0);
    const std::string help = std::to_string(n - included) + " of " + std::to_string(n) +
                             " feeds did not fit one " + std::to_string(telemetry_reply_limit) +
                             "-byte reply: ask /hypertick/feed,<key> for each";
    rte_tel_data_add_dict_string(d, omitted_help_key, help.c_str());
    return 0;
}

// One feed's counters, found by its configured name or by its key in /hypertick/feeds.
int feed_command(const char* command, const char* params, rte_tel_data* d) {
    if (params == nullptr || params[0] == '\0') return -EINVAL;
    rte_tel_data_start_dict(d);
    const std::vector<feed_ref> feeds = all_feeds();
    const feed_ref* found = nullptr;
    for (const feed_ref& ref : feeds)
        if (g_view->config->feeds[ref.worker->feeds[ref.slot]].name == params) found = &ref;
    for (const feed_ref& ref : feeds)
        if (found == nullptr && ref.key == params) found = &ref;
    if (found == nullptr) {
        add_string(d, error_key,
                   "no feed named " + std::string(params) + "; /hypertick/feeds lists them");
        return 0;
    }
    const telemetry_dict fields = feed_fields(*found);
    if (!telemetry_reply_fits(command, fields.json_bytes())) {
        add_string(d, error_key, "the feed's counters overflow one telemetry reply");
        return 0;
    }
    put_fields(d, fields);
    return 0;
}

// Asks every worker in turn; each answers from its own lcore within a few milliseconds.
bool query_book(const std::string& symbol, book_query& answer, std::uint32_t& lcore) {
    std::lock_guard<std::mutex> lock(g_query_mutex);
    for (const telemetry_worker& w : g_view->workers) {
        book_query& q = w.shared->query;
        if (!q.open()) return false;  // still answering a query given up earlier
        std::memset(q.symbol, 0, sizeof q.symbol);
        std::memcpy(q.symbol, symbol.data(), std::min<std::size_t>(symbol.size(), 8));
        q.request();
        const auto start = std::chrono::steady_clock::now();
        while (!q.is_answered()) {
            const auto waited = std::chrono::steady_clock::now() - start;
            // Not taken within 500 ms: the worker is not running its loop (stopping, or
            // stalled). Taken: its answer is one bounded scan, waited for up to 5 s and
            // otherwise left in the box, which open() frees once it is complete.
            if (waited > std::chrono::milliseconds(500) && q.withdraw()) return false;
            if (waited > std::chrono::seconds(5)) return false;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        const bool found = q.found;
        if (found) {
            answer.found = true;
            answer.locate = q.locate;
            answer.feed = q.feed;
            answer.bid_levels = q.bid_levels;
            answer.ask_levels = q.ask_levels;
            std::memcpy(answer.bids, q.bids, sizeof q.bids);
            std::memcpy(answer.asks, q.asks, sizeof q.asks);
            lcore = w.lcore;
        }
        q.done();
        if (found) return true;
    }
    return true;
}

// ITCH Price(4): an integer with 4 implied decimals, so 1234500 is 123.45.
constexpr const char* price_unit = "0.0001 (ITCH Price(4): 4 implied decimals)";

void add_side(rte_tel_data* d, const char* prefix, const book::top_level* levels, std::uint32_t n) {
    const char* kinds[] = {"price", "shares", "orders"};
    for (int k = 0; k < 3; ++k) {
        rte_tel_data* a = rte_tel_data_alloc();
        if (a == nullptr) return;
        rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
        for (std::uint32_t i = 0; i < n; ++i)
            rte_tel_data_add_array_u64(a, k == 0   ? levels[i].price
                                          : k == 1 ? levels[i].shares
                                                   : levels[i].orders);
        const std::string name = std::string(prefix) + "_" + kinds[k];
        rte_tel_data_add_dict_container(d, name.c_str(), a, 0);
    }
}

int book_command(const char*, const char* params, rte_tel_data* d) {
    if (params == nullptr || params[0] == '\0' || std::strlen(params) > 8) return -EINVAL;
    book_query answer;
    std::uint32_t lcore = 0;
    if (!query_book(params, answer, lcore)) return -EAGAIN;
    rte_tel_data_start_dict(d);
    add_string(d, "symbol", params);
    rte_tel_data_add_dict_int(d, "found", answer.found ? 1 : 0);
    if (!answer.found) return 0;
    rte_tel_data_add_dict_int(d, "locate", answer.locate);
    add_string(d, "feed", g_view->config->feeds[answer.feed].name);
    rte_tel_data_add_dict_int(d, "lcore", static_cast<int>(lcore));
    // Prices stay the feed's integers (exact); the unit says how to read them.
    rte_tel_data_add_dict_string(d, "price_unit", price_unit);
    add_side(d, "bid", answer.bids, answer.bid_levels);
    add_side(d, "ask", answer.asks, answer.ask_levels);
    return 0;
}

// The gate between telemetry client threads and the view. A command counts itself in, then
// looks at the gate; close_telemetry shuts the gate, then waits for the count to reach zero.
// Both sides use sequentially consistent operations, so either the command sees the gate shut
// or close_telemetry sees the command inside and waits for it.
std::atomic<bool> g_gate_open{false};
std::atomic<std::uint32_t> g_commands_inside{0};

template <telemetry_cb Command>
int gated(const char* command, const char* params, rte_tel_data* d) {
    g_commands_inside.fetch_add(1);
    int result = 0;
    if (g_gate_open.load()) {
        result = Command(command, params, d);
    } else {
        rte_tel_data_start_dict(d);
        rte_tel_data_add_dict_string(d, "state", "shutting down");
    }
    g_commands_inside.fetch_sub(1);
    return result;
}

}  // namespace

bool register_telemetry(const telemetry_view* view) {
    g_view = view;
    g_gate_open.store(true);
    return rte_telemetry_register_cmd("/hypertick/stats", gated<stats_command>,
                                      "Per worker lcore counters. Takes no parameters") == 0 &&
           rte_telemetry_register_cmd(
               "/hypertick/feeds", gated<feeds_command>,
               "Per feed sequencing, decode and book counters; feeds that do not fit one reply "
               "are named in omitted_feeds. Takes no parameters") == 0 &&
           rte_telemetry_register_cmd(
               "/hypertick/feed", gated<feed_command>,
               "One feed's counters. Parameters: its name or its key in /hypertick/feeds") == 0 &&
           rte_telemetry_register_cmd("/hypertick/book", gated<book_command>,
                                      "Top 10 levels of a book. Parameters: SYMBOL") == 0;
}

telemetry_disconnect_result close_telemetry() {
    g_gate_open.store(false);
    // A book query inside waits at most 500 ms per worker for its answer.
    while (g_commands_inside.load() != 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // Shutting a listener makes DPDK's listener thread log "Error with accept, telemetry thread
    // quitting" at ERR on every stop: expected here, so DPDK's telemetry log goes quiet first.
    rte_log_set_level_pattern("lib.telemetry", RTE_LOG_CRIT);
    return disconnect_telemetry_clients(rte_eal_get_runtime_dir(), std::chrono::seconds(1));
}

}  // namespace hypertick::gw
