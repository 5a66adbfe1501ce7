// Coroutine frame memory: fixed size classes carved from the executor's one allocation.
//
// Each class is a contiguous run of equal slots threaded on a free list. Every frame is preceded
// by a 16-byte header naming its pool and class, so operator delete finds its way home without
// any global state.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "hypertick/config.hpp"

namespace hypertick {

enum class frame_alloc_status : std::uint8_t { ok, too_large, exhausted, no_pool };

class frame_pool {
public:
    static constexpr std::size_t header_bytes = 16;

    // Bytes needed for `classes`, slot sizes as configured.
    [[nodiscard]] static std::size_t required_bytes(
        const std::array<frame_class, max_frame_classes>& classes) noexcept;

    void init(const std::array<frame_class, max_frame_classes>& classes, std::byte* memory) noexcept;

    // A frame of `size` bytes, or nullptr with `status` saying why.
    [[nodiscard]] void* allocate(std::size_t size, frame_alloc_status& status) noexcept;
    // Returns a frame obtained from any frame_pool.
    static void release(void* frame) noexcept;

    [[nodiscard]] std::uint32_t in_use(std::size_t class_index) const noexcept {
        return classes_[class_index].in_use;
    }
    [[nodiscard]] std::uint32_t peak_in_use(std::size_t class_index) const noexcept {
        return classes_[class_index].peak_in_use;
    }
    [[nodiscard]] std::uint32_t largest_frame_bytes() const noexcept;

private:
    struct free_slot {
        free_slot* next;
    };
    struct size_class {
        std::byte* base = nullptr;
        std::uint32_t slot_bytes = 0;
        std::uint32_t count = 0;
        std::uint32_t in_use = 0;
        std::uint32_t peak_in_use = 0;
        free_slot* free_head = nullptr;
    };
    struct frame_header {
        frame_pool* pool;
        std::uint32_t class_index;
        std::uint32_t magic;
    };
    static_assert(sizeof(frame_header) == header_bytes);
    static constexpr std::uint32_t header_magic = 0x48544652;  // "HTFR"

    void release_to_class(std::uint32_t class_index, frame_header* header) noexcept;

    std::array<size_class, max_frame_classes> classes_{};
};

}  // namespace hypertick
