#!/usr/bin/env bash
# Prepare a Debian 12 host (as root) to build, test and run hyper-tick.
# Idempotent: every step checks before it acts, and says what it did.
set -euo pipefail

say() { printf '[setup] %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
    say "not root: skipping package installation and hugepage reservation"
    say "run 'sudo tools/setup.sh' once, or install the packages listed in this script by hand"
    exit 0
fi

# Every package the project needs, with why.
packages=(
    build-essential g++ cmake pkg-config ninja-build   # toolchain
    libgtest-dev libgmock-dev                          # unit tests
    libbenchmark-dev                                   # micro-benchmarks
    libboost-dev                                       # Boost.Asio: the comparison benchmark
    dpdk dpdk-dev libdpdk-dev                          # the gateway's data plane, testpmd, telemetry
    libyaml-cpp-dev                                    # configuration
    libspdlog-dev                                      # control-plane logging
    libpcap-dev                                        # pcap reading/writing in tools and tests
    clang libclang-rt-14-dev                           # libFuzzer and sanitizer runtimes
    python3                                            # dpdk-telemetry.py, test helpers
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    say "all ${#packages[@]} packages already installed"
fi

# Hugepages: DPDK wants 2 MB pages mounted at /dev/hugepages. Reserve a modest pool; where the
# kernel refuses (a container, no permission), the gateway and tests fall back to --no-huge.
want_pages=${HYPERTICK_HUGEPAGES:-512}
nr=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
if [ -w "$nr" ]; then
    have=$(cat "$nr")
    if [ "$have" -lt "$want_pages" ]; then
        echo "$want_pages" > "$nr" 2>/dev/null || true
        say "reserved 2 MB hugepages: asked $want_pages, kernel gave $(cat "$nr") (had $have)"
    else
        say "2 MB hugepages already reserved: $have"
    fi
else
    say "cannot write $nr: hugepages not reserved (DPDK will run with --no-huge)"
fi
if ! mountpoint -q /dev/hugepages 2>/dev/null; then
    mkdir -p /dev/hugepages
    if mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null; then
        say "mounted hugetlbfs at /dev/hugepages"
    else
        say "could not mount hugetlbfs at /dev/hugepages (DPDK will run with --no-huge)"
    fi
else
    say "hugetlbfs already mounted at /dev/hugepages"
fi
say "done"
