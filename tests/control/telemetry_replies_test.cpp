// The replies of /hypertick/stats and /hypertick/feeds at the configuration's largest: every
// entry is either in a reply that fits DPDK's 16,384 bytes or named as omitted, never dropped.
// The reply builders are tested here rather than through a running gateway because the worst
// case needs 127 worker lcores (lcores 1-127 beside the main lcore 0, RTE_MAX_LCORE 128), which
// this 2-vCPU machine cannot start. The reply is written out here as DPDK 22.11 writes it
// (compact JSON, {"<command>":{...}}) and measured, independently of telemetry_dict's counting.
#include "control/telemetry_replies.hpp"

#include <gtest/gtest.h>
#include <rte_config.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace gw = hypertick::gw;

namespace {

constexpr std::uint64_t largest = std::numeric_limits<std::uint64_t>::max();

// Built by appending: g++ 12 warns, falsely, on "..." + std::string.
void append_quoted(std::string& json, const std::string& text) {
    json.push_back('"');
    for (char c : text) {
        if (c == '"' || c == '\\') json.push_back('\\');
        json.push_back(c);
    }
    json.push_back('"');
}

std::string quoted(const std::string& text) {
    std::string q;
    append_quoted(q, text);
    return q;
}

void append_entry_key(std::string& json, const std::string& key) {
    if (json.back() != '{') json.push_back(',');
    append_quoted(json, key);
    json.push_back(':');
}

void append_dict(std::string& json, const gw::telemetry_dict& d) {
    json.push_back('{');
    for (const gw::telemetry_dict::field& f : d.fields()) {
        append_entry_key(json, f.key);
        switch (f.type) {
            case gw::telemetry_dict::kind::text:
                append_quoted(json, f.text);
                break;
            case gw::telemetry_dict::kind::u64:
                json.append(std::to_string(f.u64));
                break;
            case gw::telemetry_dict::kind::i64:
                json.append(std::to_string(f.i64));
                break;
        }
    }
    json.push_back('}');
}

// What DPDK writes for the listing, terminator excluded.
std::string reply_json(const std::string& command, const gw::telemetry_listing& l) {
    std::string json = "{";
    append_entry_key(json, command);
    json.push_back('{');
    if (!l.error.empty()) {
        append_entry_key(json, "error");
        append_quoted(json, l.error);
    }
    for (std::size_t i = 0; l.error.empty() && i < l.included; ++i) {
        append_entry_key(json, l.keys[i]);
        append_dict(json, l.entries[i]);
    }
    if (l.omits()) {
        append_entry_key(json, l.omitted_key);
        json.push_back('[');
        for (std::size_t i = l.included; i < l.keys.size(); ++i) {
            if (i > l.included) json.push_back(',');
            append_quoted(json, l.keys[i]);
        }
        json.push_back(']');
        append_entry_key(json, l.help_key);
        append_quoted(json, l.help);
    }
    json.append("}}");
    return json;
}

bool fits(const std::string& reply) {
    return reply.size() + 1 <= gw::telemetry_reply_limit;
}

// Every worker lcore the configuration can have, each with every counter at its largest.
struct worst_case_workers {
    std::vector<std::unique_ptr<gw::worker_shared>> shared;
    gw::gateway_config config;
    gw::telemetry_view view;

    explicit worst_case_workers(std::size_t feeds_per_worker) {
        view.config = &config;
        for (std::uint32_t lcore = 1; lcore < RTE_MAX_LCORE; ++lcore) {
            shared.push_back(std::make_unique<gw::worker_shared>());
            gw::worker_shared& s = *shared.back();
            for (const auto& counter : gw::worker_counter_table) (s.*counter.field).store(largest);
            gw::telemetry_worker w{lcore, &s, {}};
            for (std::size_t f = 0; f < feeds_per_worker; ++f) {
                for (const auto& counter : gw::feed_counter_table)
                    (s.feeds[f].*counter.field).store(largest);
                gw::feed_settings feed;
                feed.name = std::string(200, 'f') + std::to_string(config.feeds.size());
                feed.lines.resize(2);
                w.feeds.push_back(static_cast<std::uint16_t>(config.feeds.size()));
                config.feeds.push_back(feed);
            }
            view.workers.push_back(w);
        }
    }
};

}  // namespace

TEST(TelemetryReplies, StatsOfEveryPossibleLcoreNeverDropOneSilently) {
    const worst_case_workers workers(0);
    const gw::telemetry_listing l = gw::stats_listing(workers.view, "/hypertick/stats");
    const std::string reply = reply_json("/hypertick/stats", l);
    EXPECT_TRUE(fits(reply)) << reply.size() << " bytes";
    ASSERT_TRUE(l.error.empty()) << l.error;
    ASSERT_EQ(l.keys.size(), RTE_MAX_LCORE - 1u);
    // The worst case does not fit whole: the rest is named, with the way to ask for each.
    ASSERT_TRUE(l.omits());
    EXPECT_GT(l.included, 0u);
    EXPECT_EQ(l.omitted_key, "omitted_lcores");
    EXPECT_NE(l.help.find("/hypertick/stats,"), std::string::npos) << l.help;
    for (std::size_t i = 0; i < l.keys.size(); ++i) {
        EXPECT_EQ(l.keys[i], "lcore" + std::to_string(i + 1));
        if (i < l.included)
            EXPECT_NE(reply.find(quoted(l.keys[i]).append(":{")), std::string::npos) << l.keys[i];
        else
            EXPECT_NE(reply.find(quoted(l.keys[i])), std::string::npos) << l.keys[i];
    }
    // Each included lcore carries every counter.
    for (std::size_t i = 0; i < l.included; ++i)
        EXPECT_EQ(l.entries[i].fields().size(), std::size(gw::worker_counter_table));
}

TEST(TelemetryReplies, AsManyLcoresAsFitAreIncluded) {
    const worst_case_workers workers(0);
    const gw::telemetry_listing l = gw::stats_listing(workers.view, "/hypertick/stats");
    ASSERT_TRUE(l.omits());
    // One more lcore in the reply would leave less than the 32 spare bytes the check keeps.
    gw::telemetry_listing more = l;
    ++more.included;
    EXPECT_GT(reply_json("/hypertick/stats", more).size() + 1 + 32, gw::telemetry_reply_limit);
}

TEST(TelemetryReplies, FewLcoresAreAllIncluded) {
    worst_case_workers workers(0);
    workers.view.workers.resize(4);
    const gw::telemetry_listing l = gw::stats_listing(workers.view, "/hypertick/stats");
    EXPECT_FALSE(l.omits());
    EXPECT_EQ(l.included, 4u);
    const std::string reply = reply_json("/hypertick/stats", l);
    EXPECT_EQ(reply.find("omitted"), std::string::npos) << reply;
}

TEST(TelemetryReplies, OneLcoreByNumberOrKey) {
    const worst_case_workers workers(0);
    gw::telemetry_dict d;
    ASSERT_TRUE(gw::stats_of_lcore(workers.view, "127", d));
    EXPECT_EQ(d.fields().size(), std::size(gw::worker_counter_table));
    EXPECT_TRUE(gw::telemetry_reply_fits("/hypertick/stats", d.json_bytes()));
    EXPECT_TRUE(gw::stats_of_lcore(workers.view, "lcore5", d));
    EXPECT_FALSE(gw::stats_of_lcore(workers.view, "0", d));  // the main lcore runs no worker
    EXPECT_FALSE(gw::stats_of_lcore(workers.view, "128", d));
    EXPECT_FALSE(gw::stats_of_lcore(workers.view, "1x", d));
    EXPECT_FALSE(gw::stats_of_lcore(workers.view, "", d));
    EXPECT_FALSE(gw::stats_of_lcore(workers.view, "lcore", d));
}

// The most feeds a configuration can run, with names longer than a key holds: not even their
// keys fit one reply, so the reply is one error saying how to ask for each; with fewer feeds
// every feed is in the reply or named.
TEST(TelemetryReplies, FeedsAtTheirMostAreNamedOrTheReplySaysWhy) {
    const worst_case_workers workers(gw::max_feeds_per_worker);
    const gw::telemetry_listing all = gw::feeds_listing(workers.view, "/hypertick/feeds");
    EXPECT_TRUE(fits(reply_json("/hypertick/feeds", all)));
    EXPECT_NE(all.error.find("/hypertick/feed,"), std::string::npos) << all.error;

    gw::telemetry_view few = workers.view;
    few.workers.resize(4);
    const gw::telemetry_listing l = gw::feeds_listing(few, "/hypertick/feeds");
    const std::string reply = reply_json("/hypertick/feeds", l);
    EXPECT_TRUE(fits(reply)) << reply.size() << " bytes";
    ASSERT_TRUE(l.error.empty()) << l.error;
    ASSERT_EQ(l.keys.size(), 4u * gw::max_feeds_per_worker);
    ASSERT_TRUE(l.omits());
    for (const std::string& key : l.keys) EXPECT_NE(reply.find(quoted(key)), std::string::npos);
    // One feed, by its key, fits a reply of its own.
    gw::telemetry_dict one;
    ASSERT_TRUE(gw::feed_by_name(few, l.keys.back(), one));
    EXPECT_TRUE(gw::telemetry_reply_fits("/hypertick/feed", one.json_bytes()));
}
