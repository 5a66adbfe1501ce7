#include "bbo_text.hpp"

#include <algorithm>
#include <cassert>
#include <cinttypes>
#include <cstdio>

namespace hypertick::tools::bbo_dump {
namespace {

// Column widths shared by record_header and record_row, so the two cannot drift apart. Each
// fits its field's largest sensible value: a uint8 publisher, 14 digits of ns in a day,
// HH:MM:SS.nnnnnnnnn, and a uint32 price with 4 decimals (429496.7295).
constexpr int publisher_width = 3, datagram_width = 9, symbol_width = 8, sequence_width = 10,
              ns_width = 14, clock_width = 18, price_width = 11, shares_width = 10,
              orders_width = 10;

std::string flags_text(std::uint8_t flags) {
    std::string out;
    if ((flags & book::bbo_flag::bbo_book_degraded) != 0) out += "DEGRADED";
    if ((flags & book::bbo_flag::bbo_feed_invalid) != 0)
        out += out.empty() ? "FEED-INVALID" : ",FEED-INVALID";
    return out.empty() ? "-" : out;
}

}  // namespace

std::string price_text(std::uint32_t price) {
    char out[16];
    const int n =
        std::snprintf(out, sizeof out, "%" PRIu32 ".%04" PRIu32, price / 10000, price % 10000);
    assert(n > 0 && static_cast<std::size_t>(n) < sizeof out);
    return std::string(out, static_cast<std::size_t>(n));
}

std::string clock_text(std::uint64_t ns_since_midnight) {
    const std::uint64_t seconds = ns_since_midnight / 1'000'000'000;
    char out[40];
    const int n = std::snprintf(
        out, sizeof out, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64 ".%09" PRIu64, seconds / 3600,
        seconds / 60 % 60, seconds % 60, ns_since_midnight % 1'000'000'000);
    assert(n > 0 && static_cast<std::size_t>(n) < sizeof out);
    return std::string(out, static_cast<std::size_t>(n));
}

std::string record_header() {
    char out[256];
    const int n = std::snprintf(
        out, sizeof out, "%*s %*s %-*s %*s %*s %-*s %*s %*s %*s %*s %*s %*s %s", publisher_width,
        "pub", datagram_width, "datagram", symbol_width, "symbol", sequence_width, "feed_seq",
        ns_width, "itch_ns", clock_width, "itch_time", price_width, "bid_price", shares_width,
        "bid_shares", orders_width, "bid_orders", price_width, "ask_price", shares_width,
        "ask_shares", orders_width, "ask_orders", "flags");
    assert(n > 0 && static_cast<std::size_t>(n) < sizeof out);
    return std::string(out, static_cast<std::size_t>(n));
}

std::string record_row(std::uint32_t publisher, std::uint64_t datagram, const std::string& symbol,
                       const book::bbo_update& u) {
    // An escaped symbol is at most 8 x 6 characters; every other field has a bounded width.
    char out[512];
    const int n =
        std::snprintf(out, sizeof out,
                      "%*u %*" PRIu64 " %-*s %*" PRIu64 " %*" PRIu64 " %-*s %*s %*" PRIu64
                      " %*u %*s %*" PRIu64 " %*u %s",
                      publisher_width, publisher, datagram_width, datagram, symbol_width,
                      symbol.c_str(), sequence_width, u.sequence, ns_width, u.timestamp_ns,
                      clock_width, clock_text(u.timestamp_ns).c_str(), price_width,
                      price_text(u.bid.price).c_str(), shares_width, u.bid.shares, orders_width,
                      u.bid.orders, price_width, price_text(u.ask.price).c_str(), shares_width,
                      u.ask.shares, orders_width, u.ask.orders, flags_text(u.flags).c_str());
    assert(n > 0 && static_cast<std::size_t>(n) < sizeof out);
    return std::string(out, static_cast<std::size_t>(n));
}

std::string summary_table(const summary_counts& counts) {
    std::size_t name_width = 0, value_width = 1;
    for (const auto& [name, value] : counts) {
        name_width = std::max(name_width, name.size());
        value_width = std::max(value_width, std::to_string(value).size());
    }
    std::string out;
    for (const auto& [name, value] : counts) {
        const std::string number = std::to_string(value);
        out += "  " + name + std::string(name_width - name.size() + 2, ' ') +
               std::string(value_width - number.size(), ' ') + number + "\n";
    }
    return out;
}

}  // namespace hypertick::tools::bbo_dump
