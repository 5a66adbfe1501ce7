// Where --snapshot writes each feed's books: the option's path for the configuration's first
// feed, the path with ".<feed name>" before its ".json" for every other. One definition, read by
// the start checks (every file the run will write is checked before DPDK starts) and by the
// writer at exit, so the two never disagree about a name.
#pragma once

#include <cstddef>
#include <string>

#include "config/settings.hpp"

namespace hypertick::gw {

// The snapshot file of `c.feeds[feed_index]` when --snapshot is `option_path`.
std::string feed_snapshot_path(const std::string& option_path, const gateway_config& c,
                               std::size_t feed_index);

}  // namespace hypertick::gw
