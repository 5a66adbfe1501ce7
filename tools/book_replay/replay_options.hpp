// book_replay's command line: every option, its default, strict parsing with errors that name
// the offending argument.
#pragma once

#include <cstdint>
#include <string>

#include "hypertick/book/book_capacities.hpp"

namespace book_replay {

struct replay_options {
    std::string capture;
    std::string snapshot;           // empty: no snapshot
    uint32_t depth = ~uint32_t{0};  // levels per side in the snapshot
    hypertick::book::book_capacities capacities;
    uint32_t runs = 1;   // timed passes, each over fresh books; the median is shown
    uint32_t group = 0;  // 0: any destination group
    uint16_t port = 0;   // 0: any destination port
};

enum class parse_result { ok, help, version, error };

parse_result parse_options(int argc, const char* const* argv, replay_options& options,
                           std::string& error);
const char* usage_text();

}  // namespace book_replay
