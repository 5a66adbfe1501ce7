// The process's resident memory, from /proc/self/status (Linux). Control plane only.
#pragma once

#include <cstdint>

namespace book_replay {

struct resident_memory_sample {
    uint64_t peak_kib = 0;     // VmHWM: the high-water mark
    uint64_t current_kib = 0;  // VmRSS
};

// Zeros when /proc is not readable.
resident_memory_sample resident_memory();

}  // namespace book_replay
