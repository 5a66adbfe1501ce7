#!/usr/bin/env bash
# Runs every shell block of README.md and docs/*.md that is marked runnable, so that what the
# documents tell a reader to type keeps working.
#
# The marker is the fence's info string `sh runnable` (renderers read the first word, `sh`,
# and highlight the block as usual):
#
#   ```sh runnable
#   build/release/bin/itch_gen --seed 1 --messages 1000 --out small.pcap --expect small.json
#   ```
#
# A runnable block must finish in seconds: it uses the bundled sample capture
# (build/release/share/hypertick/sample.pcap) or makes its own input, writes outputs under
# names no other block of its document uses, and bounds anything that would run forever
# (`--duration`). Blocks that need a NIC, root-only host changes or a package install stay
# plain `sh`.
#
# Each document runs in a scratch folder of its own that looks like the repository root: every
# top-level entry of the source tree is linked there and build/release is the build tree under
# test (whatever its preset), so the commands run as typed from the root and what they write
# stays in the scratch folder. The build's bin/ is on PATH as well. The blocks of a document run
# in order, each in its own `bash -e -o pipefail` with a time limit; a later block may read
# what an earlier one wrote. A block that exits non-zero fails the run: its text and output
# are printed, and the runner exits 1 once every document has run.
#
# usage: runnable_docs_test.sh SOURCE_DIR BUILD_DIR SCRATCH_DIR [DOCUMENT...]
#   DOCUMENTs are paths relative to SOURCE_DIR; by default README.md and docs/*.md.
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 SOURCE_DIR BUILD_DIR SCRATCH_DIR [DOCUMENT...]" >&2
    exit 2
fi
source_dir=$(cd "$1" && pwd)
build_dir=$(cd "$2" && pwd)
scratch_root=$3
shift 3
block_seconds=${HYPERTICK_DOC_BLOCK_SECONDS:-120}

documents=("$@")
if [ ${#documents[@]} -eq 0 ]; then
    documents=(README.md)
    for d in "$source_dir"/docs/*.md; do documents+=("docs/$(basename "$d")"); done
fi

# Writes the runnable blocks of $1 as $2/block-N.sh and prints N (how many).
extract_blocks() {
    awk -v out="$2" '
        /^```sh runnable[ \t]*$/ { n++; file = sprintf("%s/block-%d.sh", out, n); printf "" > file; inside = 1; next }
        inside && /^```[ \t]*$/ { close(file); inside = 0; next }
        inside { print >> file }
        END { if (inside) { print "unterminated runnable block " n > "/dev/stderr"; exit 1 } print n + 0 }
    ' "$1"
}

# A folder that looks like the repository root, with build/release the build under test.
make_scratch_root() {
    local dir=$1 entry
    rm -rf "$dir"
    mkdir -p "$dir/build"
    for entry in "$source_dir"/* "$source_dir"/.[!.]*; do
        [ -e "$entry" ] || continue
        case "$(basename "$entry")" in build | .git) continue ;; esac
        ln -s "$entry" "$dir/$(basename "$entry")"
    done
    ln -s "$build_dir" "$dir/build/release"
}

failed=0 ran=0
for doc in "${documents[@]}"; do
    if [ ! -f "$source_dir/$doc" ]; then
        echo "FAIL $doc: no such document"
        failed=$((failed + 1))
        continue
    fi
    work="$scratch_root/$(echo "$doc" | tr '/' '_')"
    make_scratch_root "$work"
    mkdir -p "$work/.blocks"
    count=$(extract_blocks "$source_dir/$doc" "$work/.blocks")
    for ((n = 1; n <= count; n++)); do
        block="$work/.blocks/block-$n.sh"
        started=$SECONDS
        if (cd "$work" && PATH="$build_dir/bin:$PATH" timeout --kill-after=5 "$block_seconds" \
                bash -e -o pipefail "$block" > "$work/.blocks/block-$n.out" 2>&1); then
            echo "ok   $doc block $n ($((SECONDS - started)) s)"
        else
            status=$?
            echo "FAIL $doc block $n: exit $status after $((SECONDS - started)) s"
            echo "---- block:"
            cat "$block"
            echo "---- output:"
            tail -n 60 "$work/.blocks/block-$n.out"
            echo "----"
            failed=$((failed + 1))
        fi
        ran=$((ran + 1))
    done
done
echo "$ran runnable blocks, $failed failed"
[ "$failed" -eq 0 ]
