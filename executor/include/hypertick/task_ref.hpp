// How a task is named outside the slab: index, generation and owning executor in one word.
//
// Bit layout of the packed word (also a waker's `data`):
//   [63..32] generation  [31..24] executor id  [23..0] slab index
// The generation changes every time a slot is recycled, so a word naming an old occupant no
// longer matches and every operation through it becomes a no-op.
#pragma once

#include <cstdint>

namespace hypertick {

inline constexpr std::uint32_t task_index_bits = 24;
inline constexpr std::uint32_t max_task_index = (1u << task_index_bits) - 1;
inline constexpr std::uint32_t invalid_task_index = 0xFFFFFFFFu;

struct task_ref {
    std::uint32_t index = invalid_task_index;
    std::uint32_t generation = 0;
    std::uint8_t executor_id = 0;

    [[nodiscard]] bool valid() const noexcept { return index != invalid_task_index; }
    friend bool operator==(const task_ref&, const task_ref&) = default;
};

static_assert(sizeof(void*) == 8, "task_ref packs 64 bits into a pointer");

[[nodiscard]] inline const void* pack_task_ref(task_ref ref) noexcept {
    const std::uint64_t word = (std::uint64_t{ref.generation} << 32) |
                               (std::uint64_t{ref.executor_id} << task_index_bits) |
                               (ref.index & max_task_index);
    return reinterpret_cast<const void*>(static_cast<std::uintptr_t>(word));
}

[[nodiscard]] inline task_ref unpack_task_ref(const void* data) noexcept {
    const auto word = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(data));
    return task_ref{static_cast<std::uint32_t>(word & max_task_index),
                    static_cast<std::uint32_t>(word >> 32),
                    static_cast<std::uint8_t>((word >> task_index_bits) & 0xFF)};
}

}  // namespace hypertick
