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
#   tools/bench_gateway.sh [--seconds N] [--messages M] [--symbols S] [--build DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10
messages=1000000
symbols=200
build=build/release
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --messages) messages=$2; shift 2 ;;
        --symbols) symbols=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "bench_gateway.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
for tool in "$build/bin/itch_gen" "$build/bin/hypertick-gw" ; do
    [ -x "$tool" ] || { echo "bench_gateway.sh: $tool missing: build the release preset first" >&2; exit 1; }
done
command -v dpdk-testpmd >/dev/null || { echo "bench_gateway.sh: dpdk-testpmd missing (Debian package dpdk)" >&2; exit 1; }

work=$(mktemp -d /tmp/hypertick-bench.XXXXXX)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
capture=$work/feed.pcap
"$build/bin/itch_gen" --seed 42 --symbols "$symbols" --messages "$messages" --empty-at-end \
    --heartbeat-every 0 --end-of-session 0 --out "$capture" >/dev/null
packets=$(( $(stat -c %s "$capture") ))  # only to size the pool generously below
mbufs=$(python3 -c "import struct,sys
f=open('$capture','rb'); f.read(24); n=0
while True:
    h=f.read(16)
    if len(h)<16: break
    l=struct.unpack('<IIII',h)[2]; f.seek(l,1); n+=1
print(n)")
pool=$(( (mbufs + 8192) | 1023 ))
echo "capture: $messages messages in $mbufs datagrams, $symbols symbols ($(( packets / 1048576 )) MiB); pool $pool mbufs"

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# 1. testpmd rxonly on the same device, the same pool size, one forwarding lcore.
memflags="--no-huge -m 2048 --no-shconf"
if [ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)" -ge 512 ]; then memflags="-m 1024 --in-memory"; fi
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
  memory_mb: 2048
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
  max_symbols: 4096
  max_orders: 262144
  max_levels_per_side: 256
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
