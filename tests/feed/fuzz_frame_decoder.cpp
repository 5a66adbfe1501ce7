// libFuzzer target for the receive path: the input is one Ethernet frame (or, when its first
// byte is 0xff, a bare MoldUDP64 payload after that byte, to reach the message walk sooner).
// Built by clang++ directly (see CMakeLists.txt); header-only feed code, so no g++ objects.
// Besides ASan/UBSan, it traps when the counters stop adding up.
#include <cstddef>
#include <cstdint>

#include "hypertick/feed/feed_receiver.hpp"

namespace {

using namespace hypertick::feed;

// Touches every field a book would read, so a read past the buffer cannot hide.
struct touching_handler : feed_handler_base {
    uint64_t sum = 0;
#define HT_TOUCH(name, callback)                                    \
    void callback(name m, uint64_t sequence) {                      \
        sum += m.p[name::length - 1] + m.timestamp_ns() + sequence; \
    }
    HT_ITCH_MESSAGE_TYPES(HT_TOUCH)
#undef HT_TOUCH
    void on_unknown_message(const uint8_t* m, uint16_t length, uint64_t) {
        sum += m[length - 1];
    }
};

struct order_event_handler : feed_handler_base {
    uint64_t sum = 0;
    void on_order_event(const order_event& e, uint64_t) { sum += e.order_ref + e.shares + e.price; }
};

template <class Handler>
void run(const uint8_t* data, size_t size) {
    Handler handler;
    feed_receiver<Handler> receiver(handler, {});
    if (size > 0 && data[0] == 0xff) {
        receiver.on_moldudp64(data + 1, static_cast<uint32_t>(size - 1));
    } else {
        receiver.on_frame(data, static_cast<uint32_t>(size));
        uint64_t outcomes = 0;
        for (uint32_t e = 0; e <= static_cast<uint32_t>(feed_event::malformed_udp_length); ++e) {
            outcomes += receiver.counters().by_event[e];
        }
        if (outcomes != 1) __builtin_trap();
    }
    const auto& s = receiver.stream().counters();
    if (s.messages > receiver.counters()[feed_event::message_decoded] +
                         receiver.counters()[feed_event::message_unknown_type] +
                         receiver.counters()[feed_event::malformed_message_too_short] +
                         receiver.counters()[feed_event::malformed_order_side]) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 65535) return 0;
    run<touching_handler>(data, size);
    run<order_event_handler>(data, size);
    return 0;
}
