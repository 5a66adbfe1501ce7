#!/usr/bin/env bash
# Quick start command (1): set up the host, build the release preset, and run the gateway on
# the bundled default configuration, as a newcomer would.
#
# config/feed.yaml feeds the gateway the sample ITCH 5.0 capture that the build generated
# (DPDK's net_pcap device; no NIC needed). The sample is consumed in the first second; the run
# then shows the per-second statistics, the feed going stale when nothing more arrives, and at
# exit the final top of book and the latency percentiles, then summarises the latency log with
# hdr_report.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$(nproc)"

echo
echo "=== hypertick-gw --config config/feed.yaml --duration 5"
build/release/bin/hypertick-gw --config config/feed.yaml --duration 5 \
    --latency-log build/release/quickstart-latency.hlog --snapshot build/release/quickstart-snapshot.json
echo
echo "=== hdr_report --summary build/release/quickstart-latency.hlog"
build/release/bin/hdr_report --summary build/release/quickstart-latency.hlog
