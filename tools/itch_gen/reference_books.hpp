// itch_gen's own, deliberately simple order books (std::map based), written independently of
// the gateway's book library so that --expect is a genuine second opinion. Semantics as in
// docs/protocol.md: A/F add, E/C/X reduce (an order reaching zero is removed), D deletes, U
// replaces; a reference that is unknown (or, for adds, already live) is ignored.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace itch_gen {

struct level_total {
    uint64_t shares = 0;
    uint64_t orders = 0;
};

class reference_books {
  public:
    void apply(const uint8_t* message, uint16_t length);

    struct reference_book {
        std::string symbol;  // trailing spaces removed
        uint16_t locate = 0;
        std::map<uint32_t, level_total> bids;
        std::map<uint32_t, level_total> asks;
    };
    // Every stock directory entry seen, by locate.
    const std::map<uint16_t, reference_book>& books() const { return books_; }
    uint64_t live_orders() const { return orders_.size(); }

  private:
    struct reference_order {
        uint16_t locate;
        char side;
        uint32_t price;
        uint32_t shares;
    };
    void add(uint16_t locate, uint64_t ref, char side, uint32_t shares, uint32_t price);
    void reduce(uint64_t ref, uint32_t shares);
    void remove(uint64_t ref);
    std::map<uint32_t, level_total>& side_of(const reference_order& order);

    std::map<uint16_t, reference_book> books_;
    std::unordered_map<uint64_t, reference_order> orders_;
};

}  // namespace itch_gen
