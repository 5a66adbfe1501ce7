#!/usr/bin/env bash
# Quick start command (1): set up the host, build the release preset, and run the main job.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$(nproc)"

echo "=== market_tick: the executor's zero-allocation example"
build/release/bin/market_tick --ticks 5000000
