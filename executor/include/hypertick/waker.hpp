// A hand-written waker: a {data, vtable} pair, the C++ twin of Rust's RawWaker.
//
// `data` is an opaque pointer-sized word; for executor tasks it packs the task's slab index, the
// slot's generation and the owning executor's id (see task_ref.hpp), not a pointer. The vtable's
// four entries say what to do with it. `waker` is the owning, RAII face of a raw_waker: copying it
// clones, destroying it drops, and wake() consumes it, exactly as in Rust.
#pragma once

#include <utility>

namespace hypertick {

struct raw_waker;

struct raw_waker_vtable {
    raw_waker (*clone)(const void* data) noexcept;   // a new reference to the same task
    void (*wake)(const void* data) noexcept;         // wake, then drop this reference
    void (*wake_by_ref)(const void* data) noexcept;  // wake, keep this reference
    void (*drop)(const void* data) noexcept;         // release this reference
};

struct raw_waker {
    const void* data = nullptr;
    const raw_waker_vtable* vtable = nullptr;
};

class waker {
  public:
    waker() noexcept = default;
    // Adopts `raw`: the waker now owns that reference and drops it when destroyed.
    explicit waker(raw_waker raw) noexcept : raw_(raw) {}

    waker(const waker& other) noexcept
        : raw_(other.raw_.vtable ? other.raw_.vtable->clone(other.raw_.data) : raw_waker{}) {}
    waker(waker&& other) noexcept : raw_(std::exchange(other.raw_, raw_waker{})) {}
    waker& operator=(const waker& other) noexcept {
        if (this != &other) *this = waker(other);
        return *this;
    }
    waker& operator=(waker&& other) noexcept {
        if (this != &other) {
            reset();
            raw_ = std::exchange(other.raw_, raw_waker{});
        }
        return *this;
    }
    ~waker() { reset(); }

    // Wakes the task and gives up this reference (the waker is empty afterwards).
    void wake() && noexcept {
        if (!raw_.vtable) return;
        raw_waker raw = std::exchange(raw_, raw_waker{});
        raw.vtable->wake(raw.data);
    }
    // Gives up the reference without dropping it: the caller now owns `raw` (and must wake or
    // drop it through its vtable, or hand it to something that will).
    [[nodiscard]] raw_waker release() && noexcept { return std::exchange(raw_, raw_waker{}); }
    void wake_by_ref() const noexcept {
        if (raw_.vtable) raw_.vtable->wake_by_ref(raw_.data);
    }
    void reset() noexcept {
        if (!raw_.vtable) return;
        raw_waker raw = std::exchange(raw_, raw_waker{});
        raw.vtable->drop(raw.data);
    }

    [[nodiscard]] explicit operator bool() const noexcept { return raw_.vtable != nullptr; }
    // True when both wake the same task (so a waiter need not replace its stored waker).
    [[nodiscard]] bool will_wake(const waker& other) const noexcept {
        return raw_.data == other.raw_.data && raw_.vtable == other.raw_.vtable;
    }
    [[nodiscard]] const raw_waker& raw() const noexcept { return raw_; }

  private:
    raw_waker raw_;
};

}  // namespace hypertick
