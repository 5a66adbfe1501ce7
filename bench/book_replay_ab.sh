#!/usr/bin/env bash
# Two book_replay binaries on one file in alternating rounds: the loop docs/performance.md
# uses to measure each step against the binary before it.
#
#   bench/book_replay_ab.sh ROUNDS FILE BINARY_A BINARY_B [book_replay options...]
#
# Each round runs A then B once with the same options (e.g. --runs 3) and keeps the median
# ns/message each prints; at the end it prints, per binary, the median over the rounds and
# every round's figure. Run it under the build lock so no build shares the machine:
#   flock /tmp/hypertick-build.lock bench/book_replay_ab.sh 5 nasdaq6m.itch OLD NEW --runs 3
set -euo pipefail

if [[ $# -lt 4 || ! $1 =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 ROUNDS FILE BINARY_A BINARY_B [book_replay options...]" >&2
    exit 2
fi
rounds=$1 file=$2 a=$3 b=$4
shift 4
for binary in "$a" "$b"; do
    if [[ ! -x $binary ]]; then
        echo "$0: $binary: not an executable" >&2
        exit 2
    fi
done
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for _ in $(seq "$rounds"); do
    for which in A B; do
        binary=$a
        [[ $which == B ]] && binary=$b
        ns=$("$binary" "$file" "$@" | sed -n 's/.*median of [0-9]* runs: \([0-9.]*\) ns\/message.*/\1/p')
        if [[ -z $ns ]]; then
            echo "$0: $binary $file printed no median" >&2
            exit 1
        fi
        echo "$which $ns" >>"$results"
    done
done
for which in A B; do
    figures=$(awk -v w="$which" '$1 == w { print $2 }' "$results")
    median=$(sort -g <<<"$figures" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    echo "$which median $median  ($(tr '\n' ' ' <<<"$figures"))"
done
