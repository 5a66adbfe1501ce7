#include "hypertick/feed/copy_key.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstddef>

namespace hypertick::feed {

int draw_copy_key(copy_key& key) {
    auto* bytes = reinterpret_cast<unsigned char*>(key.words);
    std::size_t filled = 0;
    // getrandom returns at most what was asked; a signal may interrupt it before any byte.
    // Bounded: 48 bytes never need more than a few calls, a stuck source is an error.
    for (int attempt = 0; attempt < 64 && filled < sizeof key.words; ++attempt) {
        const ssize_t got = getrandom(bytes + filled, sizeof key.words - filled, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        filled += static_cast<std::size_t>(got);
    }
    if (filled < sizeof key.words) return EIO;
    if (!key.drawn()) return EIO;  // all zero: the source is broken
    return 0;
}

}  // namespace hypertick::feed
