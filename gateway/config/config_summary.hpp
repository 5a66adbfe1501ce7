// What a configuration would run, as text for people: --check-config prints it.
#pragma once

#include <string>

#include "config/settings.hpp"

namespace hypertick::gw {

// The feed, its lcore, then one line per feed line (A, B) and its recovery, each line indented
// by `indent` spaces and ending in '\n'.
std::string describe_feed(const feed_settings& feed, int indent);

}  // namespace hypertick::gw
