#include "alloc_counter.hpp"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <new>

// The counters are plain thread_local integers (static TLS: no allocation to reach them) plus
// process-wide relaxed atomics. This file is test tooling: atomics are fine here.
namespace {

thread_local std::uint64_t t_allocations = 0;
thread_local std::uint64_t t_frees = 0;
std::atomic<std::uint64_t> g_allocations{0};
std::atomic<std::uint64_t> g_frees{0};

inline void count_allocation() noexcept {
    ++t_allocations;
    g_allocations.fetch_add(1, std::memory_order_relaxed);
}
inline void count_free() noexcept {
    ++t_frees;
    g_frees.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)

extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*,
                                                                             std::size_t),
                                                         void (*free_hook)(const volatile void*));

namespace {
void on_malloc(const volatile void*, std::size_t) {
    count_allocation();
}
void on_free(const volatile void* p) {
    if (p != nullptr) count_free();
}
const bool g_hooks_installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free) != 0;
}  // namespace

namespace hypertick::testing {
bool alloc_counting_active() noexcept {
    return g_hooks_installed;
}
}  // namespace hypertick::testing

#else  // glibc: interpose the allocator entry points

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);

void* malloc(std::size_t size) {
    count_allocation();
    return __libc_malloc(size);
}
void* calloc(std::size_t n, std::size_t size) {
    count_allocation();
    return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t size) {
    count_allocation();
    if (p != nullptr) count_free();
    return __libc_realloc(p, size);
}
void free(void* p) {
    if (p == nullptr) return;
    count_free();
    __libc_free(p);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
    count_allocation();
    return __libc_memalign(alignment, size);
}
void* memalign(std::size_t alignment, std::size_t size) {
    count_allocation();
    return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
    count_allocation();
    void* p = __libc_memalign(alignment, size);
    if (p == nullptr) return ENOMEM;
    *out = p;
    return 0;
}
}  // extern "C"

namespace {
void* counted_new(std::size_t size) noexcept {
    count_allocation();
    return __libc_malloc(size == 0 ? 1 : size);
}
void* counted_new_aligned(std::size_t size, std::align_val_t alignment) noexcept {
    count_allocation();
    return __libc_memalign(static_cast<std::size_t>(alignment), size == 0 ? 1 : size);
}
void counted_delete(void* p) noexcept {
    if (p == nullptr) return;
    count_free();
    __libc_free(p);
}
[[noreturn]] void out_of_memory() {
#if defined(__cpp_exceptions)
    throw std::bad_alloc();
#else
    std::abort();
#endif
}
}  // namespace

void* operator new(std::size_t size) {
    void* p = counted_new(size);
    if (p == nullptr) out_of_memory();
    return p;
}
void* operator new[](std::size_t size) {
    return operator new(size);
}
void* operator new(std::size_t size, std::align_val_t a) {
    void* p = counted_new_aligned(size, a);
    if (p == nullptr) out_of_memory();
    return p;
}
void* operator new[](std::size_t size, std::align_val_t a) {
    return operator new(size, a);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return counted_new(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return counted_new(size);
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
    return counted_new_aligned(size, a);
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
    return counted_new_aligned(size, a);
}
void operator delete(void* p) noexcept {
    counted_delete(p);
}
void operator delete[](void* p) noexcept {
    counted_delete(p);
}
void operator delete(void* p, std::size_t) noexcept {
    counted_delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    counted_delete(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    counted_delete(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    counted_delete(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    counted_delete(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    counted_delete(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    counted_delete(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    counted_delete(p);
}

namespace hypertick::testing {
bool alloc_counting_active() noexcept {
    // Our malloc is the one the process uses iff calling it moves our counter.
    const std::uint64_t before = t_allocations;
    void* volatile p = std::malloc(1);
    const bool active = t_allocations != before;
    std::free(p);
    return active;
}
}  // namespace hypertick::testing

#endif

namespace hypertick::testing {

alloc_counts process_alloc_counts() noexcept {
    return {g_allocations.load(std::memory_order_relaxed), g_frees.load(std::memory_order_relaxed)};
}
alloc_counts thread_alloc_counts() noexcept {
    return {t_allocations, t_frees};
}

}  // namespace hypertick::testing
