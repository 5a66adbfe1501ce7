#include "hypertick/feed/copy_key.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstddef>

namespace hypertick::feed {

int draw_copy_key(copy_key& key, random_source source) {
    if (source == nullptr) source = getrandom;
    key = copy_key{};
    // A key that failed half way is never left looking drawn.
    const auto fail = [&key](int error) {
        key = copy_key{};
        return error;
    };
    auto* bytes = reinterpret_cast<unsigned char*>(key.words);
    std::size_t filled = 0;
    // getrandom returns at most what was asked; a signal may interrupt it before any byte.
    // Bounded: 48 bytes never need more than a few calls, a stuck source is an error.
    for (int attempt = 0; attempt < 64 && filled < sizeof key.words; ++attempt) {
        const std::size_t wanted = sizeof key.words - filled;
        const ssize_t got = source(bytes + filled, wanted, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return fail(errno);
        }
        if (static_cast<std::size_t>(got) > wanted) return fail(EIO);
        filled += static_cast<std::size_t>(got);
    }
    if (filled < sizeof key.words || !key.drawn()) return fail(EIO);  // stuck, or all zero
    return 0;
}

}  // namespace hypertick::feed
