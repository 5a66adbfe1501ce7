#!/usr/bin/env bash
# Latency against offered load (docs/performance.md, "Latency against load").
#
# Replays one capture through hypertick-gw at a series of paced rates (--pace RATE: a pacer on
# the main lcore's CPU feeds the worker through a net_ring port, datagrams spaced evenly) and
# once at max, records p50/p99/p99.9 of rx_to_book and rx_to_bbo_tx at each, and writes a
# Markdown table and an SVG plot (log-log) of latency against offered load.
#
#   tools/latency_curve.sh [--capture FILE] [--rates "0.1m 0.5m 1m 2m 5m 10m 20m"]
#                          [--out DIR] [--build DIR] [--config FILE]
#
# The default capture is the sample the build generates (400,000 messages). Writes
# DIR/latency_curve.md and DIR/latency_curve.svg (default DIR: build/release/latency-curve).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/release
capture=""
rates="0.1m 0.5m 1m 2m 5m 10m 20m"
out=""
config=config/feed.yaml
while [ $# -gt 0 ]; do
    case "$1" in
        --capture) capture=$2; shift 2 ;;
        --rates) rates=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --config) config=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "latency_curve.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$capture" ] || capture=$build/share/hypertick/sample.pcap
[ -n "$out" ] || out=$build/latency-curve
[ -x "$build/bin/hypertick-gw" ] || { echo "latency_curve.sh: $build/bin/hypertick-gw missing: build the release preset first" >&2; exit 1; }
[ -f "$capture" ] || { echo "latency_curve.sh: no capture $capture" >&2; exit 1; }
mkdir -p "$out"
rows=$out/rows.txt
: > "$rows"

for pace in $rates max; do
    log=$out/run-$pace.log
    "$build/bin/hypertick-gw" --config "$config" --replay "$capture" --pace "$pace" > "$log" 2>&1 || {
        echo "latency_curve.sh: the run at --pace $pace failed: see $log" >&2; exit 1; }
    # offered and achieved rates from the pacer's report (max: the replay's own rate)
    read -r offered achieved late99 < <(awk '/paced replay: .* datagrams/ {
        for (i = 1; i <= NF; ++i) { if ($i == "achieved,") a = $(i-2); if ($i == "offered;") o = $(i-1); if ($i == "p99") l = $(i+1) }
        print o, a, l; found = 1 } END { if (!found) print "max", "max", "-" }' "$log")
    book=$(awk '$1 == "rx_to_book" {print $3, $4, $5}' "$log")
    tx=$(awk '$1 == "rx_to_bbo_tx" {print $3, $4, $5}' "$log")
    echo "$pace $offered $achieved $late99 $book $tx" >> "$rows"
    echo "pace $pace: offered $offered msg/s, achieved $achieved, rx_to_book p50/p99/p99.9 $book ns, rx_to_bbo_tx $tx ns"
done

python3 - "$rows" "$out" <<'PY'
import math, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
out = sys.argv[2]
md = ["| --pace | offered (msg/s) | achieved (msg/s) | pacer late p99 (ns) | rx_to_book p50 / p99 / p99.9 (ns) | rx_to_bbo_tx p50 / p99 / p99.9 (ns) |",
      "| --- | --- | --- | --- | --- | --- |"]
for r in rows:
    md.append(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} / {r[5]} / {r[6]} | {r[7]} / {r[8]} / {r[9]} |")
open(out + "/latency_curve.md", "w").write("\n".join(md) + "\n")

# SVG: x = achieved message rate (log), y = latency ns (log); the max run is placed at its
# achieved rate when known, else right of the others.
points = []
for r in rows:
    try:
        x = float(r[2])
    except ValueError:
        continue
    points.append((x, [float(v) for v in r[4:10]]))
points.sort()
if not points:
    sys.exit(0)
W, H, L, B, T, R = 760, 460, 80, 60, 30, 170
xs = [p[0] for p in points]
ys = [v for p in points for v in p[1] if v > 0]
x0, x1 = math.log10(min(xs)) - 0.1, math.log10(max(xs)) + 0.1
y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
def px(x): return L + (math.log10(x) - x0) / (x1 - x0) * (W - L - R)
def py(y): return H - B - (math.log10(max(y, 1)) - y0) / (y1 - y0) * (H - B - T)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="18" font-size="14">hypertick-gw latency against load (one worker lcore, paced replay)</text>']
for e in range(int(y0), int(y1) + 1):
    y = py(10 ** e)
    svg.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W-R}" y2="{y:.1f}" stroke="#ddd"/>')
    svg.append(f'<text x="{L-8}" y="{y+4:.1f}" text-anchor="end">{10**e:,} ns</text>')
for x in xs:
    svg.append(f'<line x1="{px(x):.1f}" y1="{T}" x2="{px(x):.1f}" y2="{H-B}" stroke="#eee"/>')
    svg.append(f'<text x="{px(x):.1f}" y="{H-B+16}" text-anchor="middle">{x/1e6:.2g}M</text>')
svg.append(f'<text x="{(L+W-R)/2:.0f}" y="{H-18}" text-anchor="middle">achieved ITCH messages per second (log)</text>')
series = [("rx_to_bbo_tx p50", 3, "#1f77b4", ""), ("rx_to_bbo_tx p99", 4, "#1f77b4", "6,3"),
          ("rx_to_bbo_tx p99.9", 5, "#1f77b4", "2,3"), ("rx_to_book p50", 0, "#d62728", ""),
          ("rx_to_book p99", 1, "#d62728", "6,3"), ("rx_to_book p99.9", 2, "#d62728", "2,3")]
for i, (name, k, color, dash) in enumerate(series):
    pts = " ".join(f"{px(x):.1f},{py(v[k]):.1f}" for x, v in points)
    svg.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>')
    ly = T + 16 * i + 10
    svg.append(f'<line x1="{W-R+10}" y1="{ly}" x2="{W-R+40}" y2="{ly}" stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>')
    svg.append(f'<text x="{W-R+46}" y="{ly+4}">{name}</text>')
svg.append("</svg>")
open(out + "/latency_curve.svg", "w").write("\n".join(svg) + "\n")
PY
echo "wrote $out/latency_curve.md and $out/latency_curve.svg"
