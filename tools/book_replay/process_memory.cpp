#include "process_memory.hpp"

#include <cstdio>
#include <cstring>

namespace book_replay {

resident_memory_sample resident_memory() {
    resident_memory_sample memory;
    std::FILE* status = std::fopen("/proc/self/status", "r");
    if (status == nullptr) return memory;
    char line[256];
    while (std::fgets(line, sizeof line, status) != nullptr) {
        unsigned long long kib = 0;
        if (std::sscanf(line, "VmHWM: %llu kB", &kib) == 1) memory.peak_kib = kib;
        if (std::sscanf(line, "VmRSS: %llu kB", &kib) == 1) memory.current_kib = kib;
    }
    std::fclose(status);
    return memory;
}

}  // namespace book_replay
