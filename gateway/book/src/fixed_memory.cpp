#include "hypertick/book/fixed_memory.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

#include "hypertick/base/assert.hpp"

namespace hypertick::book {

namespace {
constexpr size_t page_bytes = 4096;
constexpr size_t huge_page_bytes = size_t{2} << 20;
constexpr size_t cache_line_bytes = 64;

size_t round_up(size_t bytes, size_t unit) {
    return (bytes + unit - 1) / unit * unit;
}

// A block of at least one huge page gets its own mapping, aligned to 2 MiB and marked for
// transparent huge pages. Why: the order table is probed at random, and over 4 KiB pages a
// table of hundreds of MiB misses the TLB on nearly every lookup (a page walk on top of the
// cache miss). With 2 MiB pages the default 192 MiB table needs 96 TLB entries instead of
// 49 152. The kernel's default THP mode here is "madvise", so calloc alone never gets them.
// Returns nullptr when the mapping fails; the caller falls back to calloc.
void* map_huge(size_t mapped) {
    HT_ASSERT(mapped % huge_page_bytes == 0);
    // Over-map by one huge page, then trim both ends so the block starts on a 2 MiB boundary.
    const size_t over = mapped + huge_page_bytes;
    void* raw = mmap(nullptr, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
    const uintptr_t aligned = round_up(start, huge_page_bytes);
    if (aligned > start) munmap(raw, aligned - start);
    const uintptr_t tail = aligned + mapped;
    if (start + over > tail) munmap(reinterpret_cast<void*>(tail), start + over - tail);
    void* block = reinterpret_cast<void*>(aligned);
    // Advice only: without THP the block still works, over 4 KiB pages.
    (void)madvise(block, mapped, MADV_HUGEPAGE);
    return block;
}
}  // namespace

void fixed_memory::release() {
    if (data_ != nullptr) {
        if (source_ != nullptr)
            source_->release(source_->context, data_);
        else if (mapped_ != 0)
            munmap(data_, mapped_);
        else
            std::free(allocated_);
    }
    data_ = nullptr;
    allocated_ = nullptr;
    size_ = 0;
    mapped_ = 0;
    source_ = nullptr;
}

bool fixed_memory::allocate(size_t bytes, memory_allocation how) {
    release();
    const size_t asked = bytes == 0 ? 1 : bytes;
    // A source (hugepage memory) hands out zeroed memory of its own; a fresh anonymous mapping
    // and a large calloc are fresh zero pages that become resident only when touched.
    void* memory = nullptr;
    if (how.source != nullptr) {
        memory = how.source->allocate(how.source->context, asked);
    } else if (asked >= huge_page_bytes) {
        memory = map_huge(round_up(asked, huge_page_bytes));
        if (memory != nullptr) mapped_ = round_up(asked, huge_page_bytes);
    }
    if (memory == nullptr && how.source == nullptr) {
        // calloc promises only 16-byte alignment; one extra line lets the block start on a
        // cache line (order slots must not straddle lines) and keeps calloc's fresh zero pages.
        allocated_ = std::calloc(asked + cache_line_bytes, 1);
        if (allocated_ != nullptr) {
            memory = reinterpret_cast<void*>(
                round_up(reinterpret_cast<uintptr_t>(allocated_), cache_line_bytes));
        }
    }
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

fixed_memory::~fixed_memory() {
    release();
}

}  // namespace hypertick::book
