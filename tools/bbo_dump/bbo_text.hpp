// How bbo_dump prints what it decodes: prices as decimals, ITCH timestamps as clock time, the
// record table's header and rows, and the summary table. Pure text, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hypertick/book/bbo.hpp"

namespace hypertick::tools::bbo_dump {

// An ITCH Price(4) (4 implied decimals) as a decimal with 4 places: 1234500 -> "123.4500".
std::string price_text(std::uint32_t price);

// Nanoseconds since midnight as HH:MM:SS.nnnnnnnnn. Hours run past 23 for a timestamp that
// does not fit one day (the field is 64 bits on the wire; a hostile capture may say anything).
std::string clock_text(std::uint64_t ns_since_midnight);

// The line naming the columns of record_row, aligned with it.
std::string record_header();

// One record: publisher, datagram sequence, symbol (already escaped), feed sequence, ITCH
// timestamp in ns and as clock time, best bid and best ask (price, shares, orders), flags.
std::string record_row(std::uint32_t publisher, std::uint64_t datagram, const std::string& symbol,
                       const book::bbo_update& u);

// "name   value" lines, values right-aligned to the widest one, names padded to the longest.
using summary_counts = std::vector<std::pair<std::string, std::uint64_t>>;
std::string summary_table(const summary_counts& counts);

}  // namespace hypertick::tools::bbo_dump
