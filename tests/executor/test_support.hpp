// Shared helpers for the executor tests.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "hypertick/hypertick.hpp"

namespace hypertick::test {

// The executor drains through one of two loops: with the trace (or the stall detector) on, and
// the lean one without either, which production runs. Every executor test binary runs twice
// (tests/executor/CMakeLists.txt): as is, with the trace on, and under HYPERTICK_TEST_TRACE=off,
// so each test exercises both loops. A test that reads the trace sets trace_capacity itself.
inline bool trace_off_requested() {
    const char* value = std::getenv("HYPERTICK_TEST_TRACE");
    return value != nullptr && std::strcmp(value, "off") == 0;
}

inline executor_config small_config(std::uint32_t max_tasks = 64) {
    executor_config c;
    c.max_tasks = max_tasks;
    c.frame_classes = {frame_class{256, max_tasks}, frame_class{1024, 8}, frame_class{},
                       frame_class{}};
    c.channel_storage_bytes = 4096;
    c.trace_capacity = trace_off_requested() ? 0 : 4096;
    return c;
}

// A task-visible log of what happened, in order.
struct journal {
    std::vector<int> entries;
    void note(int v) { entries.push_back(v); }
};

}  // namespace hypertick::test
