// At most one log line per period for a repeating report (a feed's book capacity errors), the
// others counted: the next line that passes says how many were held back. Reports that carry
// running totals lose nothing by it; the control plane logs the last held-back one at exit.
#pragma once

#include <cstdint>

namespace hypertick::gw {

class log_rate_limit {
  public:
    explicit log_rate_limit(double period_s) : period_s_(period_s) {}

    // True when a line may be logged at `now_s`; false counts it as suppressed.
    bool allow(double now_s) {
        if (logged_once_ && now_s - last_logged_s_ < period_s_) {
            ++suppressed_;
            return false;
        }
        logged_once_ = true;
        last_logged_s_ = now_s;
        return true;
    }
    // Lines held back since the last one allowed (call after allow() returned true).
    std::uint64_t take_suppressed() {
        const std::uint64_t n = suppressed_;
        suppressed_ = 0;
        return n;
    }
    [[nodiscard]] std::uint64_t suppressed() const { return suppressed_; }

  private:
    double period_s_;
    double last_logged_s_ = 0;
    bool logged_once_ = false;
    std::uint64_t suppressed_ = 0;
};

}  // namespace hypertick::gw
