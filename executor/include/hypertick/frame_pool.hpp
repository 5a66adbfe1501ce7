// Coroutine frame memory: fixed size classes carved from the executor's one allocation.
//
// Each class is a contiguous run of equal slots: those never used yet are taken in address
// order from a cursor, and a released slot goes on the class's free list, which is taken from
// first. Every frame is preceded by a 16-byte header naming its class, so operator delete
// finds its way home without any global state.
//
// The hot path keeps no counters: a fresh slot is taken only when every slot used before is in
// use again, so the slots the cursor has passed are the class's peak, and those in use now are
// that peak less the free list's length (counted when asked, for tests and diagnostics).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "hypertick/assert.hpp"
#include "hypertick/config.hpp"

namespace hypertick {

enum class frame_alloc_status : std::uint8_t { ok, too_large, exhausted, no_pool };

class frame_pool {
  public:
    static constexpr std::size_t header_bytes = 16;

    // Bytes needed for `classes`, slot sizes as configured.
    [[nodiscard]] static std::size_t required_bytes(
        const std::array<frame_class, max_frame_classes>& classes) noexcept;

    void init(const std::array<frame_class, max_frame_classes>& classes,
              std::byte* memory) noexcept;

    // A frame of `size` bytes, or nullptr with `status` saying why (written only then: one store
    // less on every spawn). Inline, with release(): they are on every spawn, and the
    // coroutine's frame size is a constant there.
    [[nodiscard]] void* allocate(std::size_t size, frame_alloc_status& status) noexcept;
    // Returns a frame obtained from any frame_pool.
    static void release(void* frame) noexcept;

    // Frames of the class in use now: walks its free list.
    [[nodiscard]] std::uint32_t in_use(std::size_t class_index) const noexcept;
    // The most frames of the class that have been in use at once.
    [[nodiscard]] std::uint32_t peak_in_use(std::size_t class_index) const noexcept;
    [[nodiscard]] std::uint32_t largest_frame_bytes() const noexcept;

  private:
    struct free_slot {
        free_slot* next;
    };
    struct size_class {
        std::byte* base = nullptr;
        std::byte* limit = nullptr;  // one past the last slot
        std::byte* fresh = nullptr;  // the first slot never used yet (limit: none left)
        std::uint32_t slot_bytes = 0;
        std::uint32_t count = 0;
        free_slot* free_head = nullptr;  // released slots, most recent first
    };
    struct frame_header {
        size_class* home;  // the class the frame's slot belongs to
        std::uint32_t magic;
        std::uint32_t unused;  // never written: pads frames to 16-byte alignment
    };
    static_assert(sizeof(frame_header) == header_bytes);
    static constexpr std::uint32_t header_magic = 0x48544652;  // "HTFR"

    std::array<size_class, max_frame_classes> classes_{};
};

// ---- inline definitions (the spawn and completion paths) ----

inline void* frame_pool::allocate(std::size_t size, frame_alloc_status& status) noexcept {
    const std::size_t needed = size + header_bytes;
    bool fits_somewhere = false;
    for (std::uint32_t i = 0; i < max_frame_classes; ++i) {
        size_class& sc = classes_[i];
        if (sc.count == 0 || sc.slot_bytes < needed) continue;
        fits_somewhere = true;
        std::byte* slot = reinterpret_cast<std::byte*>(sc.free_head);
        if (slot != nullptr) [[likely]] {
            sc.free_head = reinterpret_cast<free_slot*>(slot)->next;
        } else if (sc.fresh != sc.limit) {
            slot = sc.fresh;
            sc.fresh += sc.slot_bytes;
        } else {
            continue;  // spill to the next larger class
        }
        auto* header = reinterpret_cast<frame_header*>(slot);
        header->home = &sc;
        header->magic = header_magic;
        return slot + header_bytes;
    }
    status = fits_somewhere ? frame_alloc_status::exhausted : frame_alloc_status::too_large;
    return nullptr;
}

// Release builds check the header's magic (a frame released twice, or memory that is no
// frame); the checks it implies (class, bounds, count) run in debug and sanitizer builds.
inline void frame_pool::release(void* frame) noexcept {
    HT_DEBUG_ASSERT(frame != nullptr);
    auto* header = reinterpret_cast<frame_header*>(static_cast<std::byte*>(frame) - header_bytes);
    HT_ASSERT(header->magic == header_magic);
    HT_DEBUG_ASSERT(header->home != nullptr);
    size_class& sc = *header->home;
    [[maybe_unused]] auto* bytes = reinterpret_cast<std::byte*>(header);
    HT_DEBUG_ASSERT(bytes >= sc.base && bytes < sc.fresh);
    header->magic = 0;  // a second release of the same frame trips the magic check
    auto* slot = reinterpret_cast<free_slot*>(header);
    slot->next = sc.free_head;
    sc.free_head = slot;
}

}  // namespace hypertick
