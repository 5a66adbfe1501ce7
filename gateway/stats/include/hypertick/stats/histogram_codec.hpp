// HdrHistogram's V2 compressed encoding, as the interval log and every HdrHistogram library
// read it:
//
//   base64( int32 0x1c849314, int32 n, zlib stream of n bytes (with zlib header) )
//   zlib stream inflates to: int32 0x1c849313, int32 payload length, int32 normalizing index
//   offset (0), int32 significant digits, int64 lowest discernible value, int64 highest
//   trackable value, float64 integer-to-double conversion ratio (1.0), then the payload:
//   counts[0 .. last non-zero] as ZigZag LEB128, a run of k > 1 zero counts written as -k.
//
// All integers big-endian. Decoding ignores the normalizing offset and the conversion ratio,
// which are meaningless for integer histograms and which some writers fill with other values
// (hdr-histogram-js writes 1 and a raw int64 1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hypertick/stats/histogram.hpp"

namespace hypertick::stats {

inline constexpr std::uint32_t v2_compressed_cookie = 0x1c849314;
// The largest layout the decoder builds (32 MiB of counts): 3 significant digits reach past
// 2^62 with 105,472 counts, 5 digits reach about 2^48 within it.
inline constexpr std::uint32_t max_decoded_counts_length = std::uint32_t{1} << 22;
inline constexpr std::uint32_t v2_encoding_cookie = 0x1c849313;

// The uncompressed inner form (header + payload).
std::vector<std::uint8_t> encode_uncompressed(const histogram& h);
// The base64 text of the compressed form: always starts "HISTFAAA".
std::string encode_compressed_base64(const histogram& h);
// Throws format_error saying what is wrong (bad base64, cookie, zlib stream, parameters or
// payload). The histogram gets the parameters written in the encoding.
histogram decode_compressed_base64(std::string_view text);

}  // namespace hypertick::stats
