// A program outside the hyper-tick tree: builds an executor, checks that it initialised, spawns
// a task that awaits another, and runs them. Exit 0 when everything worked, 1 otherwise.
#include <hypertick/hypertick.hpp>

#include <cstdio>

namespace ht = hypertick;

namespace {

ht::task<int> square(int v) {
    co_await ht::yield_now();
    co_return v* v;
}

ht::task<void> parent(ht::executor& ex, int& result) {
    auto child = ex.spawn(square, 7);
    if (!child.ok()) {
        std::fprintf(stderr, "spawn: %s\n", ht::to_string(child.error()));
        co_return;
    }
    auto joined = co_await child.handle().join();
    if (joined.ok()) result = *joined.value;
}

}  // namespace

int main() {
    ht::executor_config config;
    config.max_tasks = 16;
    config.frame_classes = {ht::frame_class{256, 16}, ht::frame_class{1024, 4}, ht::frame_class{},
                            ht::frame_class{}};
    ht::tsc_clock clock;
    ht::executor ex(config, clock);
    // The constructor never throws: a bad configuration or a failed allocation is a status.
    if (ex.status() != ht::init_error::none) {
        std::fprintf(stderr, "executor: %s\n", ht::to_string(ex.status()));
        return 1;
    }
    int result = 0;
    const ht::spawn_error spawned = ex.spawn_detached(parent, ex, result);
    if (spawned != ht::spawn_error::none) {
        std::fprintf(stderr, "spawn: %s\n", ht::to_string(spawned));
        return 1;
    }
    ex.run();
    std::printf("7 * 7 = %d\n", result);
    return result == 49 ? 0 : 1;
}
