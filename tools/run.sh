#!/usr/bin/env bash
# Quick start command (1): set up the host, build the release preset, and run the gateway on
# the bundled default configuration, as a newcomer would.
#
# config/feed.yaml feeds the gateway the sample ITCH 5.0 capture that the build generated (no
# NIC needed), paced at 1,000,000 ITCH messages per second (--pace 1m: a pacer thread feeds the
# worker through a net_ring port the way a line would), so the latency percentiles printed at
# exit are what the gateway costs one message. The sample lasts 0.4 s at that rate; the run
# stops at the end of the replay and prints the final counters, top of book, the pacer's
# accuracy and the latency percentiles, then summarises the latency log with hdr_report.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$(nproc)"

echo
echo "=== hypertick-gw --config config/feed.yaml --replay SAMPLE --pace 1m"
echo "    (--pace max, as fast as the device reads, would show the wait of a message behind up to"
echo "     1,279 others in saturated 32-datagram bursts: queueing, not the cost of a message)"
build/release/bin/hypertick-gw --config config/feed.yaml --replay build/release/share/hypertick/sample.pcap \
    --pace 1m --duration 30 \
    --latency-log build/release/quickstart-latency.hlog --snapshot build/release/quickstart-snapshot.json
echo
echo "=== hdr_report --summary build/release/quickstart-latency.hlog"
build/release/bin/hdr_report --summary build/release/quickstart-latency.hlog
