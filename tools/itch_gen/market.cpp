#include "market.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <map>
#include <string>
#include <vector>

#include "hypertick/feed/itch_messages.hpp"
#include "nasdaq_profile.hpp"
#include "rng.hpp"

namespace itch_gen {

namespace {

using namespace hypertick::feed;

constexpr uint32_t tick = 100;                                    // one cent in Price(4)
constexpr uint64_t clock_start_ns = 4ull * 3600 * 1'000'000'000;  // 04:00, system hours open
// Above this many resting orders a symbol only cancels or executes: books stay deep but
// bounded, and most adds end up cancelled, as on the real feed.
constexpr uint32_t live_orders_per_symbol_max = 400;
constexpr uint32_t trailer_messages = 3;  // S 'M', 'E', 'C'

struct live_order {
    uint64_t ref;
    uint32_t price;
    uint32_t shares;
    char side;
};

struct listed_symbol {
    std::string name;
    uint16_t locate = 0;
    uint32_t mid = 0;
    std::vector<live_order> orders;
    std::map<uint32_t, uint32_t> bids;  // price -> resting orders, to keep the book uncrossed
    std::map<uint32_t, uint32_t> asks;
};

// Distinct 4-letter tickers: multiplying by a number coprime to 26^4 permutes the indices.
std::string ticker(uint32_t index) {
    uint64_t code = (uint64_t{index} * 7919u + 1234u) % (26u * 26u * 26u * 26u);
    std::string name(4, 'A');
    for (int i = 3; i >= 0; --i) {
        name[i] = static_cast<char>('A' + code % 26);
        code /= 26;
    }
    return name;
}

class market {
  public:
    explicit market(const generator_options& options) : options_(options), rng_(options.seed) {}

    message_stream run() {
        stream_.reserve(options_.messages);
        preamble();
        while (true) {
            const uint64_t drain = options_.empty_at_end ? live_total_ + 1 : 0;
            if (stream_.size() + 1 + drain + trailer_messages > options_.messages) break;
            step();
        }
        if (options_.empty_at_end) {
            for (listed_symbol& s : symbols_) {
                while (!s.orders.empty()) delete_order(s, s.orders.size() - 1);
            }
        }
        while (stream_.size() + trailer_messages < options_.messages) non_book(pick_symbol());
        for (char code : {'M', 'E', 'C'}) system_event(code);
        assert(stream_.size() == options_.messages);
        return std::move(stream_);
    }

  private:
    // Starts a message of view type W in the scratch buffer with its common header filled.
    template <class W>
    W start(uint16_t locate) {
        W w{buffer_.data()};
        w.init();
        w.set_stock_locate(locate);
        w.set_tracking_number(static_cast<uint16_t>(rng_.below(8)));
        clock_ns_ += rng_.between(1, 3000);
        w.set_timestamp_ns(clock_ns_);
        return w;
    }
    template <class W>
    void commit(const W&) {
        stream_.append(buffer_.data(), W::length);
    }

    void preamble() {
        clock_ns_ = clock_start_ns;
        system_event('O');
        symbols_.resize(options_.symbols);
        for (uint32_t i = 0; i < options_.symbols; ++i) {
            listed_symbol& s = symbols_[i];
            s.name = ticker(i);
            s.locate = static_cast<uint16_t>(i + 1);
            s.mid = static_cast<uint32_t>(rng_.between(500, 20'000)) * tick;
            directory(s);
        }
        for (const listed_symbol& s : symbols_) trading_action(s, 'T');
        auto v = start<mwcb_decline_level_writer>(0);
        v.set_level1_price(3'500'000'000'000ull);
        v.set_level2_price(3'250'000'000'000ull);
        v.set_level3_price(2'900'000'000'000ull);
        commit(v);
        system_event('S');
        system_event('Q');
    }

    void system_event(char code) {
        auto m = start<system_event_writer>(0);
        m.set_event_code(code);
        commit(m);
    }

    void directory(const listed_symbol& s) {
        auto m = start<stock_directory_writer>(s.locate);
        m.set_stock(s.name);
        m.set_market_category('Q');
        m.set_financial_status('N');
        m.set_round_lot_size(100);
        m.set_round_lots_only('N');
        m.set_issue_classification('C');
        m.set_issue_sub_type("Z");
        m.set_authenticity('P');
        m.set_short_sale_threshold('N');
        m.set_ipo_flag('N');
        m.set_luld_reference_price_tier('1');
        m.set_etp_flag('N');
        m.set_etp_leverage_factor(0);
        m.set_inverse_indicator('N');
        commit(m);
    }

    void trading_action(const listed_symbol& s, char state) {
        auto m = start<stock_trading_action_writer>(s.locate);
        m.set_stock(s.name);
        m.set_trading_state(state);
        m.set_reserved(' ');
        m.set_reason(state == 'T' ? "" : "LUDP");
        commit(m);
    }

    // Skewed towards low locates, like real activity is concentrated in few names. The nasdaq
    // profile sends most messages to its few hundred hot symbols.
    listed_symbol& pick_symbol() {
        uint64_t n = symbols_.size();
        if (options_.profile == feed_profile::nasdaq &&
            rng_.chance(nasdaq::hot_share_per_million)) {
            n = std::min<uint64_t>(n, nasdaq::hot_symbols);
        } else if (options_.profile == feed_profile::nasdaq) {
            return symbols_[rng_.below(n)];
        }
        return symbols_[std::min(rng_.below(n), rng_.below(n))];
    }

    void step() {
        if (options_.profile == feed_profile::nasdaq) return step_nasdaq();
        listed_symbol& s = pick_symbol();
        if (rng_.chance(30'000)) walk(s);
        const uint64_t roll = rng_.below(1000);
        const bool must_add = s.orders.size() < 4;
        const bool may_add = s.orders.size() < live_orders_per_symbol_max;
        if (must_add || (roll < 420 && may_add)) return add(s);
        if (roll < 700) return delete_order(s, rng_.below(s.orders.size()));
        if (roll < 780) return cancel(s, rng_.below(s.orders.size()));
        if (roll < 880) return execute(s, rng_.below(s.orders.size()));
        if (roll < 960) return replace(s, rng_.below(s.orders.size()));
        non_book(s);
    }

    // Books fill to their targets, then hover there; the type mix follows nasdaq_profile.hpp.
    void step_nasdaq() {
        using nasdaq::profile_action;
        listed_symbol& s = pick_symbol();
        const uint32_t index = s.locate - 1u;
        if (rng_.chance(nasdaq::walk_per_million(index))) walk(s);
        const uint64_t live = s.orders.size();
        const uint32_t add_ppm = live >= nasdaq::live_cap(index) ? 0
                                 : live < nasdaq::live_target(index)
                                     ? nasdaq::add_below_target_per_million
                                     : nasdaq::add_at_target_per_million;
        if (live == 0 || rng_.chance(add_ppm)) return add(s, nasdaq::attributed_add_per_million);
        const uint64_t order = rng_.below(live);
        switch (nasdaq::action_for(static_cast<uint32_t>(rng_.below(nasdaq::action_scale)))) {
            case profile_action::delete_order:
                return delete_order(s, order);
            case profile_action::replace:
                return replace(s, order);
            case profile_action::execute:
                return execute(s, order, execution_kind::plain);
            case profile_action::execute_with_price:
                return execute(s, order, execution_kind::with_price);
            case profile_action::cancel_part:
                return cancel(s, order);
            case profile_action::cancel_all:
                return cancel_all(s, order);
            case profile_action::hidden_trade:
                return hidden_trade(s);
            case profile_action::other:
                return non_book(s);
        }
    }

    void walk(listed_symbol& s) {
        if (rng_.below(2) == 0)
            s.mid += tick;
        else if (s.mid > 20 * tick)
            s.mid -= tick;
    }

    // A price for a new order on `side` near the mid that never crosses the other side.
    // Returns 0 when no such price exists (the bid side would need a price below one tick).
    uint32_t price_for(const listed_symbol& s, char side) {
        const uint32_t depth = static_cast<uint32_t>(rng_.below(6) + rng_.below(5));
        if (side == 'B') {
            int64_t price = int64_t{s.mid} - int64_t{1 + depth} * tick;
            if (!s.asks.empty())
                price = std::min<int64_t>(price, int64_t{s.asks.begin()->first} - tick);
            return price >= tick ? static_cast<uint32_t>(price) : 0;
        }
        uint32_t price = s.mid + (1 + depth) * tick;
        if (!s.bids.empty()) price = std::max(price, s.bids.rbegin()->first + tick);
        return price;
    }

    uint32_t lot() {
        return rng_.chance(100'000) ? static_cast<uint32_t>(rng_.between(1, 99))
                                    : static_cast<uint32_t>(rng_.between(1, 10)) * 100;
    }

    void rest(listed_symbol& s, const live_order& order) {
        s.orders.push_back(order);
        ++(order.side == 'B' ? s.bids : s.asks)[order.price];
        ++live_total_;
    }

    void unrest(listed_symbol& s, uint64_t index) {
        assert(index < s.orders.size());
        const live_order order = s.orders[index];
        auto& levels = order.side == 'B' ? s.bids : s.asks;
        auto level = levels.find(order.price);
        assert(level != levels.end());
        if (--level->second == 0) levels.erase(level);
        s.orders[index] = s.orders.back();
        s.orders.pop_back();
        --live_total_;
    }

    void add(listed_symbol& s, uint32_t attributed_per_million = 100'000) {
        char side = rng_.below(2) == 0 ? 'B' : 'S';
        uint32_t price = price_for(s, side);
        if (price == 0) {
            side = 'S';
            price = price_for(s, side);
        }
        const live_order order{next_ref_++, price, lot(), side};
        if (rng_.chance(attributed_per_million)) {
            static constexpr std::array<const char*, 4> mpids = {"GSCO", "MSCO", "UBSS", "NITE"};
            auto m = start<add_order_mpid_writer>(s.locate);
            fill_add(m, s, order);
            m.set_attribution(mpids[rng_.below(mpids.size())]);
            commit(m);
        } else {
            auto m = start<add_order_writer>(s.locate);
            fill_add(m, s, order);
            commit(m);
        }
        rest(s, order);
    }

    template <class W>
    void fill_add(const W& m, const listed_symbol& s, const live_order& order) {
        m.set_order_ref(order.ref);
        m.set_side(order.side);
        m.set_shares(order.shares);
        m.set_stock(s.name);
        m.set_price(order.price);
    }

    void delete_order(listed_symbol& s, uint64_t index) {
        auto m = start<order_delete_writer>(s.locate);
        m.set_order_ref(s.orders[index].ref);
        commit(m);
        unrest(s, index);
    }

    void cancel(listed_symbol& s, uint64_t index) {
        live_order& order = s.orders[index];
        if (order.shares < 2) return delete_order(s, index);
        const uint32_t cancelled = static_cast<uint32_t>(rng_.between(1, order.shares - 1));
        auto m = start<order_cancel_writer>(s.locate);
        m.set_order_ref(order.ref);
        m.set_cancelled_shares(cancelled);
        commit(m);
        order.shares -= cancelled;
    }

    // Every remaining share cancelled: the order leaves the book through an 'X', not a 'D'.
    void cancel_all(listed_symbol& s, uint64_t index) {
        auto m = start<order_cancel_writer>(s.locate);
        m.set_order_ref(s.orders[index].ref);
        m.set_cancelled_shares(s.orders[index].shares);
        commit(m);
        unrest(s, index);
    }

    // `chosen`: an execution with price one time in four.
    enum class execution_kind { chosen, plain, with_price };

    void execute(listed_symbol& s, uint64_t index, execution_kind kind = execution_kind::chosen) {
        live_order& order = s.orders[index];
        const bool full = order.shares < 2 || rng_.below(2) == 0;
        const uint32_t executed =
            full ? order.shares : static_cast<uint32_t>(rng_.between(1, order.shares - 1));
        const bool with_price = kind == execution_kind::chosen ? rng_.below(4) == 0
                                                               : kind == execution_kind::with_price;
        if (with_price) {
            auto m = start<order_executed_with_price_writer>(s.locate);
            m.set_order_ref(order.ref);
            m.set_executed_shares(executed);
            m.set_match_number(next_match_++);
            m.set_printable(rng_.below(10) == 0 ? 'N' : 'Y');
            m.set_execution_price(order.price + static_cast<uint32_t>(rng_.below(3)) * tick);
            commit(m);
        } else {
            auto m = start<order_executed_writer>(s.locate);
            m.set_order_ref(order.ref);
            m.set_executed_shares(executed);
            m.set_match_number(next_match_++);
            commit(m);
        }
        if (full)
            unrest(s, index);
        else
            order.shares -= executed;
    }

    void replace(listed_symbol& s, uint64_t index) {
        const live_order old = s.orders[index];
        unrest(s, index);  // first, so the new price is checked against the book without it
        const uint32_t price = price_for(s, old.side);
        if (price == 0) {  // No room on the bid side: keep the price.
            rest(s, old);
            return delete_order(s, s.orders.size() - 1);
        }
        const live_order order{next_ref_++, price, lot(), old.side};
        auto m = start<order_replace_writer>(s.locate);
        m.set_original_order_ref(old.ref);
        m.set_new_order_ref(order.ref);
        m.set_shares(order.shares);
        m.set_price(order.price);
        commit(m);
        rest(s, order);
    }

    void non_book(const listed_symbol& s);
    void hidden_trade(const listed_symbol& s);
    void trade_message(const listed_symbol& s);
    void status_message(const listed_symbol& s);

    const generator_options& options_;
    random_generator rng_;
    message_stream stream_;
    std::vector<listed_symbol> symbols_;
    std::array<uint8_t, itch_message_length_max> buffer_{};
    uint64_t clock_ns_ = clock_start_ns;
    uint64_t next_ref_ = 1000;
    uint64_t next_match_ = 1;
    uint64_t live_total_ = 0;
};

// A 'P': an execution against a non-displayed order, which never touches a book.
void market::hidden_trade(const listed_symbol& s) {
    auto m = start<trade_writer>(s.locate);
    m.set_order_ref(0);
    m.set_side('B');
    m.set_shares(static_cast<uint32_t>(rng_.between(1, 10)) * 100);
    m.set_stock(s.name);
    m.set_price(s.mid);
    m.set_match_number(next_match_++);
    commit(m);
}

// Trades and trade corrections: P, Q, B, I.
void market::trade_message(const listed_symbol& s) {
    const uint32_t p = s.mid;
    switch (rng_.below(4)) {
        case 0:
            return hidden_trade(s);
        case 1: {
            auto m = start<cross_trade_writer>(s.locate);
            m.set_shares(rng_.between(100, 1'000'000));
            m.set_stock(s.name);
            m.set_cross_price(p);
            m.set_match_number(next_match_++);
            m.set_cross_type(rng_.below(2) == 0 ? 'O' : 'C');
            return commit(m);
        }
        case 2: {
            auto m = start<broken_trade_writer>(s.locate);
            m.set_match_number(next_match_ > 1 ? rng_.between(1, next_match_ - 1) : 1);
            return commit(m);
        }
        default: {
            auto m = start<noii_writer>(s.locate);
            m.set_paired_shares(rng_.between(0, 100'000));
            m.set_imbalance_shares(rng_.between(0, 10'000));
            m.set_imbalance_direction("BSNO"[rng_.below(4)]);
            m.set_stock(s.name);
            m.set_far_price(p);
            m.set_near_price(p);
            m.set_current_reference_price(p);
            m.set_cross_type('O');
            m.set_price_variation_indicator('L');
            return commit(m);
        }
    }
}

// Status and reference messages: Y, L, W, K, J, h, N, O, H.
void market::status_message(const listed_symbol& s) {
    const uint32_t p = s.mid;
    switch (rng_.below(9)) {
        case 0: {
            auto m = start<reg_sho_restriction_writer>(s.locate);
            m.set_stock(s.name);
            m.set_reg_sho_action(static_cast<char>('0' + rng_.below(3)));
            return commit(m);
        }
        case 1: {
            auto m = start<market_participant_position_writer>(s.locate);
            m.set_mpid("NITE");
            m.set_stock(s.name);
            m.set_primary_market_maker('N');
            m.set_market_maker_mode('N');
            m.set_market_participant_state('A');
            return commit(m);
        }
        case 2: {
            auto m = start<mwcb_status_writer>(0);
            m.set_breached_level(static_cast<char>('1' + rng_.below(3)));
            return commit(m);
        }
        case 3: {
            auto m = start<ipo_quoting_period_writer>(s.locate);
            m.set_stock(s.name);
            m.set_ipo_quotation_release_time(static_cast<uint32_t>(rng_.between(34'200, 57'600)));
            m.set_ipo_quotation_release_qualifier('A');
            m.set_ipo_price(p);
            return commit(m);
        }
        case 4: {
            auto m = start<luld_auction_collar_writer>(s.locate);
            m.set_stock(s.name);
            m.set_reference_price(p);
            m.set_upper_price(p + 50 * tick);
            m.set_lower_price(p > 50 * tick ? p - 50 * tick : tick);
            m.set_extension(static_cast<uint32_t>(rng_.below(3)));
            return commit(m);
        }
        case 5: {
            auto m = start<operational_halt_writer>(s.locate);
            m.set_stock(s.name);
            m.set_market_code('Q');
            m.set_operational_halt_action(rng_.below(2) == 0 ? 'H' : 'T');
            return commit(m);
        }
        case 6: {
            auto m = start<retail_interest_writer>(s.locate);
            m.set_stock(s.name);
            m.set_interest_flag("BSAN"[rng_.below(4)]);
            return commit(m);
        }
        case 7: {
            auto m = start<dlcr_price_discovery_writer>(s.locate);
            m.set_stock(s.name);
            m.set_open_eligibility_status('Y');
            m.set_minimum_allowable_price(p > 100 * tick ? p - 100 * tick : tick);
            m.set_maximum_allowable_price(p + 100 * tick);
            m.set_near_execution_price(p);
            m.set_near_execution_time(clock_ns_);
            m.set_lower_price_range_collar(p > 10 * tick ? p - 10 * tick : tick);
            m.set_upper_price_range_collar(p + 10 * tick);
            return commit(m);
        }
        default:
            return trading_action(s, rng_.below(2) == 0 ? 'T' : 'Q');
    }
}

// One of the messages that never change a book, with plausible fields (about a third trades).
void market::non_book(const listed_symbol& s) {
    if (rng_.below(13) < 4)
        trade_message(s);
    else
        status_message(s);
}

}  // namespace

message_stream generate_market(const generator_options& options) {
    return market(options).run();
}

}  // namespace itch_gen
