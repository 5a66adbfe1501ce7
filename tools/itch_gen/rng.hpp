// A seeded pseudo-random generator whose output is the same on every platform and compiler
// (the standard library's distributions are implementation-defined, so they are not used).
#pragma once

#include <cassert>
#include <cstdint>

namespace itch_gen {

// SplitMix64: tiny, fast, passes BigCrush; plenty for a market simulation.
class random_generator {
  public:
    explicit random_generator(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }

    // Uniform in [0, bound) by multiply-high (bias below 2^-32 for our bounds).
    uint64_t below(uint64_t bound) {
        assert(bound > 0);
        return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * bound) >> 64);
    }

    uint64_t between(uint64_t low, uint64_t high) { return low + below(high - low + 1); }

    // True with probability `per_million` / 1e6.
    bool chance(uint32_t per_million) { return below(1'000'000) < per_million; }

  private:
    uint64_t state_;
};

}  // namespace itch_gen
