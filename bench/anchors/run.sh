#!/usr/bin/env bash
# Our books against other order-book implementations ("anchors") on the same NASDAQ historical
# files, in alternating rounds (docs/performance.md, "Books at NASDAQ scale").
#
#   bench/anchors/run.sh [--rounds N] [--replay BOOK_REPLAY] [--anchor NAME=DRIVER]... FILE...
#
# FILE: NASDAQ historical ITCH files (itch_gen --historical-out). Each anchor is a driver
# program built outside this repository from a checkout of that project; this script never
# builds or fetches other projects' code. A driver is called as `DRIVER FILE DUMP`: it loads
# FILE into memory, times its own parse and book update over every message, prints
# "ns_per_message X" and "peak_rss_kib Y" lines, then writes its books to DUMP one level per
# line, "locate side price shares orders" (orders "-" if it keeps no counts).
#
# Per file: one pass of each contender checks its books against ours (bench/anchors/levels.py);
# then N rounds (default 5), each running every contender once in turn, so drifts of a shared
# machine hit all alike. Prints per contender the median ns/message, the peak RSS (the file
# image included, for all alike) and the ratio of its time to ours (above 1: slower than ours).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=5
replay="$here/../../build/release/bin/book_replay"
names=(ours)
drivers=("")
files=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --replay) replay=$2; shift 2 ;;
        --anchor)
            [[ "$2" == *=* ]] || { echo "run.sh: --anchor: expected NAME=DRIVER, got '$2'" >&2; exit 2; }
            names+=("${2%%=*}"); drivers+=("${2#*=}"); shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) files+=("$1"); shift ;;
    esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds: expected a positive integer, got '$rounds'" >&2; exit 2; }
[ ${#files[@]} -gt 0 ] || { echo "run.sh: no FILE given (see --help)" >&2; exit 2; }
[ -x "$replay" ] || { echo "run.sh: --replay $replay: not an executable (build the release preset)" >&2; exit 2; }
for ((i = 1; i < ${#names[@]}; i++)); do
    [ -x "${drivers[$i]}" ] || { echo "run.sh: --anchor ${names[$i]}: ${drivers[$i]} is not an executable" >&2; exit 2; }
done
for file in "${files[@]}"; do
    [ -f "$file" ] || { echo "run.sh: $file: not a file" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source "$here/contenders.sh"

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus; $rounds alternating rounds"
for file in "${files[@]}"; do
    echo "== $file"
    declare -A exact=()
    for ((i = 0; i < ${#names[@]}; i++)); do
        run_one "$i" "$file" "$work/levels.$i" >/dev/null
        if [ "$i" -eq 0 ]; then exact[0]="(reference)"
        else exact[$i]=$(python3 "$here/levels.py" compare "$work/levels.0" "$work/levels.$i" || true); fi
    done
    for ((i = 0; i < ${#names[@]}; i++)); do : >"$work/times.$i"; : >"$work/rss.$i"; done
    for ((round = 1; round <= rounds; round++)); do
        for ((i = 0; i < ${#names[@]}; i++)); do
            read -r ns rss < <(run_one "$i" "$file" "$work/round.dump")
            echo "$ns" >>"$work/times.$i"
            echo "$rss" >>"$work/rss.$i"
            echo "round $round ${names[$i]}: $ns ns/message" >&2
        done
    done
    ours=$(median <"$work/times.0")
    printf '%-22s %14s %14s %12s  %s\n' contender "ns/message" "peak RSS MiB" "x ours" books
    for ((i = 0; i < ${#names[@]}; i++)); do
        ns=$(median <"$work/times.$i")
        rss=$(sort -g "$work/rss.$i" | tail -1)
        printf '%-22s %14.2f %14.1f %12.2f  %s\n' "${names[$i]}" "$ns" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" \
               "$(awk -v a="$ns" -v b="$ours" 'BEGIN {print a / b}')" "${exact[$i]}"
    done
    unset exact
done
