// The replies of /hypertick/stats and /hypertick/feeds built as plain data before DPDK sees them,
// so that what fits DPDK's 16,384-byte reply is decided here, counted, and testable without EAL
// (telemetry.cpp hands them to DPDK). Both list one dictionary per worker lcore or per feed: as
// many as fit, in order, then the keys of the rest under "omitted_<what>" and how to ask for
// each under "omitted_<what>_help". Nothing is ever left out without being named.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contract/worker_shared.hpp"
#include "control/telemetry_dict.hpp"

namespace hypertick::gw {

struct gateway_config;

struct telemetry_worker {
    std::uint32_t lcore;
    worker_shared* shared;
    std::vector<std::uint16_t> feeds;  // indices into config.feeds, in slot order
};

struct telemetry_view {
    const gateway_config* config = nullptr;
    std::vector<telemetry_worker> workers;
};

// A dictionary of dictionaries, cut to one reply.
struct telemetry_listing {
    std::vector<std::string> keys;        // every entry's key, in reply order
    std::vector<telemetry_dict> entries;  // entries[i] goes under keys[i]
    std::size_t included = 0;             // the first `included` entries are in the reply
    std::string omitted_key;              // names keys[included..] when some are left out
    std::string help_key;                 // then says how to ask for each
    std::string help;
    std::string error;  // not empty: not even the names fit, the reply is this one "error"
    [[nodiscard]] bool omits() const { return error.empty() && included < keys.size(); }
};

// A string value as DPDK will carry it: through the project's JSON escaping (json_text.hpp;
// session names and symbols come from the network, and DPDK copies values as they are), so it
// is printable ASCII and the reply valid JSON whether or not DPDK escapes again; cut to DPDK's
// value limit without splitting an escape.
std::string telemetry_string(std::string_view text);

// Keys of /hypertick/feeds and /hypertick/stats that name no feed or lcore.
inline constexpr std::string_view telemetry_error_key = "error";

// /hypertick/stats: each worker lcore's counters under "lcore<N>".
telemetry_listing stats_listing(const telemetry_view& view, std::string_view command);
// /hypertick/stats,<N>: one worker lcore's counters; false when no worker runs on lcore `text`.
bool stats_of_lcore(const telemetry_view& view, std::string_view text, telemetry_dict& out);

// /hypertick/feeds: each feed's counters under its key (its name, mapped to what DPDK accepts).
telemetry_listing feeds_listing(const telemetry_view& view, std::string_view command);
// /hypertick/feed,<NAME>: one feed, by its configured name or its key; false when none is.
bool feed_by_name(const telemetry_view& view, std::string_view name, telemetry_dict& out);

}  // namespace hypertick::gw
