#include "hypertick/frame_pool.hpp"

#include "hypertick/base/assert.hpp"

namespace hypertick {

std::size_t frame_pool::required_bytes(
    const std::array<frame_class, max_frame_classes>& classes) noexcept {
    std::size_t bytes = 0;
    for (const frame_class& c : classes) bytes += std::size_t{c.slot_bytes} * c.count;
    return bytes;
}

void frame_pool::init(const std::array<frame_class, max_frame_classes>& classes,
                      std::byte* memory) noexcept {
    std::byte* cursor = memory;
    for (std::size_t i = 0; i < max_frame_classes; ++i) {
        size_class& sc = classes_[i];
        sc = size_class{};
        sc.base = cursor;
        sc.slot_bytes = classes[i].slot_bytes;
        sc.count = classes[i].count;
        HT_ASSERT(sc.count == 0 || (sc.slot_bytes > header_bytes && sc.slot_bytes % 16 == 0));
        // Thread the free list in address order so allocation order is deterministic.
        for (std::uint32_t s = sc.count; s > 0; --s) {
            auto* slot = reinterpret_cast<free_slot*>(cursor + std::size_t{s - 1} * sc.slot_bytes);
            slot->next = sc.free_head;
            sc.free_head = slot;
        }
        cursor += std::size_t{sc.slot_bytes} * sc.count;
        sc.limit = cursor;
    }
}

std::uint32_t frame_pool::largest_frame_bytes() const noexcept {
    std::uint32_t largest = 0;
    for (const size_class& sc : classes_)
        if (sc.count > 0 && sc.slot_bytes > largest) largest = sc.slot_bytes;
    return largest > header_bytes ? largest - static_cast<std::uint32_t>(header_bytes) : 0;
}

}  // namespace hypertick
