#!/usr/bin/env bash
# How long a newcomer waits: a cold `cargo build --release` from a fresh
# clone (its own target folder; the crates already downloaded), then an
# incremental rebuild after an edit of one function's code under src/view/
# (a constant of the canvas changed), then (with
# --tests) the whole `cargo test --release` build from there. Prints one
# line per figure, in seconds of wall time, with the cores used.
#
#   bash scripts/bench-build.sh [--tests]
#
# Run it on an otherwise idle machine: everything else on the cores slows it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet . "$work/linkscope"
cd "$work/linkscope"
export CARGO_TERM_COLOR=never CARGO_TARGET_DIR="$work/target"
cargo fetch --quiet
cores=$(nproc)
seconds() { local start=$SECONDS; "$@" >/dev/null 2>&1; echo $((SECONDS - start)); }
cold=$(seconds cargo build --release)
echo "cold cargo build --release: ${cold} s on ${cores} cores"
sed -i 's/^const PICK_TOLERANCE_POINTS: f32 = 5.0;/const PICK_TOLERANCE_POINTS: f32 = 5.5;/' src/view/canvas.rs
grep -q 'PICK_TOLERANCE_POINTS: f32 = 5.5' src/view/canvas.rs ||
    { echo "error: the edit found nothing to change in src/view/canvas.rs" >&2; exit 1; }
incremental=$(seconds cargo build --release)
echo "incremental rebuild after an edit in src/view/canvas.rs: ${incremental} s"
if [ "${1:-}" = --tests ]; then
    tests=$(seconds cargo test --release --no-run)
    echo "cargo test --release --no-run after the app's build: ${tests} s"
fi
