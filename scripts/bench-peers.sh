#!/usr/bin/env bash
# Times Linkscope's ForceAtlas2 layout against peer layout libraries on the same graph
# and the same start positions, and prints a Markdown table of milliseconds per iteration.
#
# Usage (from the repository root, after `cargo build --release`):
#
#     bash scripts/bench-peers.sh SIZE [ITERATIONS] [THETA]
#
#   SIZE        10k | 100k | 200k | 1m   nodes (edges are about 5 x nodes)
#   ITERATIONS  layout iterations per run, at least 2 (default 20)
#   THETA       Barnes-Hut opening threshold in Gephi's meaning (default 1.2)
#
# Environment:
#   LINKSCOPE   the binary to time (default target/release/linkscope)
#   BENCH_DATA  where graphs are generated and cached (default ./bench-data)
#   BENCH_HOME  where the peers are installed, once (default ./bench-home): a Python venv
#               (numpy, scipy, python-igraph, crategraph-forceatlas2) and a node_modules
#               (graphology, graphology-layout-forceatlas2). Needs python3 with venv, node
#               and npm, and network access the first time. Nothing here ships with Linkscope.
#
# Method:
#   * scripts/bench-peers/gen_data.py writes a seeded preferential-attachment
#     (Barabasi-Albert style) graph, 5 edges per new node, shuffled ids and edge order, as
#     `src dst` lines, and seeded uniform start positions in a square of side 10*sqrt(n).
#   * Each tool then runs, one after another, 3 runs of ITERATIONS iterations, each run from
#     the same start positions, and prints one JSON line. A run's time per iteration is
#     (t_last - t_first) / (ITERATIONS - 1) from per-iteration timestamps, so loading,
#     set-up and the first iteration are left out; the median of the 3 runs is reported.
#       - graphology-layout-forceatlas2 (node.js, 1 thread: the library's own)
#       - crategraph-forceatlas2 (Rust port of graphology's FA2 via Python, 2 threads)
#       - python-igraph grid Fruchterman-Reingold: a different, short-range algorithm that
#         has no per-iteration hook; timed as (t(K) - t(1)) / (K - 1). A floor, not a peer.
#       - linkscope bench-layout, 2 threads
#   * All ForceAtlas2s get Barnes-Hut on, scalingRatio 2, gravity 1, slowDown 1, no LinLog.
#
# Why theta is doubled for graphology and its port: Gephi (and Linkscope) approximate a
# Barnes-Hut cell by its centre of mass when (cell width / distance) < theta; graphology
# tests (2 * cell width / distance) < theta (4*w*w / d^2 < theta^2 in iterate.js), and
# crategraph-forceatlas2 copies it. So the same approximation, and the same work, takes
# 2 * THETA there.
#
# Run it on an otherwise idle machine. Absolute times move with load, CPU and thermals;
# only the ratios between tools from one run of this script are comparable.
set -euo pipefail

usage="usage: bash scripts/bench-peers.sh 10k|100k|200k|1m [ITERATIONS] [THETA]"
size=${1:?$usage}
iters=${2:-20}
theta=${3:-1.2}
runs=3
threads=2   # for Linkscope and crategraph-forceatlas2; graphology is single-threaded

case "$size" in
  10k) nodes=10000 ;;
  100k) nodes=100000 ;;
  200k) nodes=200000 ;;
  1m) nodes=1000000 ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
if ! [[ "$iters" =~ ^[0-9]+$ ]] || [ "$iters" -lt 2 ]; then
  echo "ITERATIONS must be a whole number >= 2" >&2; exit 2
fi
if ! [[ "$theta" =~ ^[0-9]*\.?[0-9]+$ ]]; then
  echo "THETA must be a number >= 0" >&2; exit 2
fi

helpers=$(cd "$(dirname "${BASH_SOURCE[0]}")/bench-peers" && pwd)
linkscope=${LINKSCOPE:-target/release/linkscope}
bench_data=${BENCH_DATA:-bench-data}
bench_home=${BENCH_HOME:-bench-home}
if [ ! -x "$linkscope" ]; then
  echo "no Linkscope binary at $linkscope: run 'cargo build --release' or set LINKSCOPE" >&2
  exit 1
fi
mkdir -p "$bench_data" "$bench_home"

# --- Peers, installed once --------------------------------------------------------------
py="$bench_home/venv/bin/python"
if [ ! -f "$bench_home/venv/.installed" ]; then
  echo "installing the Python peers into $bench_home/venv ..." >&2
  python3 -m venv "$bench_home/venv"
  "$py" -m pip install --quiet --disable-pip-version-check \
    numpy scipy python-igraph==1.0.0 crategraph-forceatlas2==0.1.0 >&2
  touch "$bench_home/venv/.installed"
fi
node_dir="$bench_home/node"
if [ ! -f "$node_dir/.installed" ]; then
  echo "installing the node.js peers into $node_dir ..." >&2
  mkdir -p "$node_dir"
  # A package.json of its own keeps npm from installing into some parent folder.
  [ -f "$node_dir/package.json" ] || echo '{ "private": true }' > "$node_dir/package.json"
  (cd "$node_dir" && npm install --silent --no-audit --no-fund \
    graphology@0.26.0 graphology-layout-forceatlas2@0.10.1 >&2)
  touch "$node_dir/.installed"
fi

# --- Data, generated once per size --------------------------------------------------------
edges="$bench_data/graph_$size.txt"
positions="$bench_data/pos_$size.txt"
if [ ! -f "$edges" ] || [ ! -f "$positions" ]; then
  echo "generating $edges and $positions ..." >&2
  "$py" "$helpers/gen_data.py" "$nodes" "$edges" "$positions"
fi

# --- Timing, one tool after another --------------------------------------------------------
theta_graphology=$(awk -v t="$theta" 'BEGIN { print 2 * t }')
results=$(mktemp)
trap 'rm -f "$results"' EXIT

echo "timing $size: $iters iterations x $runs runs, theta $theta (graphology's $theta_graphology)" >&2
# node's default heap is too small for the 1m graph as graphology objects.
NODE_PATH="$node_dir/node_modules" node --max-old-space-size=16000 \
  "$helpers/time_graphology.js" "$edges" "$positions" "$iters" "$runs" "$theta_graphology" \
  | tee -a "$results"
"$py" "$helpers/time_python.py" cfa2 "$edges" "$positions" "$iters" "$runs" \
  "$theta_graphology" "$threads" | tee -a "$results"
"$py" "$helpers/time_python.py" igraph "$edges" "$positions" "$iters" "$runs" \
  | tee -a "$results"
# --algorithm forceatlas2: bench-layout runs the community layout unless told otherwise.
"$linkscope" bench-layout --edges "$edges" --positions "$positions" --algorithm forceatlas2 \
  --iterations "$iters" --theta "$theta" --threads "$threads" --runs "$runs" | tee -a "$results"

"$py" "$helpers/table.py" "$results"
