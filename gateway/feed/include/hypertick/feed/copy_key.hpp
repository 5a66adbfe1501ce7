// The secret that keys the copy check's message hash (copy_check.hpp).
//
// The hash is a sum of folded 64x64->128-bit multiplies of message words mixed with these
// words. With words anyone knows, a collision is computed offline: a message word equal to
// its mixing word zeroes that product whatever the other word of the chunk holds, so a forger
// who can predict a real message (its type, stock locate, prices) sends a different one with
// the same hash, the real copy is "verified" against it, and wrong books stay valid. Drawn
// from the kernel at start-up and never shown (not logged, not in telemetry or snapshots),
// the words leave a forger nothing to compute with; see copy_check.hpp for why a keyed folded
// multiply is enough.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace hypertick::feed {

inline constexpr uint32_t copy_key_words = 6;

struct copy_key {
    uint64_t words[copy_key_words] = {};

    // An all-zero key is what a caller that never drew one has (2^-384 for a drawn key).
    [[nodiscard]] bool drawn() const {
        uint64_t any = 0;
        for (const uint64_t w : words) any |= w;
        return any != 0;
    }
};

// Where the key's bytes come from: getrandom(2)'s signature, so tests can hand in a failing one.
using random_source = ssize_t (*)(void* buffer, std::size_t length, unsigned flags);

// Fills `key` from getrandom(2) (or `source`). Start-up only (a system call; it may wait for
// the kernel's entropy pool to be initialised early in boot). Returns 0, or the errno of the
// failure (EIO when the source keeps returning nothing, or only zeros): without a secret key
// the copy check cannot resist a forger, so the caller refuses to start.
[[nodiscard]] int draw_copy_key(copy_key& key, random_source source = nullptr);

}  // namespace hypertick::feed
