#!/usr/bin/env bash
# Quick start command (2): set up the host, build, and pass the whole test suite.
#
# Three configurations, each with its own ctest run:
#   release   every target, -O3: the suite as users run it
#   noexcept  the executor, its tests and examples with -fno-exceptions -fno-rtti
#   asan      every target under AddressSanitizer + UndefinedBehaviorSanitizer
# Set HYPERTICK_PRESETS="release" (for example) to run a subset while developing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh

jobs=$(nproc)
presets=${HYPERTICK_PRESETS:-"release noexcept asan"}
for preset in $presets; do
    echo "=== [$preset] configure + build"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" --parallel "$jobs"
    echo "=== [$preset] ctest"
    ctest --preset "$preset" --parallel "$jobs"
done
