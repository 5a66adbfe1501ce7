#include "hypertick/book/symbol_directory.hpp"

#include <algorithm>

namespace hypertick::book {

void symbol_directory::list(uint16_t locate, std::string_view symbol8) {
    directory_entry& entry = entries_[locate];
    entry.symbol.fill(' ');
    std::copy_n(symbol8.data(), std::min<size_t>(symbol8.size(), entry.symbol.size()),
                entry.symbol.data());
    entry.listed = true;
}

std::string_view trimmed_symbol(const directory_entry& entry) {
    size_t length = entry.symbol.size();
    while (length > 0 && entry.symbol[length - 1] == ' ') --length;
    return {entry.symbol.data(), length};
}

}  // namespace hypertick::book
