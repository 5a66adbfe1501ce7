#include "message_index.hpp"

#include "hypertick/base/byte_order.hpp"
#include "hypertick/feed/ethernet_ipv4_udp.hpp"
#include "hypertick/feed/pcap_file.hpp"

namespace hypertick::mold_server {

bool message_index::load(const std::string& path, const feed::mold_session* wanted,
                         std::string& error) {
    feed::pcap_reader reader;
    if (!reader.open(path)) {
        error = path + ": " + reader.error();
        return false;
    }
    feed::pcap_record record;
    bool have_session = wanted != nullptr;
    if (wanted != nullptr) session_ = *wanted;
    while (reader.next(record)) {
        feed::udp_datagram d;
        // Frames that are not UDP (or are cut short) are not feed data: skip them.
        if (feed::parse_udp_frame(record.data, record.captured_length, feed::udp_filter{}, d) !=
            feed::feed_event::frame_accepted)
            continue;
        if (d.length < feed::mold_header_length) continue;
        const feed::mold_header h{d.payload};
        if (!have_session) {
            session_ = h.session();
            have_session = true;
        }
        if (h.session() != session_) {
            ++other_session_datagrams_;
            continue;
        }
        // Heartbeats (count 0) and end of session (0xFFFF) carry no message.
        if (h.count() == 0 || h.count() == feed::mold_end_of_session_count) continue;
        std::uint32_t at = feed::mold_header_length;
        for (std::uint32_t i = 0; i < h.count(); ++i) {
            if (at + feed::mold_length_prefix > d.length)
                break;  // a malformed tail: keep what came before
            const std::uint16_t length = base::load_be16(d.payload + at);
            at += feed::mold_length_prefix;
            if (at + length > d.length) break;
            const std::uint64_t sequence = h.sequence() + i;
            if (where_.emplace(sequence, slot{bytes_.size(), length}).second) {
                bytes_.insert(bytes_.end(), d.payload + at, d.payload + at + length);
                if (where_.size() == 1 || sequence < first_) first_ = sequence;
                if (sequence > last_) last_ = sequence;
            }
            at += length;
        }
    }
    if (!reader.error().empty()) {
        error = path + ": " + reader.error();
        return false;
    }
    if (where_.empty()) {
        error = path + ": no MoldUDP64 message" +
                (have_session ? " of session '" + std::string(session_.view()) + "'" : "") +
                " in the capture";
        return false;
    }
    return true;
}

std::optional<std::string_view> message_index::find(std::uint64_t sequence) const {
    const auto it = where_.find(sequence);
    if (it == where_.end()) return std::nullopt;
    return std::string_view{bytes_.data() + it->second.offset, it->second.length};
}

}  // namespace hypertick::mold_server
