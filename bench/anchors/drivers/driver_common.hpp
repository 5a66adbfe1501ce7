// Shared by the anchor drivers: load a NASDAQ historical file into memory, time a pass,
// report ns/message and peak RSS in the format bench/anchors/run.sh reads, and write a book
// dump: one line per level, "locate side price shares orders" (orders "-" when unknown).
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace harness {

inline std::vector<unsigned char> load(const char* path) {
    std::vector<unsigned char> bytes;
    FILE* f = std::fopen(path, "rb");
    if (!f) {
        std::perror(path);
        std::exit(2);
    }
    std::fseek(f, 0, SEEK_END);
    bytes.resize(static_cast<size_t>(std::ftell(f)));
    std::fseek(f, 0, SEEK_SET);
    if (std::fread(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
        std::perror(path);
        std::exit(2);
    }
    std::fclose(f);
    return bytes;
}

inline long peak_rss_kib() {
    FILE* f = std::fopen("/proc/self/status", "r");
    char line[256];
    long kib = 0;
    while (f && std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, "VmHWM:", 6) == 0) kib = std::atol(line + 6);
    }
    if (f) std::fclose(f);
    return kib;
}

inline uint64_t count_messages(const std::vector<unsigned char>& b) {
    uint64_t n = 0;
    for (size_t i = 0; i + 2 <= b.size();) {
        const size_t len = (size_t{b[i]} << 8) | b[i + 1];
        if (len == 0) break;
        i += 2 + len;
        ++n;
    }
    return n;
}

inline void report(uint64_t messages, uint64_t ns) {
    std::printf("messages %llu\nns_per_message %.3f\npeak_rss_kib %ld\n",
                static_cast<unsigned long long>(messages),
                static_cast<double>(ns) / static_cast<double>(messages), peak_rss_kib());
}

struct Timer {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    uint64_t ns() const {
        return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                         std::chrono::steady_clock::now() - start)
                                         .count());
    }
};

}  // namespace harness
