#!/usr/bin/env bash
# Builds the anchor drivers that bench/anchors/run.sh runs, from checkouts of the anchors that
# live outside this repository (nothing of theirs is committed here):
#
#   bench/anchors/drivers/build.sh ANCHORS_DIR [OUT_DIR]
#
# ANCHORS_DIR holds itch-book and fixed-decimal (groovg), itch-order-book (charles-cooper),
# CppTrader and CppCommon (chronoxor), e.g. from `git archive HEAD` of each project. OUT_DIR
# (default ANCHORS_DIR/drivers) receives groovg_driver, cc_driver and cpptrader_driver.
# CppTrader's benchmark market manager is compiled from its own source file, copied into
# OUT_DIR at build time without its main() and with its members opened for the book dump.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
A=${1:?usage: build.sh ANCHORS_DIR [OUT_DIR]}
out=${2:-$A/drivers}
mkdir -p "$out"
g++ -O3 -std=c++2b -DNDEBUG -I"$A/itch-book/include" -I"$A/fixed-decimal/cpp/include" "$here/groovg_driver.cpp" -o "$out/groovg_driver"
g++ -O3 -std=c++17 -DNDEBUG -I"$A/itch-order-book" "$here/cc_driver.cpp" -o "$out/cc_driver"
{ echo '#include <cstdint>'; echo '#include <iostream>'; echo '#include <vector>';
  sed -n 1,403p "$A/CppTrader/performance/market_manager_optimized_aggressive.cpp" |
  grep -v 'benchmark/reporter_console.h\|filesystem/file.h\|system/stream.h\|time/timestamp.h\|OptionParser.h' |
  sed 's/^private:/public:/'; } > "$out/cpptrader_aggressive_stripped.inc"
g++ -O3 -std=c++20 -DNDEBUG -I"$out" -I"$A/CppTrader/include" -I"$A/CppCommon/include" "$here/cpptrader_driver.cpp" \
    "$A/CppTrader/source/trader/providers/nasdaq/itch_handler.cpp" -o "$out/cpptrader_driver"
echo "built $out/groovg_driver $out/cc_driver $out/cpptrader_driver"
