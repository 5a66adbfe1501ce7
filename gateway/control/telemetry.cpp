#include "control/telemetry.hpp"

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_telemetry.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "config/config_loader.hpp"
#include "control/telemetry_dict.hpp"

namespace hypertick::gw {
namespace {

const telemetry_view* g_view = nullptr;
std::mutex g_query_mutex;  // telemetry clients each get a thread; one book query at a time

void add_string(rte_tel_data* d, const char* key, std::string_view value) {
    rte_tel_data_add_dict_string(d, key, telemetry_string(value).c_str());
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

// The entries of a listing that fit, then the keys of the rest and how to ask for each; or, when
// not even the keys fit, one "error" (telemetry_replies.cpp decides which).
int put_listing(rte_tel_data* d, const telemetry_listing& l) {
    rte_tel_data_start_dict(d);
    if (!l.error.empty()) {
        add_string(d, telemetry_error_key.data(), l.error);
        return 0;
    }
    for (std::size_t i = 0; i < l.included; ++i) {
        rte_tel_data* c = rte_tel_data_alloc();
        if (c == nullptr) return -ENOMEM;
        rte_tel_data_start_dict(c);
        put_fields(c, l.entries[i]);
        rte_tel_data_add_dict_container(d, l.keys[i].c_str(), c, 0);
    }
    if (!l.omits()) return 0;
    rte_tel_data* names = rte_tel_data_alloc();
    if (names == nullptr) return -ENOMEM;
    rte_tel_data_start_array(names, RTE_TEL_STRING_VAL);
    for (std::size_t i = l.included; i < l.keys.size(); ++i)
        rte_tel_data_add_array_string(names, l.keys[i].c_str());
    rte_tel_data_add_dict_container(d, l.omitted_key.c_str(), names, 0);
    add_string(d, l.help_key.c_str(), l.help);
    return 0;
}

// One dictionary; an "error" instead when nothing was found or it would not fit one reply.
int put_one(const char* command, rte_tel_data* d, const telemetry_dict* fields,
            const std::string& not_found) {
    rte_tel_data_start_dict(d);
    if (fields == nullptr)
        add_string(d, telemetry_error_key.data(), not_found);
    else if (!telemetry_reply_fits(command, fields->json_bytes()))
        add_string(d, telemetry_error_key.data(), "the counters overflow one telemetry reply");
    else
        put_fields(d, *fields);
    return 0;
}

// Every worker lcore's counters, or with a parameter one lcore's.
int stats_command(const char* command, const char* params, rte_tel_data* d) {
    if (params == nullptr || params[0] == '\0')
        return put_listing(d, stats_listing(*g_view, command));
    telemetry_dict fields;
    const bool found = stats_of_lcore(*g_view, params, fields);
    return put_one(command, d, found ? &fields : nullptr,
                   "no worker lcore " + std::string(params) + "; /hypertick/stats lists them");
}

int feeds_command(const char* command, const char*, rte_tel_data* d) {
    return put_listing(d, feeds_listing(*g_view, command));
}

// One feed's counters, found by its configured name or by its key in /hypertick/feeds.
int feed_command(const char* command, const char* params, rte_tel_data* d) {
    if (params == nullptr || params[0] == '\0') return -EINVAL;
    telemetry_dict fields;
    const bool found = feed_by_name(*g_view, params, fields);
    return put_one(command, d, found ? &fields : nullptr,
                   "no feed named " + std::string(params) + "; /hypertick/feeds lists them");
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

// The largest reply book_command can give, from constants alone: twelve entries with keys and
// strings at DPDK's string limit (every byte of a string escaped), numbers at 20 digits and both
// sides at book_query_depth levels. It fits one reply whatever the configuration or the feed.
constexpr std::size_t largest_book_reply_bytes() {
    constexpr std::size_t entries = 12, strings = 3, numbers = 3, arrays = 6;
    constexpr std::size_t key = RTE_TEL_MAX_STRING_LEN + 4;  // "key":  and a comma
    constexpr std::size_t string = 2 * RTE_TEL_MAX_STRING_LEN + 2;
    constexpr std::size_t number = 20;
    constexpr std::size_t array = 2 + book_query_depth * (number + 1);
    constexpr std::size_t command = std::string_view("/hypertick/book").size() + 5;
    return command + 2 + entries * key + strings * string + numbers * number + arrays * array;
}
static_assert(largest_book_reply_bytes() + 1 + 32 <= telemetry_reply_limit,
              "/hypertick/book must fit one DPDK telemetry reply");

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

struct command_entry {
    const char* name;
    telemetry_cb callback;
    std::string_view help;
};

constexpr command_entry commands[] = {
    {"/hypertick/stats", gated<stats_command>,
     "Per worker lcore counters; omitted_lcores names those that do not fit. Parameters: none, "
     "or an lcore number"},
    {"/hypertick/feeds", gated<feeds_command>,
     "Per feed sequencing, decode and book counters; feeds that do not fit one reply are named "
     "in omitted_feeds. Takes no parameters"},
    {"/hypertick/feed", gated<feed_command>,
     "One feed's counters. Parameters: its name or its key in /hypertick/feeds"},
    {"/hypertick/book", gated<book_command>, "Top 10 levels of a book. Parameters: SYMBOL"},
};
// DPDK refuses to register a command whose help text is RTE_TEL_MAX_STRING_LEN bytes or longer.
static_assert(std::all_of(std::begin(commands), std::end(commands), [](const command_entry& c) {
    return c.help.size() < RTE_TEL_MAX_STRING_LEN;
}));

}  // namespace

bool register_telemetry(const telemetry_view* view) {
    g_view = view;
    g_gate_open.store(true);
    for (const command_entry& c : commands)
        if (rte_telemetry_register_cmd(c.name, c.callback, c.help.data()) != 0) return false;
    return true;
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
