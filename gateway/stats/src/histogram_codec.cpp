#include "hypertick/stats/histogram_codec.hpp"

#include <zlib.h>
#include <cstdint>

#include <bit>
#include <cstring>

#include "hypertick/base/assert.hpp"
#include "hypertick/stats/base64.hpp"
#include "hypertick/stats/format_error.hpp"
#include "hypertick/stats/zigzag_leb128.hpp"

namespace hypertick::stats {

namespace {

constexpr std::size_t inner_header_bytes = 40;
constexpr std::size_t outer_header_bytes = 8;

void put_be(std::vector<std::uint8_t>& out, std::uint64_t value, std::size_t bytes) {
    for (std::size_t i = bytes; i-- > 0;)
        out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint64_t get_be(const std::uint8_t* in, std::size_t bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) value = (value << 8) | in[i];
    return value;
}

void append_payload(const histogram& h, std::vector<std::uint8_t>& out) {
    const std::span<const std::uint64_t> counts = h.counts();
    std::size_t limit = counts.size();
    while (limit > 1 && counts[limit - 1] == 0) --limit;
    for (std::size_t i = 0; i < limit;) {
        if (counts[i] != 0) {
            zigzag_append(static_cast<std::int64_t>(counts[i]), out);
            ++i;
            continue;
        }
        std::size_t run = 1;
        while (i + run < limit && counts[i + run] == 0) ++run;
        zigzag_append(run == 1 ? 0 : -static_cast<std::int64_t>(run), out);
        i += run;
    }
}

// Inflates the zlib stream in `compressed` into exactly the bytes the inner header announces.
std::vector<std::uint8_t> inflate_inner(std::span<const std::uint8_t> compressed) {
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK) throw format_error("zlib inflateInit failed");
    std::vector<std::uint8_t> inner(inner_header_bytes);
    stream.next_in = const_cast<Bytef*>(compressed.data());
    stream.avail_in = static_cast<uInt>(compressed.size());
    auto inflate_to = [&](std::size_t end) {
        stream.next_out = inner.data() + stream.total_out;
        stream.avail_out = static_cast<uInt>(end - stream.total_out);
        const int rc = inflate(&stream, Z_SYNC_FLUSH);
        if ((rc != Z_OK && rc != Z_STREAM_END) || stream.total_out != end) {
            inflateEnd(&stream);
            throw format_error("histogram zlib stream is corrupt or too short");
        }
    };
    inflate_to(inner_header_bytes);
    const std::uint64_t payload_bytes = get_be(inner.data() + 4, 4);
    // No count takes more than 9 bytes and no layout has more than 2^26 slots. And deflate
    // expands at most 1032:1, so a claim the compressed bytes cannot hold is refused before
    // the buffer for it is made.
    constexpr std::uint64_t max_deflate_ratio = 1032;
    if (payload_bytes > (std::uint64_t{1} << 26) * zigzag_max_bytes ||
        inner_header_bytes + payload_bytes > compressed.size() * max_deflate_ratio) {
        inflateEnd(&stream);
        throw format_error("histogram payload length " + std::to_string(payload_bytes) +
                           " is implausible for " + std::to_string(compressed.size()) +
                           " compressed bytes");
    }
    inner.resize(inner_header_bytes + payload_bytes);
    if (payload_bytes > 0) inflate_to(inner.size());
    // Read on to the end of the stream so zlib checks its Adler-32: a damaged stream that
    // still inflates to the right length is rejected too.
    std::uint8_t extra = 0;
    stream.next_out = &extra;
    stream.avail_out = 1;
    const int rc = inflate(&stream, Z_FINISH);
    const bool ended = rc == Z_STREAM_END && stream.avail_out == 1;
    inflateEnd(&stream);
    if (!ended) throw format_error("histogram zlib stream does not end where its header says");
    return inner;
}

histogram histogram_from_inner(std::span<const std::uint8_t> inner) {
    const auto cookie = static_cast<std::uint32_t>(get_be(inner.data(), 4));
    if (cookie != v2_encoding_cookie)
        throw format_error("inner cookie is not a V2 histogram encoding");
    histogram_params params;
    params.significant_digits = static_cast<std::uint32_t>(get_be(inner.data() + 12, 4));
    params.lowest_discernible_value = get_be(inner.data() + 16, 8);
    params.highest_trackable_value = get_be(inner.data() + 24, 8);
    if (const auto why = params_error(params)) throw format_error("histogram parameters: " + *why);
    // A reader bound: the layout is allocated whole for every interval read, so parameters a
    // few bytes long could otherwise cost tens of MiB per line.
    if (const std::uint32_t slots = histogram_layout(params).counts_length();
        slots > max_decoded_counts_length)
        throw format_error(
            "histogram layout of " + std::to_string(slots) + " counts (significant digits " +
            std::to_string(params.significant_digits) + ", values " +
            std::to_string(params.lowest_discernible_value) + " to " +
            std::to_string(params.highest_trackable_value) +
            ") is larger than this reader's limit of " + std::to_string(max_decoded_counts_length));

    histogram h(params);
    const std::span<const std::uint8_t> payload = inner.subspan(inner_header_bytes);
    const std::uint32_t length = h.layout().counts_length();
    std::uint64_t index = 0;
    std::uint64_t total = 0;
    for (std::size_t pos = 0; pos < payload.size();) {
        const std::int64_t value = zigzag_read(payload, pos);
        if (value < 0) {
            // A run of zero counts. `index` never passes `length`, so a run reaching past the
            // layout is refused here instead of wrapping `index` back into it, where the counts
            // after it would land on the wrong values.
            const std::uint64_t run = static_cast<std::uint64_t>(-(value + 1)) + 1;
            if (run > length - index)
                throw format_error("histogram payload has a run of zero counts past its layout");
            index += run;
            continue;
        }
        if (index >= length)
            throw format_error("histogram payload has more counts than its layout");
        // Each count is below 2^63, but their sum is the histogram's total: refused past 2^64 - 1
        // rather than wrapped (a wrapped total makes every percentile wrong).
        if (static_cast<std::uint64_t>(value) > UINT64_MAX - total)
            throw format_error("histogram counts sum past 2^64 - 1");
        total += static_cast<std::uint64_t>(value);
        if (value > 0)
            h.record_n(h.layout().value_at_index(static_cast<std::uint32_t>(index)),
                       static_cast<std::uint64_t>(value));
        ++index;
    }
    return h;
}

}  // namespace

std::vector<std::uint8_t> encode_uncompressed(const histogram& h) {
    std::vector<std::uint8_t> inner;
    inner.reserve(inner_header_bytes + 64);
    put_be(inner, v2_encoding_cookie, 4);
    put_be(inner, 0, 4);  // payload length, filled below
    put_be(inner, 0, 4);  // normalizing index offset
    put_be(inner, h.params().significant_digits, 4);
    put_be(inner, h.params().lowest_discernible_value, 8);
    put_be(inner, h.params().highest_trackable_value, 8);
    put_be(inner, std::bit_cast<std::uint64_t>(1.0), 8);
    append_payload(h, inner);
    const std::size_t payload_bytes = inner.size() - inner_header_bytes;
    for (std::size_t i = 0; i < 4; ++i)
        inner[4 + i] = static_cast<std::uint8_t>(payload_bytes >> (24 - 8 * i));
    return inner;
}

std::string encode_compressed_base64(const histogram& h) {
    const std::vector<std::uint8_t> inner = encode_uncompressed(h);
    uLongf compressed_bytes = compressBound(static_cast<uLong>(inner.size()));
    std::vector<std::uint8_t> outer(outer_header_bytes + compressed_bytes);
    const int rc = compress2(outer.data() + outer_header_bytes, &compressed_bytes, inner.data(),
                             static_cast<uLong>(inner.size()), Z_DEFAULT_COMPRESSION);
    HT_ASSERT(rc == Z_OK);  // only fails for lack of memory or a too-small buffer
    outer.resize(outer_header_bytes + compressed_bytes);
    std::vector<std::uint8_t> header;
    put_be(header, v2_compressed_cookie, 4);
    put_be(header, compressed_bytes, 4);
    std::memcpy(outer.data(), header.data(), outer_header_bytes);
    return base64_encode(outer);
}

histogram decode_compressed_base64(std::string_view text) {
    const std::vector<std::uint8_t> outer = base64_decode(text);
    if (outer.size() < outer_header_bytes)
        throw format_error("histogram encoding is shorter than its header");
    const auto cookie = static_cast<std::uint32_t>(get_be(outer.data(), 4));
    if (cookie != v2_compressed_cookie)
        throw format_error("not a V2 compressed histogram (cookie mismatch)");
    const std::uint64_t compressed_bytes = get_be(outer.data() + 4, 4);
    if (compressed_bytes > outer.size() - outer_header_bytes)
        throw format_error("histogram compressed length exceeds the data");
    const std::vector<std::uint8_t> inner =
        inflate_inner(std::span(outer).subspan(outer_header_bytes, compressed_bytes));
    return histogram_from_inner(inner);
}

}  // namespace hypertick::stats
