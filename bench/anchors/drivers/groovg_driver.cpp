// groovg/itch-book (pooled order store, its default) over a NASDAQ historical file.
#include <itch/book_manager.hpp>
#include <itch/parser.hpp>
#include <span>
#include "driver_common.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: groovg_driver FILE DUMP\n");
        return 2;
    }
    const auto bytes = harness::load(argv[1]);
    const uint64_t messages = harness::count_messages(bytes);
    auto* books = new itch::BookManager<std::nullptr_t, itch::Book<itch::PooledOrderStore>>();
    const std::span<const std::byte> data(reinterpret_cast<const std::byte*>(bytes.data()),
                                          bytes.size());
    harness::Timer timer;
    const auto r = itch::parse(data, *books);
    const uint64_t ns = timer.ns();
    harness::report(messages, ns);
    std::printf("parsed %llu\n", static_cast<unsigned long long>(r.messages));
    FILE* out = std::fopen(argv[2], "w");
    for (size_t locate = 0; locate < books->book_count(); ++locate) {
        const auto* book = books->book(static_cast<uint16_t>(locate));
        for (const bool buy : {true, false}) {
            const auto& side = book->side(buy);
            for (size_t i = side.size(); i-- > 0;) {  // best at the back
                const itch::Level& lv = book->level(side[i].level);
                std::fprintf(out, "%zu %c %lld %llu %u\n", locate, buy ? 'B' : 'S',
                             static_cast<long long>(buy ? lv.key : -lv.key),
                             static_cast<unsigned long long>(lv.shares), lv.orders);
            }
        }
    }
    std::fclose(out);
    return 0;
}
