#!/usr/bin/env bash
# ns/message against live orders: our books (and, when given, anchor drivers) over itch_gen
# files of growing symbol counts, in alternating rounds; writes a CSV and an SVG plot
# (docs/performance.md, "Books at NASDAQ scale").
#
#   bench/book_sweep.sh --out DIR [--symbols "64 256 1024 4096 8192"] [--messages M]
#                       [--rounds N] [--nasdaq-messages M] [--anchor NAME=DRIVER]... [--build DIR]
#
# Files: `itch_gen --seed 1 --symbols S --messages M` for each S (default M 3000000), and one
# `--profile nasdaq` file of --nasdaq-messages (default 6000000; 0 leaves it out). Drivers
# follow the contract of bench/anchors/run.sh. Each point is the median of N rounds (default 3);
# its x is the peak of live orders that book_replay reports for the file.
set -euo pipefail
here=$(cd "$(dirname "$0")/anchors" && pwd)
build="$here/../../build/release"
out=""
symbol_counts="64 256 1024 4096 8192"
messages=3000000
nasdaq_messages=6000000
rounds=3
names=(ours)
drivers=("")
number() { [[ "$2" =~ ^[0-9]+$ ]] || { echo "book_sweep.sh: $1: expected a number, got '$2'" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$2; shift 2 ;;
        --symbols) symbol_counts=$2; shift 2 ;;
        --messages) number "$1" "$2"; messages=$2; shift 2 ;;
        --nasdaq-messages) number "$1" "$2"; nasdaq_messages=$2; shift 2 ;;
        --rounds) number "$1" "$2"; rounds=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --anchor)
            [[ "$2" == *=* ]] || { echo "book_sweep.sh: --anchor: expected NAME=DRIVER, got '$2'" >&2; exit 2; }
            names+=("${2%%=*}"); drivers+=("${2#*=}"); shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "book_sweep.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || { echo "book_sweep.sh: --out DIR is required" >&2; exit 2; }
[ "$rounds" -ge 1 ] || { echo "book_sweep.sh: --rounds: at least 1" >&2; exit 2; }
replay="$build/bin/book_replay"
for tool in "$build/bin/itch_gen" "$replay"; do
    [ -x "$tool" ] || { echo "book_sweep.sh: $tool missing: build the release preset first" >&2; exit 2; }
done
for ((i = 1; i < ${#names[@]}; i++)); do
    [ -x "${drivers[$i]}" ] || { echo "book_sweep.sh: --anchor ${names[$i]}: ${drivers[$i]} is not an executable" >&2; exit 2; }
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/contenders.sh"

labels=()
files=()
for s in $symbol_counts; do
    number --symbols "$s"
    "$build/bin/itch_gen" --seed 1 --symbols "$s" --messages "$messages" --historical-out "$work/s$s.itch" 2>/dev/null
    labels+=("$s symbols"); files+=("$work/s$s.itch")
done
if [ "$nasdaq_messages" -gt 0 ]; then
    "$build/bin/itch_gen" --profile nasdaq --seed 1 --messages "$nasdaq_messages" --historical-out "$work/nasdaq.itch" 2>/dev/null
    labels+=("nasdaq profile"); files+=("$work/nasdaq.itch")
fi

csv="$out/book_sweep.csv"
echo "file,live_orders_peak,contender,ns_per_message" >"$csv"
for f in "${!files[@]}"; do
    file=${files[$f]}
    live=$("$replay" "$file" | sed -n 's/.*live orders (peak \([0-9]*\)).*/\1/p')
    for ((i = 0; i < ${#names[@]}; i++)); do : >"$work/times.$i"; done
    for ((round = 1; round <= rounds; round++)); do
        for ((i = 0; i < ${#names[@]}; i++)); do
            read -r ns _ < <(run_one "$i" "$file" "$work/round.dump")
            echo "$ns" >>"$work/times.$i"
        done
    done
    for ((i = 0; i < ${#names[@]}; i++)); do
        ns=$(median <"$work/times.$i")
        echo "${labels[$f]},$live,${names[$i]},$ns" | tee -a "$csv"
    done
done
python3 "$here/../plot_sweep.py" "$csv" "$out/book_sweep.svg" \
    "ns/message against peak live orders ($(lscpu | sed -n 's/^Model name: *//p'), medians of $rounds alternating rounds)"
echo "wrote $csv and $out/book_sweep.svg"
