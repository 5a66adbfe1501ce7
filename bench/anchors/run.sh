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
# First one pass of each contender over each file checks its books against ours
# (bench/anchors/levels.py). Then N rounds (default 5), each running every contender once over
# every file in turn, so drifts of a shared machine hit all contenders and all files alike.
# Prints per file and contender the median ns/message, the peak RSS (the file image included,
# for all alike), the ratio of its median to ours and the median of its per-round ratios to
# ours (above 1: slower than ours); then ours on each file against ours on the first file,
# as the median of the per-round ratios (what the cost of scale is, measured in one round).
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
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
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

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus; $rounds alternating rounds over every file"
declare -A exact=()
for ((f = 0; f < ${#files[@]}; f++)); do
    for ((i = 0; i < ${#names[@]}; i++)); do
        run_one "$i" "${files[$f]}" "$work/levels.$i" >/dev/null
        if [ "$i" -eq 0 ]; then exact[$f.0]="(reference)"
        else exact[$f.$i]=$(python3 "$here/levels.py" compare "$work/levels.0" "$work/levels.$i" || true); fi
        : >"$work/times.$f.$i"
        : >"$work/rss.$f.$i"
    done
done
for ((round = 1; round <= rounds; round++)); do
    for ((f = 0; f < ${#files[@]}; f++)); do
        for ((i = 0; i < ${#names[@]}; i++)); do
            read -r ns rss < <(run_one "$i" "${files[$f]}" "$work/round.dump")
            echo "$ns" >>"$work/times.$f.$i"
            echo "$rss" >>"$work/rss.$f.$i"
            echo "round $round ${files[$f]##*/} ${names[$i]}: $ns ns/message" >&2
        done
    done
done
# The median over the rounds of line-by-line ratios of two files of figures.
median_ratio() { paste "$1" "$2" | awk '{print $1 / $2}' | median; }
for ((f = 0; f < ${#files[@]}; f++)); do
    echo "== ${files[$f]}"
    ours=$(median <"$work/times.$f.0")
    printf '%-22s %12s %14s %8s %14s  %s
' contender "ns/message" "peak RSS MiB" "x ours" "x ours/round" books
    for ((i = 0; i < ${#names[@]}; i++)); do
        ns=$(median <"$work/times.$f.$i")
        rss=$(sort -g "$work/rss.$f.$i" | tail -1)
        printf '%-22s %12.2f %14.1f %8.2f %14.2f  %s
' "${names[$i]}" "$ns" \
               "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$(awk -v a="$ns" -v b="$ours" 'BEGIN {print a / b}')" \
               "$(median_ratio "$work/times.$f.$i" "$work/times.$f.0")" "${exact[$f.$i]}"
    done
done
echo "== ours on each file against ours on ${files[0]##*/} (median of per-round ratios)"
for ((f = 0; f < ${#files[@]}; f++)); do
    printf '%-40s %8.2f\n' "${files[$f]##*/}" "$(median_ratio "$work/times.$f.0" "$work/times.0.0")"
done
