// The market simulation: a stock directory, system events, and per-symbol random-walk books
// whose orders are added, mostly cancelled, executed, partially cancelled and replaced. The
// true books are kept here only to choose prices that never cross; the expected output is
// computed separately by receiver_model.cpp from what a receiver actually gets.
#pragma once

#include "message_stream.hpp"
#include "options.hpp"

namespace itch_gen {

// Exactly options.messages messages, deterministic for options.seed.
message_stream generate_market(const generator_options& options);

}  // namespace itch_gen
