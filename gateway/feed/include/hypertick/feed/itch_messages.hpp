// Typed, zero-copy views of every NASDAQ TotalView-ITCH 5.0 message type.
//
// A view is one pointer to the first byte (the type byte) of a message that the caller has
// already checked is at least `length` bytes long; itch_dispatch.hpp does that check. Offsets are
// those of the specification (see docs/protocol.md). Prices are raw integers: Price(4) has four
// implied decimals, Price(8) (only in 'V') eight.
#pragma once

#include <array>
#include <cstdint>

#include "hypertick/feed/itch_fields.hpp"

namespace hypertick::feed {

// clang-format off
template <class Byte> struct basic_system_event {                    // 'S'
    HT_MESSAGE_HEADER('S', 12)
    HT_FIELD_CHAR(event_code, 11)                                    // O S Q M E C
};
template <class Byte> struct basic_stock_directory {                 // 'R'
    HT_MESSAGE_HEADER('R', 39)
    HT_FIELD_ALPHA(stock, 11, 8)
    HT_FIELD_CHAR(market_category, 19)
    HT_FIELD_CHAR(financial_status, 20)
    HT_FIELD_INT(round_lot_size, 32, 21)
    HT_FIELD_CHAR(round_lots_only, 25)
    HT_FIELD_CHAR(issue_classification, 26)
    HT_FIELD_ALPHA(issue_sub_type, 27, 2)
    HT_FIELD_CHAR(authenticity, 29)
    HT_FIELD_CHAR(short_sale_threshold, 30)
    HT_FIELD_CHAR(ipo_flag, 31)
    HT_FIELD_CHAR(luld_reference_price_tier, 32)
    HT_FIELD_CHAR(etp_flag, 33)
    HT_FIELD_INT(etp_leverage_factor, 32, 34)
    HT_FIELD_CHAR(inverse_indicator, 38)
};
template <class Byte> struct basic_stock_trading_action {            // 'H'
    HT_MESSAGE_HEADER('H', 25)
    HT_FIELD_ALPHA(stock, 11, 8)
    HT_FIELD_CHAR(trading_state, 19)                                 // H P Q T
    HT_FIELD_CHAR(reserved, 20)
    HT_FIELD_ALPHA(reason, 21, 4)
};
template <class Byte> struct basic_reg_sho_restriction {             // 'Y'
    HT_MESSAGE_HEADER('Y', 20)
    HT_FIELD_ALPHA(stock, 11, 8)
    HT_FIELD_CHAR(reg_sho_action, 19)
};
template <class Byte> struct basic_market_participant_position {     // 'L'
    HT_MESSAGE_HEADER('L', 26)
    HT_FIELD_ALPHA(mpid, 11, 4)
    HT_FIELD_ALPHA(stock, 15, 8)
    HT_FIELD_CHAR(primary_market_maker, 23)
    HT_FIELD_CHAR(market_maker_mode, 24)
    HT_FIELD_CHAR(market_participant_state, 25)
};
template <class Byte> struct basic_mwcb_decline_level {              // 'V', Price(8) fields
    HT_MESSAGE_HEADER('V', 35)
    HT_FIELD_INT(level1_price, 64, 11)
    HT_FIELD_INT(level2_price, 64, 19)
    HT_FIELD_INT(level3_price, 64, 27)
};
template <class Byte> struct basic_mwcb_status {                     // 'W'
    HT_MESSAGE_HEADER('W', 12)
    HT_FIELD_CHAR(breached_level, 11)
};
template <class Byte> struct basic_ipo_quoting_period {              // 'K'
    HT_MESSAGE_HEADER('K', 28)
    HT_FIELD_ALPHA(stock, 11, 8)
    HT_FIELD_INT(ipo_quotation_release_time, 32, 19)
    HT_FIELD_CHAR(ipo_quotation_release_qualifier, 23)
    HT_FIELD_INT(ipo_price, 32, 24)
};
template <class Byte> struct basic_luld_auction_collar {             // 'J'
    HT_MESSAGE_HEADER('J', 35)
    HT_FIELD_ALPHA(stock, 11, 8)
    HT_FIELD_INT(reference_price, 32, 19)
    HT_FIELD_INT(upper_price, 32, 23)
    HT_FIELD_INT(lower_price, 32, 27)
    HT_FIELD_INT(extension, 32, 31)
};
template <class Byte> struct basic_operational_halt {                // 'h'
    HT_MESSAGE_HEADER('h', 21)
    HT_FIELD_ALPHA(stock, 11, 8)
    HT_FIELD_CHAR(market_code, 19)
    HT_FIELD_CHAR(operational_halt_action, 20)
};
template <class Byte> struct basic_add_order {                       // 'A'
    HT_MESSAGE_HEADER('A', 36)
    HT_FIELD_INT(order_ref, 64, 11)
    HT_FIELD_CHAR(side, 19)                                          // B or S
    HT_FIELD_INT(shares, 32, 20)
    HT_FIELD_ALPHA(stock, 24, 8)
    HT_FIELD_INT(price, 32, 32)
};
template <class Byte> struct basic_add_order_mpid {                  // 'F'
    HT_MESSAGE_HEADER('F', 40)
    HT_FIELD_INT(order_ref, 64, 11)
    HT_FIELD_CHAR(side, 19)
    HT_FIELD_INT(shares, 32, 20)
    HT_FIELD_ALPHA(stock, 24, 8)
    HT_FIELD_INT(price, 32, 32)
    HT_FIELD_ALPHA(attribution, 36, 4)
};
template <class Byte> struct basic_order_executed {                  // 'E'
    HT_MESSAGE_HEADER('E', 31)
    HT_FIELD_INT(order_ref, 64, 11)
    HT_FIELD_INT(executed_shares, 32, 19)
    HT_FIELD_INT(match_number, 64, 23)
};
template <class Byte> struct basic_order_executed_with_price {       // 'C'
    HT_MESSAGE_HEADER('C', 36)
    HT_FIELD_INT(order_ref, 64, 11)
    HT_FIELD_INT(executed_shares, 32, 19)
    HT_FIELD_INT(match_number, 64, 23)
    HT_FIELD_CHAR(printable, 31)
    HT_FIELD_INT(execution_price, 32, 32)
};
template <class Byte> struct basic_order_cancel {                    // 'X'
    HT_MESSAGE_HEADER('X', 23)
    HT_FIELD_INT(order_ref, 64, 11)
    HT_FIELD_INT(cancelled_shares, 32, 19)
};
template <class Byte> struct basic_order_delete {                    // 'D'
    HT_MESSAGE_HEADER('D', 19)
    HT_FIELD_INT(order_ref, 64, 11)
};
template <class Byte> struct basic_order_replace {                   // 'U'
    HT_MESSAGE_HEADER('U', 35)
    HT_FIELD_INT(original_order_ref, 64, 11)
    HT_FIELD_INT(new_order_ref, 64, 19)
    HT_FIELD_INT(shares, 32, 27)                                     // new total, not a delta
    HT_FIELD_INT(price, 32, 31)
};
template <class Byte> struct basic_trade {                           // 'P' (non-cross)
    HT_MESSAGE_HEADER('P', 44)
    HT_FIELD_INT(order_ref, 64, 11)
    HT_FIELD_CHAR(side, 19)
    HT_FIELD_INT(shares, 32, 20)
    HT_FIELD_ALPHA(stock, 24, 8)
    HT_FIELD_INT(price, 32, 32)
    HT_FIELD_INT(match_number, 64, 36)
};
template <class Byte> struct basic_cross_trade {                     // 'Q'
    HT_MESSAGE_HEADER('Q', 40)
    HT_FIELD_INT(shares, 64, 11)
    HT_FIELD_ALPHA(stock, 19, 8)
    HT_FIELD_INT(cross_price, 32, 27)
    HT_FIELD_INT(match_number, 64, 31)
    HT_FIELD_CHAR(cross_type, 39)
};
template <class Byte> struct basic_broken_trade {                    // 'B'
    HT_MESSAGE_HEADER('B', 19)
    HT_FIELD_INT(match_number, 64, 11)
};
template <class Byte> struct basic_noii {                            // 'I'
    HT_MESSAGE_HEADER('I', 50)
    HT_FIELD_INT(paired_shares, 64, 11)
    HT_FIELD_INT(imbalance_shares, 64, 19)
    HT_FIELD_CHAR(imbalance_direction, 27)
    HT_FIELD_ALPHA(stock, 28, 8)
    HT_FIELD_INT(far_price, 32, 36)
    HT_FIELD_INT(near_price, 32, 40)
    HT_FIELD_INT(current_reference_price, 32, 44)
    HT_FIELD_CHAR(cross_type, 48)
    HT_FIELD_CHAR(price_variation_indicator, 49)
};
template <class Byte> struct basic_retail_interest {                 // 'N'
    HT_MESSAGE_HEADER('N', 20)
    HT_FIELD_ALPHA(stock, 11, 8)
    HT_FIELD_CHAR(interest_flag, 19)
};
template <class Byte> struct basic_dlcr_price_discovery {            // 'O'
    HT_MESSAGE_HEADER('O', 48)
    HT_FIELD_ALPHA(stock, 11, 8)
    HT_FIELD_CHAR(open_eligibility_status, 19)
    HT_FIELD_INT(minimum_allowable_price, 32, 20)
    HT_FIELD_INT(maximum_allowable_price, 32, 24)
    HT_FIELD_INT(near_execution_price, 32, 28)
    HT_FIELD_INT(near_execution_time, 64, 32)
    HT_FIELD_INT(lower_price_range_collar, 32, 40)
    HT_FIELD_INT(upper_price_range_collar, 32, 44)
};
// clang-format on

// Every ITCH 5.0 message type once: X(view name, handler callback). The dispatch switch, the
// length table and the view aliases are all generated from this one list so they cannot drift.
#define HT_ITCH_MESSAGE_TYPES(X)                                   \
    X(system_event, on_system_event)                               \
    X(stock_directory, on_stock_directory)                         \
    X(stock_trading_action, on_stock_trading_action)               \
    X(reg_sho_restriction, on_reg_sho_restriction)                 \
    X(market_participant_position, on_market_participant_position) \
    X(mwcb_decline_level, on_mwcb_decline_level)                   \
    X(mwcb_status, on_mwcb_status)                                 \
    X(ipo_quoting_period, on_ipo_quoting_period)                   \
    X(luld_auction_collar, on_luld_auction_collar)                 \
    X(operational_halt, on_operational_halt)                       \
    X(add_order, on_add_order)                                     \
    X(add_order_mpid, on_add_order_mpid)                           \
    X(order_executed, on_order_executed)                           \
    X(order_executed_with_price, on_order_executed_with_price)     \
    X(order_cancel, on_order_cancel)                               \
    X(order_delete, on_order_delete)                               \
    X(order_replace, on_order_replace)                             \
    X(trade, on_trade)                                             \
    X(cross_trade, on_cross_trade)                                 \
    X(broken_trade, on_broken_trade)                               \
    X(noii, on_noii)                                               \
    X(retail_interest, on_retail_interest)                         \
    X(dlcr_price_discovery, on_dlcr_price_discovery)

// Read-only views (`add_order`) and writable ones for the encoder (`add_order_writer`).
#define HT_DECLARE_VIEW_ALIASES(name, callback) \
    using name = basic_##name<const uint8_t>;   \
    using name##_writer = basic_##name<uint8_t>;
HT_ITCH_MESSAGE_TYPES(HT_DECLARE_VIEW_ALIASES)
#undef HT_DECLARE_VIEW_ALIASES

inline constexpr uint32_t itch_message_type_count = 23;

// The exact length of each known type, indexed by type byte; 0 marks a type we do not know.
inline constexpr std::array<uint16_t, 256> itch_message_lengths = [] {
    std::array<uint16_t, 256> lengths{};
#define HT_SET_LENGTH(name, callback) lengths[static_cast<uint8_t>(name::type)] = name::length;
    HT_ITCH_MESSAGE_TYPES(HT_SET_LENGTH)
#undef HT_SET_LENGTH
    return lengths;
}();

// The longest known message ('I', 50 bytes); sizes encoder buffers.
inline constexpr uint16_t itch_message_length_max = 50;

// Symbols and session names are space padded on the wire; reports and JSON trim them.
inline std::string_view trim_trailing_spaces(std::string_view text) {
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

}  // namespace hypertick::feed
