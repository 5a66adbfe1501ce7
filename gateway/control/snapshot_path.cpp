#include "control/snapshot_path.hpp"

#include "hypertick/base/assert.hpp"

namespace hypertick::gw {

std::string feed_snapshot_path(const std::string& option_path, const gateway_config& c,
                               std::size_t feed_index) {
    HT_ASSERT(feed_index < c.feeds.size());
    if (feed_index == 0) return option_path;
    // Only a final ".json" is replaced: one inside a folder's name ("books.json.d/day") would
    // move the other feeds' files out of the folder the option names.
    const std::string json = ".json";
    const bool ends_in_json =
        option_path.size() > json.size() &&
        option_path.compare(option_path.size() - json.size(), json.size(), json) == 0;
    const std::string stem =
        ends_in_json ? option_path.substr(0, option_path.size() - json.size()) : option_path;
    return stem + "." + c.feeds[feed_index].name + json;
}

}  // namespace hypertick::gw
