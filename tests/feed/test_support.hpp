// Helpers shared by the feed tests: frames built on exact-size heap buffers (so ASan catches a
// read one byte past the end), and a handler that records what it was given.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hypertick/feed/feed_receiver.hpp"
#include "hypertick/feed/frame_builder.hpp"
#include "hypertick/feed/itch_messages.hpp"

namespace feed_test {

using namespace hypertick::feed;

// A fixed key for the copy check (copy_key.hpp), so a test's hashes are the same every run;
// the gateway draws its key at start-up.
inline constexpr copy_key fixed_copy_key{{0x243F6A8885A308D3ull, 0x13198A2E03707344ull,
                                          0xA4093822299F31D0ull, 0x082EFA98EC4E6C89ull,
                                          0x452821E638D01377ull, 0xBE5466CF34E90C6Cull}};

// A heap copy of exactly `bytes.size()` bytes: no slack for an overrun to hide in.
struct exact_buffer {
    explicit exact_buffer(const std::vector<uint8_t>& bytes)
        : size(static_cast<uint32_t>(bytes.size())),
          data(new uint8_t[bytes.empty() ? 1 : bytes.size()]) {
        std::copy(bytes.begin(), bytes.end(), data.get());
    }
    uint32_t size;
    std::unique_ptr<uint8_t[]> data;
};

// Every message delivered, as (sequence, raw bytes), plus sequencing events.
struct recording_handler : feed_handler_base {
    struct delivered_message {
        uint64_t sequence;
        std::vector<uint8_t> bytes;
    };
    std::vector<delivered_message> delivered;
    std::vector<std::pair<uint64_t, uint64_t>> gaps;
    uint32_t sessions_started = 0;
    uint32_t ends_of_session = 0;

#define HT_RECORD(name, callback)                                   \
    void callback(name m, uint64_t sequence) {                      \
        delivered.push_back({sequence, {m.p, m.p + name::length}}); \
    }
    HT_ITCH_MESSAGE_TYPES(HT_RECORD)
#undef HT_RECORD
    void on_unknown_message(const uint8_t* m, uint16_t length, uint64_t sequence) {
        delivered.push_back({sequence, {m, m + length}});
    }
    void on_session_start(const mold_session&) {
        ++sessions_started;
    }
    void on_gap(uint64_t first, uint64_t count) {
        gaps.emplace_back(first, count);
    }
    void on_end_of_session(uint64_t) {
        ++ends_of_session;
    }
};

// A MoldUDP64 payload with the given messages (each a byte vector).
inline std::vector<uint8_t> mold_payload(const std::string& session, uint64_t sequence,
                                         const std::vector<std::vector<uint8_t>>& messages) {
    mold_payload_builder builder;
    builder.start(mold_session::from_text(session), sequence);
    for (const auto& m : messages) builder.append(m.data(), static_cast<uint16_t>(m.size()));
    builder.finish();
    return builder.bytes();
}

inline std::vector<uint8_t> frame_of(const std::vector<uint8_t>& payload, uint16_t vlan = 0) {
    frame_address address;
    address.vlan = vlan;
    return build_udp_frame(address, payload.data(), static_cast<uint32_t>(payload.size()));
}

// An add order message with the given reference, for filling datagrams.
inline std::vector<uint8_t> add_order_bytes(uint64_t ref, uint16_t locate = 1) {
    std::vector<uint8_t> bytes(add_order::length);
    add_order_writer w{bytes.data()};
    w.init();
    w.set_stock_locate(locate);
    w.set_order_ref(ref);
    w.set_side('B');
    w.set_shares(100);
    w.set_stock("TEST");
    w.set_price(1'000'000);
    return bytes;
}

}  // namespace feed_test
