# Sourced by bench/anchors/run.sh and bench/book_sweep.sh: one timed pass of a contender and
# medians. Expects $replay (book_replay), the arrays names/drivers (index 0: ours), $work and $here.

# One timed pass of contender $1 over file $2: prints "ns rss_kib", writes the dump to $3.
run_one() {
    local i=$1 file=$2 dump=$3 out
    if [ "$i" -eq 0 ]; then
        out=$("$replay" "$file" --snapshot "$work/ours.json")
        python3 "$here/levels.py" from-snapshot "$work/ours.json" "$dump"
        echo "$(sed -n 's/.*median of 1 runs: \([0-9.]*\) ns\/message.*/\1/p' <<<"$out")" \
             "$(sed -n 's/^memory: VmHWM \([0-9.]*\) MiB.*/\1/p' <<<"$out" | awk '{printf "%d", $1 * 1024}')"
    else
        out=$("${drivers[$i]}" "$file" "$dump")
        echo "$(sed -n 's/^ns_per_message \([0-9.]*\)$/\1/p' <<<"$out")" "$(sed -n 's/^peak_rss_kib \([0-9]*\)$/\1/p' <<<"$out")"
    fi
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
