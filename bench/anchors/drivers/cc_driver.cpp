// charles-cooper/itch-order-book over a NASDAQ historical file held in memory (its own main
// reads stdin through a small buffer; the dispatch below is the same, the I/O is taken out).
#include <algorithm>
#include <chrono>
#include <limits>
#include "bufferedreader.h"
#include "driver_common.hpp"
#include "itch.h"
#include "order_book.h"

static sprice_t mksigned(price_t price, BUY_SELL buy) {
    auto ret = MKPRIMITIVE(price);
    if (BUY_SELL::SELL == buy) ret = -ret;
    return sprice_t(ret);
}

template <itch_t C>
static itch_message<C> parse_at(const unsigned char* p) {
    return itch_message<C>::parse((char*)p);
}

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: cc_driver FILE DUMP\n");
        return 2;
    }
    const auto bytes = harness::load(argv[1]);
    const uint64_t messages = harness::count_messages(bytes);
    order_book::oid_map.reserve(order_id_t(184118975 * 2));  // as its own main does
    harness::Timer timer;
    for (size_t i = 0; i + 3 <= bytes.size();) {
        const size_t len = (size_t{bytes[i]} << 8) | bytes[i + 1];
        if (len == 0) break;
        const unsigned char* m = bytes.data() + i + 2;
        i += 2 + len;
        switch (itch_t(m[0])) {
            case itch_t::ADD_ORDER: {
                auto p = parse_at<itch_t::ADD_ORDER>(m);
                order_book::add_order(order_id_t(p.oid), book_id_t(p.stock_locate),
                                      mksigned(p.price, p.buy), p.qty);
                break;
            }
            case itch_t::ADD_ORDER_MPID: {
                auto p = parse_at<itch_t::ADD_ORDER_MPID>(m);
                order_book::add_order(order_id_t(p.add_msg.oid), book_id_t(p.add_msg.stock_locate),
                                      mksigned(p.add_msg.price, p.add_msg.buy), p.add_msg.qty);
                break;
            }
            case itch_t::EXECUTE_ORDER: {
                auto p = parse_at<itch_t::EXECUTE_ORDER>(m);
                order_book::execute_order(order_id_t(p.oid), p.qty);
                break;
            }
            case itch_t::EXECUTE_ORDER_WITH_PRICE: {
                auto p = parse_at<itch_t::EXECUTE_ORDER_WITH_PRICE>(m);
                order_book::execute_order(order_id_t(p.exec.oid), p.exec.qty);
                break;
            }
            case itch_t::REDUCE_ORDER: {
                auto p = parse_at<itch_t::REDUCE_ORDER>(m);
                order_book::cancel_order(order_id_t(p.oid), p.qty);
                break;
            }
            case itch_t::DELETE_ORDER: {
                auto p = parse_at<itch_t::DELETE_ORDER>(m);
                order_book::delete_order(order_id_t(p.oid));
                break;
            }
            case itch_t::REPLACE_ORDER: {
                auto p = parse_at<itch_t::REPLACE_ORDER>(m);
                order_book::replace_order(order_id_t(p.oid), order_id_t(p.new_order_id), p.new_qty,
                                          mksigned(p.new_price, BUY_SELL::BUY));
                break;
            }
            default:
                break;
        }
    }
    const uint64_t ns = timer.ns();
    harness::report(messages, ns);
    FILE* out = std::fopen(argv[2], "w");
    for (size_t b = 0; b < order_book::MAX_BOOKS; ++b) {
        const order_book& book = order_book::s_books[b];
        for (const bool bid : {true, false}) {
            const auto& side = bid ? book.m_bids : book.m_offers;
            std::vector<std::pair<long long, unsigned long long>> levels;
            for (const price_level& pl : side) {
                const long long p = MKPRIMITIVE(pl.m_price);
                levels.emplace_back(p < 0 ? -p : p, (unsigned long long)MKPRIMITIVE(
                                                        order_book::s_levels[pl.m_ptr].m_qty));
            }
            std::sort(levels.begin(), levels.end());
            if (bid) std::reverse(levels.begin(), levels.end());
            for (auto& [p, q] : levels)
                std::fprintf(out, "%zu %c %lld %llu -\n", b, bid ? 'B' : 'S', p, q);
        }
    }
    std::fclose(out);
    return 0;
}
