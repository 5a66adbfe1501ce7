// Every ITCH 5.0 type: encode with the writer views, check the raw bytes against the
// specification's offsets (typed here independently of the views), decode through the
// dispatcher, and check the typed view's fields.
#include <gtest/gtest.h>

#include <array>
#include <map>

#include "hypertick/feed/itch_dispatch.hpp"
#include "hypertick/feed/order_event.hpp"
#include "test_support.hpp"

namespace {

using namespace feed_test;

uint64_t be(const std::vector<uint8_t>& b, uint32_t offset, uint32_t width) {
    uint64_t v = 0;
    for (uint32_t i = 0; i < width; ++i) v = (v << 8) | b.at(offset + i);
    return v;
}
std::string alpha(const std::vector<uint8_t>& b, uint32_t offset, uint32_t width) {
    return std::string(b.begin() + offset, b.begin() + offset + width);
}

// Encodes a message of view type W with the common header filled, leaving the body to `fill`.
template <class W, class Fill>
std::vector<uint8_t> encode(Fill fill) {
    std::vector<uint8_t> bytes(W::length);
    W w{bytes.data()};
    w.init();
    w.set_stock_locate(0x1234);
    w.set_tracking_number(0x5678);
    w.set_timestamp_ns(0x0000123456789abcull);
    fill(w);
    return bytes;
}

// Decodes `bytes` and returns the one view the dispatcher produced, checking the header.
template <class View>
View decode_only(const std::vector<uint8_t>& bytes) {
    struct catching_handler : feed_handler_base {
        const uint8_t* seen = nullptr;
        char seen_type = 0;
#define HT_CATCH(name, callback)      \
    void callback(name m, uint64_t) { \
        seen = m.p;                   \
        seen_type = name::type;       \
    }
        HT_ITCH_MESSAGE_TYPES(HT_CATCH)
#undef HT_CATCH
    } handler;
    EXPECT_EQ(dispatch_itch_message(bytes.data(), static_cast<uint16_t>(bytes.size()), 7, handler),
              feed_event::message_decoded);
    EXPECT_EQ(handler.seen_type, View::type);
    EXPECT_EQ(handler.seen, bytes.data());
    const View view{bytes.data()};
    EXPECT_EQ(bytes.size(), View::length);
    EXPECT_EQ(bytes[0], static_cast<uint8_t>(View::type));
    EXPECT_EQ(be(bytes, 1, 2), 0x1234u);
    EXPECT_EQ(be(bytes, 3, 2), 0x5678u);
    EXPECT_EQ(be(bytes, 5, 6), 0x123456789abcull);
    EXPECT_EQ(view.stock_locate(), 0x1234);
    EXPECT_EQ(view.tracking_number(), 0x5678);
    EXPECT_EQ(view.timestamp_ns(), 0x123456789abcull);
    return view;
}

TEST(ItchMessages, LengthTableMatchesSpecification) {
    const std::map<char, uint16_t> spec = {
        {'S', 12}, {'R', 39}, {'H', 25}, {'Y', 20}, {'L', 26}, {'V', 35}, {'W', 12}, {'K', 28},
        {'J', 35}, {'h', 21}, {'A', 36}, {'F', 40}, {'E', 31}, {'C', 36}, {'X', 23}, {'D', 19},
        {'U', 35}, {'P', 44}, {'Q', 40}, {'B', 19}, {'I', 50}, {'N', 20}, {'O', 48}};
    uint32_t known = 0;
    for (uint32_t t = 0; t < 256; ++t) {
        const auto it = spec.find(static_cast<char>(t));
        EXPECT_EQ(itch_message_lengths[t], it == spec.end() ? 0 : it->second) << "type " << t;
        known += itch_message_lengths[t] != 0;
    }
    EXPECT_EQ(known, itch_message_type_count);
}

TEST(ItchMessages, SystemEvent) {
    auto b = encode<system_event_writer>([](auto w) { w.set_event_code('O'); });
    EXPECT_EQ(b[11], 'O');
    EXPECT_EQ(decode_only<system_event>(b).event_code(), 'O');
}

TEST(ItchMessages, StockDirectory) {
    auto b = encode<stock_directory_writer>([](auto w) {
        w.set_stock("AAPL");
        w.set_market_category('Q');
        w.set_financial_status('N');
        w.set_round_lot_size(100);
        w.set_round_lots_only('N');
        w.set_issue_classification('C');
        w.set_issue_sub_type("Z");
        w.set_authenticity('P');
        w.set_short_sale_threshold('N');
        w.set_ipo_flag(' ');
        w.set_luld_reference_price_tier('1');
        w.set_etp_flag('N');
        w.set_etp_leverage_factor(3);
        w.set_inverse_indicator('Y');
    });
    EXPECT_EQ(alpha(b, 11, 8), "AAPL    ");
    EXPECT_EQ(b[19], 'Q');
    EXPECT_EQ(b[20], 'N');
    EXPECT_EQ(be(b, 21, 4), 100u);
    EXPECT_EQ(b[25], 'N');
    EXPECT_EQ(b[26], 'C');
    EXPECT_EQ(alpha(b, 27, 2), "Z ");
    EXPECT_EQ(b[29], 'P');
    EXPECT_EQ(b[32], '1');
    EXPECT_EQ(be(b, 34, 4), 3u);
    EXPECT_EQ(b[38], 'Y');
    const auto v = decode_only<stock_directory>(b);
    EXPECT_EQ(v.stock(), "AAPL    ");
    EXPECT_EQ(trim_trailing_spaces(v.stock()), "AAPL");
    EXPECT_EQ(v.round_lot_size(), 100u);
    EXPECT_EQ(v.issue_sub_type(), "Z ");
    EXPECT_EQ(v.etp_leverage_factor(), 3u);
    EXPECT_EQ(v.inverse_indicator(), 'Y');
    EXPECT_EQ(v.luld_reference_price_tier(), '1');
}

TEST(ItchMessages, StockTradingAction) {
    auto b = encode<stock_trading_action_writer>([](auto w) {
        w.set_stock("MSFT");
        w.set_trading_state('H');
        w.set_reserved(' ');
        w.set_reason("IPO1");
    });
    EXPECT_EQ(alpha(b, 11, 8), "MSFT    ");
    EXPECT_EQ(b[19], 'H');
    EXPECT_EQ(alpha(b, 21, 4), "IPO1");
    const auto v = decode_only<stock_trading_action>(b);
    EXPECT_EQ(v.trading_state(), 'H');
    EXPECT_EQ(v.reason(), "IPO1");
}

TEST(ItchMessages, RegShoRestriction) {
    auto b = encode<reg_sho_restriction_writer>([](auto w) {
        w.set_stock("X");
        w.set_reg_sho_action('1');
    });
    EXPECT_EQ(b[19], '1');
    EXPECT_EQ(decode_only<reg_sho_restriction>(b).reg_sho_action(), '1');
}

TEST(ItchMessages, MarketParticipantPosition) {
    auto b = encode<market_participant_position_writer>([](auto w) {
        w.set_mpid("GSCO");
        w.set_stock("IBM");
        w.set_primary_market_maker('Y');
        w.set_market_maker_mode('N');
        w.set_market_participant_state('A');
    });
    EXPECT_EQ(alpha(b, 11, 4), "GSCO");
    EXPECT_EQ(alpha(b, 15, 8), "IBM     ");
    EXPECT_EQ(b[23], 'Y');
    EXPECT_EQ(b[24], 'N');
    EXPECT_EQ(b[25], 'A');
    const auto v = decode_only<market_participant_position>(b);
    EXPECT_EQ(v.mpid(), "GSCO");
    EXPECT_EQ(v.stock(), "IBM     ");
    EXPECT_EQ(v.market_participant_state(), 'A');
}

TEST(ItchMessages, MwcbDeclineLevel) {
    auto b = encode<mwcb_decline_level_writer>([](auto w) {
        w.set_level1_price(0x0102030405060708ull);
        w.set_level2_price(2);
        w.set_level3_price(3);
    });
    EXPECT_EQ(be(b, 11, 8), 0x0102030405060708ull);
    EXPECT_EQ(be(b, 19, 8), 2u);
    EXPECT_EQ(be(b, 27, 8), 3u);
    const auto v = decode_only<mwcb_decline_level>(b);
    EXPECT_EQ(v.level1_price(), 0x0102030405060708ull);
    EXPECT_EQ(v.level3_price(), 3u);
}

TEST(ItchMessages, MwcbStatus) {
    auto b = encode<mwcb_status_writer>([](auto w) { w.set_breached_level('2'); });
    EXPECT_EQ(b[11], '2');
    EXPECT_EQ(decode_only<mwcb_status>(b).breached_level(), '2');
}

TEST(ItchMessages, IpoQuotingPeriod) {
    auto b = encode<ipo_quoting_period_writer>([](auto w) {
        w.set_stock("NEWCO");
        w.set_ipo_quotation_release_time(34200);
        w.set_ipo_quotation_release_qualifier('A');
        w.set_ipo_price(250000);
    });
    EXPECT_EQ(be(b, 19, 4), 34200u);
    EXPECT_EQ(b[23], 'A');
    EXPECT_EQ(be(b, 24, 4), 250000u);
    const auto v = decode_only<ipo_quoting_period>(b);
    EXPECT_EQ(v.ipo_quotation_release_time(), 34200u);
    EXPECT_EQ(v.ipo_price(), 250000u);
}

TEST(ItchMessages, LuldAuctionCollar) {
    auto b = encode<luld_auction_collar_writer>([](auto w) {
        w.set_stock("ZZZ");
        w.set_reference_price(1);
        w.set_upper_price(2);
        w.set_lower_price(3);
        w.set_extension(4);
    });
    EXPECT_EQ(be(b, 19, 4), 1u);
    EXPECT_EQ(be(b, 23, 4), 2u);
    EXPECT_EQ(be(b, 27, 4), 3u);
    EXPECT_EQ(be(b, 31, 4), 4u);
    const auto v = decode_only<luld_auction_collar>(b);
    EXPECT_EQ(v.upper_price(), 2u);
    EXPECT_EQ(v.extension(), 4u);
}

TEST(ItchMessages, OperationalHalt) {
    auto b = encode<operational_halt_writer>([](auto w) {
        w.set_stock("ABC");
        w.set_market_code('Q');
        w.set_operational_halt_action('H');
    });
    EXPECT_EQ(b[19], 'Q');
    EXPECT_EQ(b[20], 'H');
    const auto v = decode_only<operational_halt>(b);
    EXPECT_EQ(v.market_code(), 'Q');
    EXPECT_EQ(v.operational_halt_action(), 'H');
}

TEST(ItchMessages, AddOrder) {
    auto b = encode<add_order_writer>([](auto w) {
        w.set_order_ref(0x1122334455667788ull);
        w.set_side('S');
        w.set_shares(0xa0b0c0d0);
        w.set_stock("META");
        w.set_price(3573300);
    });
    EXPECT_EQ(be(b, 11, 8), 0x1122334455667788ull);
    EXPECT_EQ(b[19], 'S');
    EXPECT_EQ(be(b, 20, 4), 0xa0b0c0d0u);
    EXPECT_EQ(alpha(b, 24, 8), "META    ");
    EXPECT_EQ(be(b, 32, 4), 3573300u);
    const auto v = decode_only<add_order>(b);
    EXPECT_EQ(v.order_ref(), 0x1122334455667788ull);
    EXPECT_EQ(v.side(), 'S');
    EXPECT_EQ(v.shares(), 0xa0b0c0d0u);
    EXPECT_EQ(v.price(), 3573300u);
}

TEST(ItchMessages, AddOrderMpid) {
    auto b = encode<add_order_mpid_writer>([](auto w) {
        w.set_order_ref(9);
        w.set_side('B');
        w.set_shares(100);
        w.set_stock("META");
        w.set_price(805200);
        w.set_attribution("NITE");
    });
    EXPECT_EQ(alpha(b, 36, 4), "NITE");
    EXPECT_EQ(be(b, 32, 4), 805200u);
    const auto v = decode_only<add_order_mpid>(b);
    EXPECT_EQ(v.attribution(), "NITE");
    EXPECT_EQ(v.order_ref(), 9u);
}

TEST(ItchMessages, OrderExecuted) {
    auto b = encode<order_executed_writer>([](auto w) {
        w.set_order_ref(77);
        w.set_executed_shares(300);
        w.set_match_number(0xfedcba9876543210ull);
    });
    EXPECT_EQ(be(b, 11, 8), 77u);
    EXPECT_EQ(be(b, 19, 4), 300u);
    EXPECT_EQ(be(b, 23, 8), 0xfedcba9876543210ull);
    const auto v = decode_only<order_executed>(b);
    EXPECT_EQ(v.executed_shares(), 300u);
    EXPECT_EQ(v.match_number(), 0xfedcba9876543210ull);
}

TEST(ItchMessages, OrderExecutedWithPrice) {
    auto b = encode<order_executed_with_price_writer>([](auto w) {
        w.set_order_ref(78);
        w.set_executed_shares(5);
        w.set_match_number(6);
        w.set_printable('N');
        w.set_execution_price(123456);
    });
    EXPECT_EQ(b[31], 'N');
    EXPECT_EQ(be(b, 32, 4), 123456u);
    const auto v = decode_only<order_executed_with_price>(b);
    EXPECT_EQ(v.printable(), 'N');
    EXPECT_EQ(v.execution_price(), 123456u);
    EXPECT_EQ(v.executed_shares(), 5u);
}

TEST(ItchMessages, OrderCancel) {
    auto b = encode<order_cancel_writer>([](auto w) {
        w.set_order_ref(79);
        w.set_cancelled_shares(40);
    });
    EXPECT_EQ(be(b, 19, 4), 40u);
    EXPECT_EQ(decode_only<order_cancel>(b).cancelled_shares(), 40u);
}

TEST(ItchMessages, OrderDelete) {
    auto b = encode<order_delete_writer>([](auto w) { w.set_order_ref(80); });
    EXPECT_EQ(be(b, 11, 8), 80u);
    EXPECT_EQ(decode_only<order_delete>(b).order_ref(), 80u);
}

TEST(ItchMessages, OrderReplace) {
    auto b = encode<order_replace_writer>([](auto w) {
        w.set_original_order_ref(81);
        w.set_new_order_ref(82);
        w.set_shares(500);
        w.set_price(1062600);
    });
    EXPECT_EQ(be(b, 11, 8), 81u);
    EXPECT_EQ(be(b, 19, 8), 82u);
    EXPECT_EQ(be(b, 27, 4), 500u);
    EXPECT_EQ(be(b, 31, 4), 1062600u);
    const auto v = decode_only<order_replace>(b);
    EXPECT_EQ(v.new_order_ref(), 82u);
    EXPECT_EQ(v.price(), 1062600u);
}

TEST(ItchMessages, Trade) {
    auto b = encode<trade_writer>([](auto w) {
        w.set_order_ref(0);
        w.set_side('B');
        w.set_shares(200);
        w.set_stock("QQQ");
        w.set_price(4000000);
        w.set_match_number(99);
    });
    EXPECT_EQ(be(b, 20, 4), 200u);
    EXPECT_EQ(alpha(b, 24, 8), "QQQ     ");
    EXPECT_EQ(be(b, 32, 4), 4000000u);
    EXPECT_EQ(be(b, 36, 8), 99u);
    const auto v = decode_only<trade>(b);
    EXPECT_EQ(v.match_number(), 99u);
    EXPECT_EQ(v.shares(), 200u);
}

TEST(ItchMessages, CrossTrade) {
    auto b = encode<cross_trade_writer>([](auto w) {
        w.set_shares(0x0000000100000002ull);
        w.set_stock("SPY");
        w.set_cross_price(4500000);
        w.set_match_number(100);
        w.set_cross_type('C');
    });
    EXPECT_EQ(be(b, 11, 8), 0x0000000100000002ull);
    EXPECT_EQ(alpha(b, 19, 8), "SPY     ");
    EXPECT_EQ(be(b, 27, 4), 4500000u);
    EXPECT_EQ(be(b, 31, 8), 100u);
    EXPECT_EQ(b[39], 'C');
    const auto v = decode_only<cross_trade>(b);
    EXPECT_EQ(v.shares(), 0x0000000100000002ull);
    EXPECT_EQ(v.cross_type(), 'C');
}

TEST(ItchMessages, BrokenTrade) {
    auto b = encode<broken_trade_writer>([](auto w) { w.set_match_number(101); });
    EXPECT_EQ(be(b, 11, 8), 101u);
    EXPECT_EQ(decode_only<broken_trade>(b).match_number(), 101u);
}

TEST(ItchMessages, Noii) {
    auto b = encode<noii_writer>([](auto w) {
        w.set_paired_shares(1);
        w.set_imbalance_shares(2);
        w.set_imbalance_direction('B');
        w.set_stock("MDC");
        w.set_far_price(3);
        w.set_near_price(4);
        w.set_current_reference_price(5);
        w.set_cross_type('O');
        w.set_price_variation_indicator('L');
    });
    EXPECT_EQ(be(b, 11, 8), 1u);
    EXPECT_EQ(be(b, 19, 8), 2u);
    EXPECT_EQ(b[27], 'B');
    EXPECT_EQ(alpha(b, 28, 8), "MDC     ");
    EXPECT_EQ(be(b, 36, 4), 3u);
    EXPECT_EQ(be(b, 40, 4), 4u);
    EXPECT_EQ(be(b, 44, 4), 5u);
    EXPECT_EQ(b[48], 'O');
    EXPECT_EQ(b[49], 'L');
    const auto v = decode_only<noii>(b);
    EXPECT_EQ(v.current_reference_price(), 5u);
    EXPECT_EQ(v.price_variation_indicator(), 'L');
}

TEST(ItchMessages, RetailInterest) {
    auto b = encode<retail_interest_writer>([](auto w) {
        w.set_stock("GE");
        w.set_interest_flag('A');
    });
    EXPECT_EQ(b[19], 'A');
    EXPECT_EQ(decode_only<retail_interest>(b).interest_flag(), 'A');
}

TEST(ItchMessages, DlcrPriceDiscovery) {
    auto b = encode<dlcr_price_discovery_writer>([](auto w) {
        w.set_stock("IPOX");
        w.set_open_eligibility_status('Y');
        w.set_minimum_allowable_price(1);
        w.set_maximum_allowable_price(2);
        w.set_near_execution_price(3);
        w.set_near_execution_time(0x0102030405060708ull);
        w.set_lower_price_range_collar(5);
        w.set_upper_price_range_collar(6);
    });
    EXPECT_EQ(b[19], 'Y');
    EXPECT_EQ(be(b, 20, 4), 1u);
    EXPECT_EQ(be(b, 24, 4), 2u);
    EXPECT_EQ(be(b, 28, 4), 3u);
    EXPECT_EQ(be(b, 32, 8), 0x0102030405060708ull);
    EXPECT_EQ(be(b, 40, 4), 5u);
    EXPECT_EQ(be(b, 44, 4), 6u);
    const auto v = decode_only<dlcr_price_discovery>(b);
    EXPECT_EQ(v.near_execution_time(), 0x0102030405060708ull);
    EXPECT_EQ(v.upper_price_range_collar(), 6u);
}

TEST(ItchMessages, UnknownTypeIsSkippedAndReported) {
    const std::vector<uint8_t> b = {'Z', 1, 2, 3};
    recording_handler handler;
    EXPECT_EQ(dispatch_itch_message(b.data(), 4, 1, handler), feed_event::message_unknown_type);
    ASSERT_EQ(handler.delivered.size(), 1u);
    EXPECT_EQ(handler.delivered[0].bytes, b);
}

TEST(ItchMessages, ShorterThanItsTypeIsRejectedLongerIsAccepted) {
    auto b = add_order_bytes(5);
    recording_handler handler;
    EXPECT_EQ(dispatch_itch_message(b.data(), add_order::length - 1, 1, handler),
              feed_event::malformed_message_too_short);
    EXPECT_EQ(dispatch_itch_message(b.data(), 0, 1, handler),
              feed_event::malformed_message_too_short);
    b.push_back(0xee);  // a field appended by a future revision
    EXPECT_EQ(dispatch_itch_message(b.data(), static_cast<uint16_t>(b.size()), 1, handler),
              feed_event::message_decoded);
    EXPECT_EQ(handler.delivered.size(), 1u);
}

// The branch-free order decoder agrees with the typed views on every order type.
TEST(OrderEvent, AgreesWithTypedViews) {
    order_event e;
    auto a = encode<add_order_mpid_writer>([](auto w) {
        w.set_order_ref(11);
        w.set_side('S');
        w.set_shares(12);
        w.set_price(13);
        w.set_attribution("GSCO");
    });
    ASSERT_TRUE(decode_order_event(a.data(), static_cast<uint16_t>(a.size()), e));
    EXPECT_EQ(e.type, 'F');
    EXPECT_EQ(e.order_ref, 11u);
    EXPECT_EQ(e.side, 'S');
    EXPECT_EQ(e.shares, 12u);
    EXPECT_EQ(e.price, 13u);
    EXPECT_EQ(e.new_order_ref, 0u);
    EXPECT_EQ(e.stock_locate, 0x1234);
    EXPECT_EQ(e.timestamp_ns, 0x123456789abcull);

    auto c = encode<order_executed_with_price_writer>([](auto w) {
        w.set_order_ref(21);
        w.set_executed_shares(22);
        w.set_match_number(23);
        w.set_execution_price(24);
    });
    ASSERT_TRUE(decode_order_event(c.data(), static_cast<uint16_t>(c.size()), e));
    EXPECT_EQ(e.type, 'C');
    EXPECT_EQ(e.order_ref, 21u);
    EXPECT_EQ(e.shares, 22u);
    EXPECT_EQ(e.price, 0u);
    EXPECT_EQ(e.side, 0);

    auto x = encode<order_cancel_writer>([](auto w) {
        w.set_order_ref(31);
        w.set_cancelled_shares(32);
    });
    ASSERT_TRUE(decode_order_event(x.data(), static_cast<uint16_t>(x.size()), e));
    EXPECT_EQ(e.shares, 32u);

    auto d = encode<order_delete_writer>([](auto w) { w.set_order_ref(41); });
    ASSERT_TRUE(decode_order_event(d.data(), static_cast<uint16_t>(d.size()), e));
    EXPECT_EQ(e.type, 'D');
    EXPECT_EQ(e.order_ref, 41u);
    EXPECT_EQ(e.shares, 0u);
    EXPECT_EQ(e.price, 0u);

    auto u = encode<order_replace_writer>([](auto w) {
        w.set_original_order_ref(51);
        w.set_new_order_ref(52);
        w.set_shares(53);
        w.set_price(54);
    });
    ASSERT_TRUE(decode_order_event(u.data(), static_cast<uint16_t>(u.size()), e));
    EXPECT_EQ(e.order_ref, 51u);
    EXPECT_EQ(e.new_order_ref, 52u);
    EXPECT_EQ(e.shares, 53u);
    EXPECT_EQ(e.price, 54u);

    auto ex = encode<order_executed_writer>([](auto w) {
        w.set_order_ref(61);
        w.set_executed_shares(62);
    });
    ASSERT_TRUE(decode_order_event(ex.data(), static_cast<uint16_t>(ex.size()), e));
    EXPECT_EQ(e.shares, 62u);

    auto s = encode<system_event_writer>([](auto w) { w.set_event_code('O'); });
    EXPECT_FALSE(decode_order_event(s.data(), static_cast<uint16_t>(s.size()), e));
    EXPECT_FALSE(decode_order_event(d.data(), order_delete::length - 1, e));
}

// "Not an order type" and "too short for its type" are one compare against the type's length;
// a type that is not an order must be refused at every length a message can have.
TEST(OrderEvent, EveryNonOrderTypeIsRefusedAtTheLongestLength) {
    std::vector<uint8_t> message(UINT16_MAX, 0);
    order_event e;
    for (uint32_t type = 0; type < 256; ++type) {
        message[0] = static_cast<uint8_t>(type);
        const bool order = type == 'A' || type == 'F' || type == 'E' || type == 'C' ||
                           type == 'X' || type == 'D' || type == 'U';
        EXPECT_EQ(decode_order_event(message.data(), UINT16_MAX, e), order) << type;
        EXPECT_FALSE(decode_order_event(message.data(), 1, e)) << type;
    }
    message[0] = 'D';
    EXPECT_TRUE(decode_order_event(message.data(), order_delete::length, e));
}

// What a handler that reads order messages in place is told: the same types and lengths as
// decode_order_event accepts, and an add's side byte.
TEST(OrderEvent, OrderMessagesInPlaceAreTheDecodersOrderEvents) {
    std::vector<uint8_t> message(UINT16_MAX, 0);
    order_event e;
    for (uint32_t type = 0; type < 256; ++type) {
        message[0] = static_cast<uint8_t>(type);
        for (const uint16_t length :
             {uint16_t{0}, uint16_t{1}, uint16_t{18}, uint16_t{19}, uint16_t{35}, uint16_t{36},
              uint16_t{40}, uint16_t{UINT16_MAX}})
            EXPECT_EQ(is_order_message(message.data(), length),
                      decode_order_event(message.data(), length, e))
                << type << " " << length;
    }
    auto a = encode<add_order_writer>([](auto w) { w.set_side('B'); });
    EXPECT_EQ(order_message_side(a.data()), 'B');
    auto x = encode<order_cancel_writer>([](auto w) { w.set_order_ref(0x42424242); });
    EXPECT_EQ(order_message_side(x.data()), 0);
}

// encode_order_event writes the message decode_order_event reads back, for every order type.
TEST(OrderEvent, EncodedEventDecodesToItself) {
    for (const char type : {'A', 'F', 'E', 'C', 'X', 'D', 'U'}) {
        const auto& layout = detail::order_layouts[static_cast<uint8_t>(type)];
        order_event in;
        in.type = type;
        in.order_ref = 0x0102030405060708ull;
        in.new_order_ref = 0x1112131415161718ull & layout.new_ref_mask;
        in.shares = 0x21222324u & layout.shares_mask;
        in.price = 0x31323334u & layout.price_mask;
        in.stock_locate = 0x4142;
        in.side = static_cast<char>('S' & layout.side_mask);
        in.timestamp_ns = 0x515253545556ull;
        std::array<uint8_t, max_order_message_length> bytes{};
        const uint16_t length = encode_order_event(in, bytes.data());
        ASSERT_EQ(length, layout.length) << type;
        order_event out;
        ASSERT_TRUE(decode_order_event(bytes.data(), length, out)) << type;
        EXPECT_EQ(out.type, in.type);
        EXPECT_EQ(out.order_ref, in.order_ref) << type;
        EXPECT_EQ(out.new_order_ref, in.new_order_ref) << type;
        EXPECT_EQ(out.shares, in.shares) << type;
        EXPECT_EQ(out.price, in.price) << type;
        EXPECT_EQ(out.stock_locate, in.stock_locate) << type;
        EXPECT_EQ(out.side, in.side) << type;
        EXPECT_EQ(out.timestamp_ns, in.timestamp_ns) << type;
    }
    order_event not_an_order;
    not_an_order.type = 'S';
    std::array<uint8_t, max_order_message_length> bytes{};
    EXPECT_EQ(encode_order_event(not_an_order, bytes.data()), 0u);
}

}  // namespace
