#!/usr/bin/env bash
# Our executor against Seastar (and Boost.Asio) on executor_bench's operations, in alternating
# rounds, as one table (docs/performance.md, "Executor against Seastar").
#
#   bench/anchors/seastar/run.sh [--rounds N] [--bench EXECUTOR_BENCH] SEASTAR_CHECKOUT
#
# Builds SEASTAR_CHECKOUT's library and our harness against it (build.sh beside this script:
# niced, without the build lock), then runs N rounds (default 5). A round measures one operation
# at a time: the harness's cases of it, then executor_bench's (ours and Asio), or the other way
# round every other round, so the two sides of each ratio are taken seconds apart, not a whole
# pass apart (this VM's speed moves within minutes). Each run holds /tmp/hypertick-build.lock so
# no build runs beside it. Seastar runs with one reactor: --smp 1 --poll-mode -m 1G, and the epoll
# reactor backend (its io_uring and linux-aio backends fire 1-50 us timers tens of
# microseconds late on this VM, which measures sleeping rather than timer cost).
# Prints per operation and contender the median ns/op over the rounds and its ratio to our best
# variant of that operation (above 1: slower than ours).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=5
bench="$here/../../../build/release/bin/executor_bench"
checkout=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --bench) bench=$2; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) [ -z "$checkout" ] || { echo "run.sh: one SEASTAR_CHECKOUT only" >&2; exit 2; }
           checkout=$1; shift ;;
    esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds: expected a positive integer, got '$rounds'" >&2; exit 2; }
[ -n "$checkout" ] || { echo "run.sh: no SEASTAR_CHECKOUT given (see --help)" >&2; exit 2; }
[ -x "$bench" ] || { echo "run.sh: --bench $bench: not an executable (build the release preset)" >&2; exit 2; }

harness=$("$here/build.sh" "$checkout" | tail -1)
[ -x "$harness" ] || { echo "run.sh: build.sh did not produce the harness" >&2; exit 1; }
lock=/tmp/hypertick-build.lock
seastar_flags=(--smp 1 --poll-mode -m 1G --reactor-backend epoll)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each pass appends "contender/case ns" lines to $work/samples.
# Per operation: the harness's cases (HT_ONLY) and executor_bench's benchmarks (a filter).
groups=(
    "spawn_complete_eager,spawn_complete_queued|^(HT_Spawn/manual_time|HT_SpawnComplete|HT_SpawnEagerComplete|HT_SpawnJoinResult/[01]|Asio_CoSpawnComplete)$"
    "yield_requeue,yield_coroutine|^(HT_YieldLoop|HT_YieldPair|Asio_CoroutineYield|Asio_HandlerPostChain)$"
    "ping_pong_when,ping_pong_wait|^(HT_PingPongRoundTrip|Asio_CoroutinePingPongRoundTrip)$"
    "timer_arm_cancel|^(HT_TimerArmCancel|Asio_TimerArmCancel)$"
    "timer_arm_fire_1000|^(HT_TimerArmFire|HT_SleepLoop)$"
    "channel_1,channel_64|^HT_ChannelSendRecv/(1|64)$"
)
run_seastar() {
    HT_ONLY=$1 flock "$lock" "$harness" "${seastar_flags[@]}" 2>/dev/null |
        awk 'NF == 2 && $2 ~ /^[0-9.]+$/ { print "seastar/" $1, $2 }' >>"$work/samples"
}
run_ours() {
    flock "$lock" "$bench" --benchmark_min_time=0.3 --benchmark_filter="$1" 2>/dev/null |
        awk '/ns_per_op=/ { v = $NF; sub(/ns_per_op=/, "", v); sub(/s$/, "", v); scale = 1
                            if (v ~ /k$/) { scale = 1e3; sub(/k$/, "", v) }  # Google Benchmark prints 1.2k
                            c = ($1 ~ /^HT_/) ? "ours" : "asio"; print c "/" $1, v * scale }' >>"$work/samples"
}
for ((round = 1; round <= rounds; round++)); do
    for group in "${groups[@]}"; do
        cases=${group%%|*}
        filter=${group#*|}
        if ((round % 2)); then run_seastar "$cases"; run_ours "$filter"
        else run_ours "$filter"; run_seastar "$cases"; fi
    done
    echo "round $round of $rounds done" >&2
done

table='spawn + first poll + completion|ours/HT_SpawnEagerComplete|spawn_eager (runs inline)
spawn + first poll + completion|ours/HT_SpawnComplete|spawn (queued)
spawn + first poll + completion|seastar/spawn_complete_eager|coroutine call (eager start)
spawn + first poll + completion|seastar/spawn_complete_queued|coroutine that first yields
spawn + first poll + completion|asio/Asio_CoSpawnComplete|co_spawn
spawn alone (slot, frame, queue)|ours/HT_Spawn/manual_time|spawn, batch completed untimed
spawn + join + take_result|ours/HT_SpawnJoinResult/1|spawn_eager child (ended before the join)
spawn + join + take_result|ours/HT_SpawnJoinResult/0|spawn child (the join suspends)
yield loop|ours/HT_YieldLoop|yield_now
yield loop|ours/HT_YieldPair|yield_now, two tasks in turn (every re-queue through the ring)
yield loop|seastar/yield_requeue|task re-schedules itself
yield loop|seastar/yield_coroutine|co_await seastar::yield()
yield loop|asio/Asio_CoroutineYield|co_await post()
yield loop|asio/Asio_HandlerPostChain|plain handler post chain (no coroutine)
ping-pong round trip|ours/HT_PingPongRoundTrip|notify
ping-pong round trip|seastar/ping_pong_when|condition_variable::when()
ping-pong round trip|seastar/ping_pong_wait|condition_variable::wait()
ping-pong round trip|asio/Asio_CoroutinePingPongRoundTrip|steady_timer cancel
timer arm + cancel|ours/HT_TimerArmCancel|timer wheel
timer arm + cancel|seastar/timer_arm_cancel|seastar::timer<>
timer arm + cancel|asio/Asio_TimerArmCancel|steady_timer
timer arm + fire + resume, 1000 sleepers|ours/HT_TimerArmFire|sleep_for, virtual clock
timer arm + fire + resume, 1000 sleepers|seastar/timer_arm_fire_1000|seastar::sleep, steady clock
sleep loop, one task|ours/HT_SleepLoop|sleep_for(1us): two turns and a clock jump
channel send -> recv, capacity 1|ours/HT_ChannelSendRecv/1|channel
channel send -> recv, capacity 1|seastar/channel_1|seastar::queue
channel send -> recv, capacity 64|ours/HT_ChannelSendRecv/64|channel
channel send -> recv, capacity 64|seastar/channel_64|seastar::queue'

median_of() {
    awk -v k="$1" '$1 == k { print $2 }' "$work/samples" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
                                  else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus; Seastar $(git -C "$checkout" rev-parse --short HEAD 2>/dev/null || echo '?') (${seastar_flags[*]}); $rounds rounds, each operation's contenders run one after the other"
printf '| %s | %s | %s | %s | %s |\n' operation contender case "median ns/op" "x ours"
printf '| --- | --- | --- | --- | --- |\n'
declare -A best=()
while IFS='|' read -r operation key _; do
    [[ "$key" == ours/* ]] || continue
    m=$(median_of "$key")
    [ "$m" = "-" ] && continue
    if [ -z "${best[$operation]:-}" ] || awk -v a="$m" -v b="${best[$operation]}" 'BEGIN { exit !(a < b) }'; then
        best[$operation]=$m
    fi
done <<<"$table"
while IFS='|' read -r operation key what; do
    m=$(median_of "$key")
    ratio="-"
    if [ "$m" != "-" ] && [ -n "${best[$operation]:-}" ]; then
        ratio=$(awk -v a="$m" -v b="${best[$operation]}" 'BEGIN { printf "%.2f", a / b }')
    fi
    [ "$m" = "-" ] || m=$(awk -v a="$m" 'BEGIN { printf "%.1f", a }')
    printf '| %s | %s | %s | %s | %s |\n' "$operation" "${key%%/*}" "$what" "$m" "$ratio"
done <<<"$table"
