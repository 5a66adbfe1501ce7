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
        // Touch every slot now, so no first use of one faults a page in on the hot path.
        for (std::uint32_t s = 0; s < sc.count; ++s)
            reinterpret_cast<free_slot*>(cursor + std::size_t{s} * sc.slot_bytes)->next = nullptr;
        sc.fresh = cursor;
        cursor += std::size_t{sc.slot_bytes} * sc.count;
        sc.limit = cursor;
    }
}

std::uint32_t frame_pool::peak_in_use(std::size_t class_index) const noexcept {
    const size_class& sc = classes_[class_index];
    if (sc.count == 0) return 0;
    return static_cast<std::uint32_t>(static_cast<std::size_t>(sc.fresh - sc.base) / sc.slot_bytes);
}

std::uint32_t frame_pool::in_use(std::size_t class_index) const noexcept {
    const size_class& sc = classes_[class_index];
    std::uint32_t released = 0;
    for (const free_slot* slot = sc.free_head; slot != nullptr; slot = slot->next) {
        ++released;
        HT_ASSERT(released <= sc.count);  // more would be a cycle: a frame released twice
    }
    return peak_in_use(class_index) - released;
}

std::uint32_t frame_pool::largest_frame_bytes() const noexcept {
    std::uint32_t largest = 0;
    for (const size_class& sc : classes_)
        if (sc.count > 0 && sc.slot_bytes > largest) largest = sc.slot_bytes;
    return largest > header_bytes ? largest - static_cast<std::uint32_t>(header_bytes) : 0;
}

}  // namespace hypertick
