// The day-like activity of `--profile nasdaq`: which symbols are busy, how many orders each keeps
// resting, and the mix of message types. The numbers and where they come from are in
// docs/protocol.md ("The nasdaq profile").
#pragma once

#include <cstdint>

namespace itch_gen::nasdaq {

constexpr uint32_t default_symbols = 8192;
constexpr uint64_t default_messages = 12'000'000;

// A few hundred names carry most of the day: this share of messages goes to the hot symbols
// (the lowest locates), the rest is spread over the whole directory.
constexpr uint32_t hot_symbols = 300;
constexpr uint32_t hot_share_per_million = 800'000;

// Resting orders a symbol drifts towards: deep books for the hot names, a few dozen for most
// others and one or two for every sixteenth (thin names whose books empty and refill).
constexpr uint32_t live_target(uint32_t symbol_index) {
    if (symbol_index < hot_symbols) return 2000;
    if (symbol_index % 16 == 0) return 2;
    return 10 + (symbol_index % 16) * 10;
}
// Chance per message that the symbol's mid moves a tick. Hot symbols see so many messages
// that they move per message less, or their mids would wander far from their resting orders.
constexpr uint32_t walk_per_million(uint32_t symbol_index) {
    return symbol_index < hot_symbols ? 2'000 : 30'000;
}

// Above twice its target a symbol adds nothing.
constexpr uint32_t live_cap(uint32_t symbol_index) {
    return 2 * live_target(symbol_index);
}

// Probability that a message for a symbol is an add: below its target the book fills (the
// morning build-up), at or above it adds fall slightly short of the orders that leave, so
// books hover at their targets.
constexpr uint32_t add_below_target_per_million = 700'000;
constexpr uint32_t add_at_target_per_million = 430'000;
// Adds with MPID attribution ('F') among all adds.
constexpr uint32_t attributed_add_per_million = 10'000;

// What a message is when it is not an add, cumulative parts per 10,000.
enum class profile_action {
    delete_order,
    replace,
    execute,
    execute_with_price,
    cancel_part,
    cancel_all,
    hidden_trade,
    other
};
struct action_rate {
    profile_action action;
    uint32_t cumulative;
};
constexpr action_rate action_rates[] = {
    {profile_action::delete_order, 7500},        //
    {profile_action::replace, 9000},             //
    {profile_action::execute, 9450},             // 'E': half of them take the whole order
    {profile_action::execute_with_price, 9470},  // 'C'
    {profile_action::cancel_part, 9720},         // 'X' leaving shares
    {profile_action::cancel_all, 9770},          // 'X' of every remaining share: the order leaves
    {profile_action::hidden_trade, 9880},        // 'P' against a non-displayed order
    {profile_action::other, 10000},              // the other trade, auction and status types
};
constexpr uint32_t action_scale = 10000;

constexpr profile_action action_for(uint32_t roll) {
    for (const action_rate& rate : action_rates) {
        if (roll < rate.cumulative) return rate.action;
    }
    return profile_action::other;
}

}  // namespace itch_gen::nasdaq
