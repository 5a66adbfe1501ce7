// Shared helpers for the executor tests.
#pragma once

#include <cstdint>
#include <vector>

#include "hypertick/hypertick.hpp"

namespace hypertick::test {

inline executor_config small_config(std::uint32_t max_tasks = 64) {
    executor_config c;
    c.max_tasks = max_tasks;
    c.frame_classes = {frame_class{256, max_tasks}, frame_class{1024, 8}, frame_class{},
                       frame_class{}};
    c.channel_storage_bytes = 4096;
    c.trace_capacity = 4096;
    return c;
}

// A task-visible log of what happened, in order.
struct journal {
    std::vector<int> entries;
    void note(int v) { entries.push_back(v); }
};

}  // namespace hypertick::test
