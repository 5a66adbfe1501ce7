#!/usr/bin/env bash
# Whole-system throughput of one worker lcore (docs/performance.md, "Gateway throughput").
#
# Generates a capture whose books are empty at its end, then on the same net_pcap device with
# infinite_rx=1 (the whole capture in mbufs, replayed forever) runs, one after the other:
#   1. dpdk-testpmd --forward-mode=rxonly: the driver's own ceiling (receive and free, nothing else);
#   2. hypertick-gw --replay --loop --restart-sequence: decode, sequencing, books, BBO detection,
#      publishing (to net_null) and latency recording for every message.
# It prints the median of the per-second rates of each and their ratio.
#
#   tools/bench_gateway.sh [--seconds N] [--build DIR] [--memory-mb MB]
#       [--profile basic|nasdaq] [--messages M] [--symbols S] | [--capture FILE.pcap]
#       [--max-symbols N] [--max-orders N] [--max-levels N]
#
# The capture is generated (itch_gen --seed 42 --empty-at-end with --profile, --messages and
# --symbols; defaults basic, 1,000,000 and 200) unless --capture names one; a given capture must
# leave every book empty at its end (itch_gen --empty-at-end), because it is replayed in a loop.
# --max-* set the gateway's book capacities (books.max_symbols, max_orders, max_levels_per_side;
# defaults 4096, 262144, 256); --memory-mb is EAL's memory, on 2 MB hugepages when that many are
# free, else on ordinary pages (default: 1024 on hugepages when 512 are free, else 2048 on
# ordinary pages, whose mempools need more room).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10
messages=1000000
symbols=""
profile=basic
capture=""
build=build/release
memory_mb=""
max_symbols=4096
max_orders=262144
max_levels=256
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || { echo "bench_gateway.sh: $1 needs a value" >&2; exit 2; }
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --messages) messages=$2; shift 2 ;;
        --symbols) symbols=$2; shift 2 ;;
        --profile) profile=$2; shift 2 ;;
        --capture) capture=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --memory-mb) memory_mb=$2; shift 2 ;;
        --max-symbols) max_symbols=$2; shift 2 ;;
        --max-orders) max_orders=$2; shift 2 ;;
        --max-levels) max_levels=$2; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "bench_gateway.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$memory_mb" ]; then
    memory_mb=2048
    [ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)" -ge 512 ] && memory_mb=1024
fi
for pair in "seconds=$seconds" "messages=$messages" "memory-mb=$memory_mb" "max-symbols=$max_symbols" \
            "max-orders=$max_orders" "max-levels=$max_levels" ${symbols:+"symbols=$symbols"}; do
    [[ "${pair#*=}" =~ ^[1-9][0-9]*$ ]] || { echo "bench_gateway.sh: --${pair%%=*}: expected a positive integer, got '${pair#*=}'" >&2; exit 2; }
done
[[ "$profile" == basic || "$profile" == nasdaq ]] || { echo "bench_gateway.sh: --profile: expected basic or nasdaq, got '$profile'" >&2; exit 2; }
if [ -n "$capture" ]; then
    [ -f "$capture" ] && [ -r "$capture" ] || { echo "bench_gateway.sh: --capture $capture: not a readable file" >&2; exit 2; }
    capture=$(realpath "$capture")
fi
for tool in "$build/bin/itch_gen" "$build/bin/hypertick-gw" ; do
    [ -x "$tool" ] || { echo "bench_gateway.sh: $tool missing: build the release preset first" >&2; exit 1; }
done
command -v dpdk-testpmd >/dev/null || { echo "bench_gateway.sh: dpdk-testpmd missing (Debian package dpdk)" >&2; exit 1; }

work=$(mktemp -d /tmp/hypertick-bench.XXXXXX)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
if [ -z "$capture" ]; then
    capture=$work/feed.pcap
    [ -n "$symbols" ] || [ "$profile" != basic ] || symbols=200
    "$build/bin/itch_gen" --profile "$profile" --seed 42 ${symbols:+--symbols "$symbols"} --messages "$messages" \
        --empty-at-end --heartbeat-every 0 --end-of-session 0 --out "$capture" >/dev/null
    source_text="$profile profile, $messages messages${symbols:+, $symbols symbols}"
else
    source_text="$capture"
fi
packets=$(( $(stat -c %s "$capture") ))  # only to size the pool generously below
mbufs=$(python3 -c "import struct,sys
f=open('$capture','rb'); f.read(24); n=0
while True:
    h=f.read(16)
    if len(h)<16: break
    l=struct.unpack('<IIII',h)[2]; f.seek(l,1); n+=1
print(n)")
pool=$(( (mbufs + 8192) | 1023 ))
echo "capture: $source_text: $mbufs datagrams ($(( packets / 1048576 )) MiB); pool $pool mbufs"

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# 1. testpmd rxonly on the same device, the same pool size, one forwarding lcore.
memflags="--no-huge -m $memory_mb --no-shconf"
if [ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)" -ge $(( memory_mb / 2 )) ]; then
    memflags="-m $memory_mb --in-memory"
fi
timeout $((seconds + 20)) dpdk-testpmd --no-pci $memflags --file-prefix htbench_pmd --log-level=warning \
    --vdev "net_pcap_bench0,rx_pcap=$capture,infinite_rx=1" -l 0-1 -- \
    --forward-mode=rxonly --total-num-mbufs="$pool" --stats-period 1 -a --no-lsc-interrupt \
    > "$work/testpmd.log" 2>&1 < /dev/null &
pmd=$!
sleep $((seconds + 3))
kill -INT $pmd 2>/dev/null || true
wait $pmd 2>/dev/null || true
pmd_pps=$(grep -E "Rx-pps:" "$work/testpmd.log" | awk '{print $2}' | awk '$1 > 0' | tail -n +2 | median)

# 2. the gateway: one worker lcore, everything on.
cat > "$work/gw.yaml" <<YAML
eal:
  lcores: "0@0,1@1"
  main_lcore: 0
  hugepages: auto
  memory_mb: $memory_mb
  file_prefix: htbench_gw
  log_level: warning
ports:
  - name: feed0
    device: "net_null_bench_in"
    mempool_mbufs: $pool
    mempool_cache: 256
  - name: pub0
    device: "net_null_bench_out"
    mempool_mbufs: 1023
    mempool_cache: 64
feeds:
  - name: bench
    port: feed0
    lcore: 1
books:
  max_symbols: $max_symbols
  max_orders: $max_orders
  max_levels_per_side: $max_levels
publisher:
  port: pub0
timers:
  stats_interval_ms: 1000
YAML
"$build/bin/hypertick-gw" --config "$work/gw.yaml" --replay "$capture" --loop --restart-sequence \
    --duration "$seconds" > "$work/gw.log" 2>&1
# The per-second line: "rx_packets TOTAL (RATE/s) | ... | messages TOTAL (RATE/s) | ...".
grep -E " rx_packets [0-9]+ \(" "$work/gw.log" |
    sed -E 's/.* rx_packets [0-9]+ \(([0-9]+)\/s\).* messages [0-9]+ \(([0-9]+)\/s\).*/\1 \2/' > "$work/rates"
gw_pps=$(awk '$1 > 0 {print $1}' "$work/rates" | tail -n +2 | head -n -1 | median)
gw_mps=$(awk '$1 > 0 {print $2}' "$work/rates" | tail -n +2 | head -n -1 | median)

awk -v p="$pmd_pps" -v g="$gw_pps" -v m="$gw_mps" 'BEGIN {
    printf "dpdk-testpmd rxonly:   %.2f M datagrams/s (median of per-second rates)\n", p / 1e6
    printf "hypertick-gw:          %.2f M datagrams/s, %.2f M ITCH messages/s (%.1f messages per datagram)\n", g / 1e6, m / 1e6, (g > 0 ? m / g : 0)
    printf "ratio gateway/testpmd: %.3f (datagrams/s)\n", (p > 0 ? g / p : 0)
}'
grep -E "heap calls|Latency|rx_to|task_poll|stall" "$work/gw.log" | tail -5 || true
