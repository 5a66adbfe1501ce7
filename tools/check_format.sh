#!/usr/bin/env bash
# Checks that every C++ source of ours is formatted as .clang-format says, with clang-format 14
# (Debian 12's, package clang-format-14 or clang; tools/setup.sh installs it).
#
#   tools/check_format.sh [ROOT]         list each file that differs; exit 1 if any does
#   tools/check_format.sh --fix [ROOT]   reformat those files in place, naming each
#
# ROOT is the repository (default: this script's parent). In a git checkout the files are the
# tracked *.cpp/*.hpp/*.h, otherwise every such file under ROOT outside build/. No third-party
# source lives in the tree; one added later goes in `excluded` below.
# Exit status: 0 formatted (or fixed), 1 some file differs, 2 bad usage, 77 no clang-format 14
# (ctest reports the check as skipped).
set -euo pipefail

fix=0
if [[ ${1:-} == --fix ]]; then
    fix=1
    shift
fi
if [[ $# -gt 1 || ${1:-} == -* ]]; then
    echo "usage: $0 [--fix] [ROOT]" >&2
    exit 2
fi
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
excluded='^(build/)'

formatter=""
for candidate in clang-format-14 clang-format; do
    if command -v "$candidate" >/dev/null && "$candidate" --version | grep -q 'version 14\.'; then
        formatter=$candidate
        break
    fi
done
if [[ -z $formatter ]]; then
    echo "check_format: SKIPPED: clang-format 14 not found (install clang-format-14: tools/setup.sh)"
    exit 77
fi

cd "$root"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' | grep -Ev "$excluded")
else
    mapfile -t files < <(find . -path ./build -prune -o \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -print |
                         sed 's|^\./||' | grep -Ev "$excluded" | sort)
fi
if [[ ${#files[@]} -eq 0 ]]; then
    echo "check_format: no C++ sources under $root" >&2
    exit 2
fi

unformatted=()
for file in "${files[@]}"; do
    if ! "$formatter" --dry-run --Werror --style=file "$file" >/dev/null 2>&1; then
        unformatted+=("$file")
    fi
done

# --fix rewrites only the files that differ (so the others keep their timestamps and no build
# recompiles them) and names each one.
if [[ $fix -eq 1 ]]; then
    if [[ ${#unformatted[@]} -ne 0 ]]; then
        "$formatter" -i --style=file "${unformatted[@]}"
        printf 'reformatted %s\n' "${unformatted[@]}"
    fi
    echo "check_format: ${#unformatted[@]} of ${#files[@]} files reformatted with $formatter"
    exit 0
fi

if [[ ${#unformatted[@]} -ne 0 ]]; then
    printf '%s\n' "${unformatted[@]}"
    echo "check_format: ${#unformatted[@]} of ${#files[@]} files differ from .clang-format; fix them with: tools/check_format.sh --fix" >&2
    exit 1
fi
echo "check_format: ${#files[@]} files formatted"
