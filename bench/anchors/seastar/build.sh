#!/usr/bin/env bash
# Builds a Seastar checkout's library (release mode, no tests, apps, demos or docs) and our
# Seastar harness (bench/anchors/seastar/seastar_bench.cpp) against it, for the side-by-side
# executor run (bench/anchors/seastar/run.sh, docs/performance.md "Executor against Seastar").
#
#   bench/anchors/seastar/build.sh SEASTAR_CHECKOUT
#
# Never run by the default build or CI. Seastar's build dependencies are Debian 12 packages
# installed here, and only when one is missing (tools/setup.sh does not carry them). Both
# compilations run under `nice -n 19` with two jobs: they take long and must not starve other
# builds on the machine. The library lands in SEASTAR_CHECKOUT/build/hypertick, the harness in
# SEASTAR_CHECKOUT/build/hypertick/seastar_bench; prints that path last.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "build.sh: expected one argument, the Seastar checkout (see --help)" >&2; exit 2; }
case "$1" in -h|--help) sed -n '2,12p' "$0"; exit 0 ;; esac
checkout=$(cd "$1" 2>/dev/null && pwd) || { echo "build.sh: $1: not a folder" >&2; exit 2; }
[ -f "$checkout/include/seastar/core/reactor.hh" ] ||
    { echo "build.sh: $checkout: not a Seastar checkout (no include/seastar/core/reactor.hh)" >&2; exit 2; }

# The packages Seastar's CMake looks for with its library alone (cmake/SeastarDependencies.cmake),
# plus the two whose .so links only the static link of the harness needs (libunistring, libudev).
packages=(cmake ninja-build g++ pkg-config python3 ragel valgrind systemtap-sdt-dev
          libboost-filesystem-dev libboost-program-options-dev libboost-thread-dev libboost-test-dev
          libc-ares-dev libfmt-dev liblz4-dev libgnutls28-dev libsctp-dev libyaml-cpp-dev
          libprotobuf-dev protobuf-compiler libhwloc-dev libnuma-dev liburing-dev xfslibs-dev
          libunistring-dev libudev-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "build.sh: installing ${missing[*]}" >&2
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Seastar's own "release" mode is CMake's RelWithDebInfo (-O2 plus its per-mode flags); the
# debug information is left out only to shorten the build, the code is the same.
build="$checkout/build/hypertick"
nice -n 19 cmake -S "$checkout" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" \
    -DCMAKE_CXX_STANDARD=20 -DSeastar_TESTING=OFF -DSeastar_APPS=OFF -DSeastar_DEMOS=OFF \
    -DSeastar_DOCS=OFF -DSeastar_DPDK=OFF -DSeastar_INSTALL=ON >&2
nice -n 19 ninja -C "$build" -j 2 seastar >&2

# The harness: one translation unit, flags and libraries from the build tree's seastar.pc.
[ -f "$build/seastar.pc" ] || { echo "build.sh: $build/seastar.pc missing after the build" >&2; exit 1; }
# shellcheck disable=SC2046
nice -n 19 g++ -O2 -DNDEBUG -o "$build/seastar_bench" "$here/seastar_bench.cpp" \
    $(pkg-config --cflags "$build/seastar.pc") $(pkg-config --libs --static "$build/seastar.pc") >&2
echo "$build/seastar_bench"
