// A deterministic .hlog written by our writer: two lcores times two metrics, three intervals,
// latencies from 100 ns to about 10 s with a long tail (all far below 2^53).
#pragma once

#include <fstream>
#include <string>

#include "hypertick/stats/hlog_writer.hpp"

namespace stats_test {

inline void write_sample_log(const std::string& path) {
    std::ofstream out(path);
    hypertick::stats::hlog_writer writer(out, 1700000000.0);
    std::uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int interval = 0; interval < 3; ++interval) {
        for (unsigned lcore = 1; lcore <= 2; ++lcore) {
            for (const char* metric : {"rx_to_book", "rx_to_bbo_tx"}) {
                hypertick::stats::histogram h;
                for (int i = 0; i < 20000; ++i) {
                    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                    const std::uint64_t u = x % 100000;
                    h.record(u < 99000   ? 100 + x % (1000 * lcore)
                             : u < 99990 ? 5000 + x % 500000
                                         : 1 + x % 10'000'000'000ull);
                }
                writer.write_interval(hypertick::stats::hlog_tag(lcore, metric),
                                      1700000000.0 + interval, 1700000001.0 + interval, h);
            }
        }
    }
}

}  // namespace stats_test
