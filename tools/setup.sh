#!/usr/bin/env bash
# Prepare a Debian 12 host (as root) to build, test and run hyper-tick.
# Idempotent: every step checks before it acts, and says what it did.
set -euo pipefail

say() { printf '[setup] %s\n' "$*"; }

# hdr-histogram-js into tools/hdr-js (pinned by its package-lock.json; node_modules is not
# committed). Per checkout, not per host, so non-root users get it too.
install_hdr_js() {
    local dir
    dir="$(cd "$(dirname "$0")" && pwd)/hdr-js"
    if [ -f "$dir/node_modules/hdr-histogram-js/package.json" ]; then
        say "hdr-histogram-js already installed in tools/hdr-js"
    elif ! command -v npm >/dev/null 2>&1; then
        say "npm not found: hdr-histogram-js not installed (the .hlog compatibility tests will skip)"
        return 1
    elif (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
        say "installed hdr-histogram-js into tools/hdr-js"
    else
        say "npm ci failed in tools/hdr-js (the .hlog compatibility tests will skip)"
        return 1
    fi
}

if [ "$(id -u)" -ne 0 ]; then
    install_hdr_js || true
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
    libpcap-dev                                        # DPDK's net_pcap (replay, --publish-pcap); libdpdk-dev needs it too
    clang libclang-rt-14-dev                           # libFuzzer and sanitizer runtimes
    clang-format-14                                    # tools/check_format.sh (the format ctest)
    python3                                            # dpdk-telemetry.py, test helpers
    iproute2                                           # ip netns/link: mold_server behind net_tap (gateway_recovery_net_test)
    zlib1g-dev                                         # V2 compressed histograms in .hlog latency logs
    libsystemd-dev                                     # sd_notify: the Type=notify service and its watchdog
    systemd                                            # systemd-analyze verify on deploy/ (tests/deploy)
    help2man                                           # the packages' man pages, from each --help
    lintian                                            # the .deb packages are checked (tests/deploy)
)
# Node runs hdr-histogram-js, the independent checker of our .hlog files (tests/stats). Most
# images already have a newer node than Debian's; install Debian's only when there is none.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

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
install_hdr_js
# Stale hugepage files: a DPDK process that ran without --huge-unlink (or an older build of
# ours) leaves its files in hugetlbfs, and their pages stay taken until a process with the same
# file prefix starts again. Remove only files that no running process has mapped.
if mountpoint -q /dev/hugepages 2>/dev/null; then
    # Processes may vanish while /proc is read: never let that stop the script (set -e).
    in_use=$( (cat /proc/[0-9]*/maps 2>/dev/null || true) | awk '$6 ~ "^/dev/hugepages/" {print $6}' | sort -u || true)
    freed=0
    for f in /dev/hugepages/*; do
        [ -f "$f" ] || continue
        if ! grep -qxF "$f" <<<"$in_use"; then rm -f "$f" && freed=$((freed + 1)); fi
    done
    if [ "$freed" -gt 0 ]; then
        say "removed $freed stale hugepage file(s) from /dev/hugepages (no process had them mapped)"
    fi
fi
say "done"
