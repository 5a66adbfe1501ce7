#include "hypertick/book/fixed_memory.hpp"

#include <cstdlib>

namespace hypertick::book {

namespace {
constexpr size_t page_bytes = 4096;
}

bool FixedMemory::allocate(size_t bytes, bool prefault) {
    std::free(data_);
    data_ = nullptr;
    size_ = 0;
    // calloc of a large block maps fresh zero pages without writing them.
    void* memory = std::calloc(bytes == 0 ? 1 : bytes, 1);
    if (memory == nullptr) return false;
    data_ = static_cast<uint8_t*>(memory);
    size_ = bytes;
    if (prefault) {
        // A volatile write per page makes each one resident; the value stays zero.
        volatile uint8_t* touch = data_;
        for (size_t offset = 0; offset < bytes; offset += page_bytes) touch[offset] = 0;
    }
    return true;
}

FixedMemory::~FixedMemory() { std::free(data_); }

}  // namespace hypertick::book
