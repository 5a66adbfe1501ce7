#!/usr/bin/env bash
# The runner of runnable documentation blocks, on documents made here: it runs only the blocks
# marked `sh runnable`, in order and in one folder per document, with the build's bin/ on PATH
# and build/release pointing at the build; it fails on a block's non-zero exit and on a block
# that outlives its time limit.
#
# usage: runnable_docs_selftest.sh RUNNER SCRATCH_DIR
set -euo pipefail
runner=$1
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch/source/docs" "$scratch/build/bin"
printf '#!/bin/sh\necho tool ran\n' > "$scratch/build/bin/fake_tool"
chmod +x "$scratch/build/bin/fake_tool"
fence='```'

cat > "$scratch/source/good.md" <<DOC
Plain blocks are not run:

${fence}sh
exit 1
${fence}

${fence}sh runnable
fake_tool > first.txt
build/release/bin/fake_tool >> first.txt
${fence}

${fence}sh runnable
test "\$(cat first.txt)" = "tool ran
tool ran"
${fence}
DOC
cat > "$scratch/source/bad.md" <<DOC
${fence}sh runnable
true
${fence}

${fence}sh runnable
false
echo "not reached"
${fence}
DOC
cat > "$scratch/source/slow.md" <<DOC
${fence}sh runnable
sleep 30
${fence}
DOC

expect() {  # expect WHAT EXIT_WANTED PATTERN -- command...
    local what=$1 want=$2 pattern=$3 out status=0
    shift 4
    out=$("$@" 2>&1) || status=$?
    if [ "$status" -ne "$want" ] || ! grep -q -- "$pattern" <<<"$out"; then
        echo "FAIL: $what: exit $status (wanted $want), output:"
        echo "$out"
        exit 1
    fi
    echo "ok: $what"
}

expect "runnable blocks run in order, plain blocks do not" 0 "^2 runnable blocks, 0 failed" -- \
    bash "$runner" "$scratch/source" "$scratch/build" "$scratch/run" good.md
expect "a failing block fails the run and is shown" 1 "^FAIL bad.md block 2: exit 1" -- \
    bash "$runner" "$scratch/source" "$scratch/build" "$scratch/run" bad.md
expect "a block past its time limit fails" 1 "^FAIL slow.md block 1: exit 124" -- \
    env HYPERTICK_DOC_BLOCK_SECONDS=1 bash "$runner" "$scratch/source" "$scratch/build" "$scratch/run" slow.md
expect "a missing document fails" 1 "^FAIL missing.md: no such document" -- \
    bash "$runner" "$scratch/source" "$scratch/build" "$scratch/run" missing.md
echo "runner self-test passed"
