#include "hypertick/book/fixed_memory.hpp"

#include <cstdlib>

namespace hypertick::book {

namespace {
constexpr size_t page_bytes = 4096;
}

void FixedMemory::release() {
    if (data_ != nullptr) {
        if (source_ != nullptr) source_->release(source_->context, data_);
        else std::free(data_);
    }
    data_ = nullptr;
    size_ = 0;
    source_ = nullptr;
}

bool FixedMemory::allocate(size_t bytes, Allocation how) {
    release();
    const size_t asked = bytes == 0 ? 1 : bytes;
    // calloc of a large block maps fresh zero pages without writing them; a source (hugepage
    // memory) hands out zeroed memory of its own.
    void* memory = how.source != nullptr ? how.source->allocate(how.source->context, asked) : std::calloc(asked, 1);
    if (memory == nullptr) return false;
    data_ = static_cast<uint8_t*>(memory);
    size_ = bytes;
    source_ = how.source;
    if (how.prefault) {
        // A volatile write per page makes each one resident; the value stays zero.
        volatile uint8_t* touch = data_;
        for (size_t offset = 0; offset < bytes; offset += page_bytes) touch[offset] = 0;
    }
    return true;
}

FixedMemory::~FixedMemory() { release(); }

}  // namespace hypertick::book
