#!/usr/bin/env bash
# Prints docs/performance.md's frame-time table: `linkscope bench-render` at 1600×1000 on
# the bundled sample and on generated graphs, in each of the renderer's
# situations. Usage: scripts/bench-render-table.sh [LINKSCOPE_BINARY] [FOLDER]
# (defaults: target/release/linkscope, a temporary folder for the graphs).
# Software rendering: run with WGPU_BACKEND=vulkan and Mesa's lavapipe, on a
# machine without a GPU (or with VK_ICD_FILENAMES pointing at lavapipe's ICD).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/linkscope}
folder=${2:-$(mktemp -d)}
frames=${FRAMES:-5}
sizes=${SIZES:-"10000:50000 100000:500000 200000:1000000"}

files=(sample-db/sample.sqlite)
for size in $sizes; do
    nodes=${size%%:*}
    edges=${size##*:}
    file="$folder/g-$nodes-$edges.sqlite"
    [ -f "$file" ] || "$bin" generate --nodes "$nodes" --edges "$edges" --seed 7 "$file" >/dev/null
    files+=("$file")
done

echo "| graph | adapter | full detail, every frame | moving (window on this adapter) | settling: frames, longest, total | still |"
echo "|---|---|---|---|---|---|"
for file in "${files[@]}"; do
    "$bin" bench-render "$file" --frames "$frames" 2>/dev/null | python3 scripts/render_row.py
done
