// The one exception the stats library throws: input that is not what the format says. Only
// the decoding and log-reading paths (control plane, tools) throw it; recording never does.
#pragma once

#include <stdexcept>

namespace hypertick::stats {

class format_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace hypertick::stats
