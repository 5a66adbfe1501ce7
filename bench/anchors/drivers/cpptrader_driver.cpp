// chronoxor/CppTrader's aggressive optimized market manager (performance/
// market_manager_optimized_aggressive.cpp without its main, its members opened for the dump)
// behind its ITCHHandler, over a NASDAQ historical file held in memory.
#include "cpptrader_aggressive_stripped.inc"
#include "driver_common.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: cpptrader_driver FILE DUMP\n");
        return 2;
    }
    const auto bytes = harness::load(argv[1]);
    const uint64_t messages = harness::count_messages(bytes);
    auto* market = new MarketManagerOptimized();
    auto* handler = new MyITCHHandler(*market);
    harness::Timer timer;
    handler->Process(const_cast<unsigned char*>(bytes.data()), bytes.size());
    const uint64_t ns = timer.ns();
    harness::report(messages, ns);
    std::printf("handled %zu errors %zu\n", handler->messages(), handler->errors());
    FILE* out = std::fopen(argv[2], "w");
    for (size_t b = 0; b < market->_order_books.size(); ++b) {
        const OrderBook& book = market->_order_books[b];
        for (const bool bid : {true, false}) {
            const auto& side = bid ? book.bids() : book.asks();
            for (size_t i = side.size(); i-- > 0;) {  // best at the back
                const Level& lv = OrderBook::_levels[side[i].Level];
                const long long p = lv.Price < 0 ? -static_cast<long long>(lv.Price) : lv.Price;
                std::fprintf(out, "%zu %c %lld %u -\n", b, bid ? 'B' : 'S', p, lv.Volume);
            }
        }
    }
    std::fclose(out);
    return 0;
}
