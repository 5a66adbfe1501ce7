// The schedule trace: what ran, in which order, at what (clock) time.
//
// Under the virtual clock the trace of a program is a pure function of its inputs (and of the
// shuffle seed), so two runs can be compared record by record, or by the rolling hash when the
// buffer is too small to hold everything.
#pragma once

#include <cstdint>

namespace hypertick {

enum class trace_event : std::uint8_t { spawn, poll, complete, cancel, wake, timer_fire };

const char* to_string(trace_event e) noexcept;

struct trace_record {
    std::uint64_t time_ns;
    std::uint32_t task_index;
    std::uint16_t generation_low;  // low bits of the slot generation, to tell occupants apart
    trace_event event;
    std::uint8_t reserved;

    friend bool operator==(const trace_record&, const trace_record&) = default;
};
static_assert(sizeof(trace_record) == 16);

class trace_log {
  public:
    void init(trace_record* storage, std::uint32_t capacity) noexcept {
        records_ = storage;
        capacity_ = capacity;
        size_ = 0;
        hash_ = fnv_offset;
    }
    [[nodiscard]] bool enabled() const noexcept { return capacity_ != 0; }

    // Returns false when the record was hashed but not stored (buffer full).
    bool append(const trace_record& r) noexcept {
        mix(r.time_ns);
        mix((std::uint64_t{r.task_index} << 24) | (std::uint64_t{r.generation_low} << 8) |
            static_cast<std::uint8_t>(r.event));
        if (size_ == capacity_) return false;
        records_[size_++] = r;
        return true;
    }

    [[nodiscard]] const trace_record* begin() const noexcept { return records_; }
    [[nodiscard]] const trace_record* end() const noexcept { return records_ + size_; }
    [[nodiscard]] std::uint32_t size() const noexcept { return size_; }
    [[nodiscard]] std::uint64_t hash() const noexcept { return hash_; }
    void clear() noexcept {
        size_ = 0;
        hash_ = fnv_offset;
    }

  private:
    static constexpr std::uint64_t fnv_offset = 14695981039346656037ull;
    static constexpr std::uint64_t fnv_prime = 1099511628211ull;
    void mix(std::uint64_t v) noexcept {
        for (int i = 0; i < 8; ++i) {
            hash_ ^= (v >> (i * 8)) & 0xFF;
            hash_ *= fnv_prime;
        }
    }

    trace_record* records_ = nullptr;
    std::uint32_t capacity_ = 0;
    std::uint32_t size_ = 0;
    std::uint64_t hash_ = fnv_offset;
};

}  // namespace hypertick
