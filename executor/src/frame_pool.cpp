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
    }
}

void* frame_pool::allocate(std::size_t size, frame_alloc_status& status) noexcept {
    const std::size_t needed = size + header_bytes;
    bool fits_somewhere = false;
    for (std::uint32_t i = 0; i < max_frame_classes; ++i) {
        size_class& sc = classes_[i];
        if (sc.count == 0 || sc.slot_bytes < needed) continue;
        fits_somewhere = true;
        if (sc.free_head == nullptr) continue;  // spill to the next larger class
        free_slot* slot = sc.free_head;
        sc.free_head = slot->next;
        ++sc.in_use;
        if (sc.in_use > sc.peak_in_use) sc.peak_in_use = sc.in_use;
        auto* header = reinterpret_cast<frame_header*>(slot);
        *header = frame_header{this, i, header_magic};
        status = frame_alloc_status::ok;
        return reinterpret_cast<std::byte*>(header) + header_bytes;
    }
    status = fits_somewhere ? frame_alloc_status::exhausted : frame_alloc_status::too_large;
    return nullptr;
}

void frame_pool::release(void* frame) noexcept {
    HT_ASSERT(frame != nullptr);
    auto* header = reinterpret_cast<frame_header*>(static_cast<std::byte*>(frame) - header_bytes);
    HT_ASSERT(header->magic == header_magic);
    HT_ASSERT(header->pool != nullptr);
    header->pool->release_to_class(header->class_index, header);
}

void frame_pool::release_to_class(std::uint32_t class_index, frame_header* header) noexcept {
    HT_ASSERT(class_index < max_frame_classes);
    size_class& sc = classes_[class_index];
    auto* bytes = reinterpret_cast<std::byte*>(header);
    HT_ASSERT(bytes >= sc.base && bytes < sc.base + std::size_t{sc.slot_bytes} * sc.count);
    HT_ASSERT(sc.in_use > 0);
    header->magic = 0;  // a second release of the same frame trips the magic check
    auto* slot = reinterpret_cast<free_slot*>(header);
    slot->next = sc.free_head;
    sc.free_head = slot;
    --sc.in_use;
}

std::uint32_t frame_pool::largest_frame_bytes() const noexcept {
    std::uint32_t largest = 0;
    for (const size_class& sc : classes_)
        if (sc.count > 0 && sc.slot_bytes > largest) largest = sc.slot_bytes;
    return largest > header_bytes ? largest - static_cast<std::uint32_t>(header_bytes) : 0;
}

}  // namespace hypertick
