// Per stock locate (ITCH's 16-bit symbol index): the directory symbol, the book assigned to it
// and why it is degraded. A flat table of all 65 536 locates (768 KiB): O(1), no hashing.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "hypertick/book/fixed_memory.hpp"

namespace hypertick::book {

inline constexpr uint32_t locate_count = 65'536;
inline constexpr uint16_t no_book = 0xffff;

struct directory_entry {
    std::array<char, 8> symbol;  // as sent, space padded
    uint16_t book;               // index + 1 into the book pool; 0: none yet
    uint8_t degraded;            // degraded_reason bits
    bool listed;                 // a stock directory ('R') message named this locate
};
static_assert(sizeof(directory_entry) == 12);

class symbol_directory {
  public:
    bool init(memory_allocation how) { return entries_.allocate(locate_count, how); }

    void list(uint16_t locate, std::string_view symbol8);
    directory_entry& operator[](uint16_t locate) const { return entries_[locate]; }
    size_t bytes() const { return entries_.bytes(); }

  private:
    fixed_array<directory_entry> entries_;
};

// The symbol without its trailing spaces.
std::string_view trimmed_symbol(const directory_entry& entry);

}  // namespace hypertick::book
