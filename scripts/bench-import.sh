#!/usr/bin/env bash
# Import and export speed on 200,000 entities and 1,000,000 relations,
# beside networkx and igraph reading the same files in the same run.
#
#   cargo build --release && bash scripts/bench-import.sh [WORK_DIR]
#
# Prints one line per step: seconds (wall) and peak memory (MB). networkx
# and igraph are optional (pip install networkx==3.6.1 igraph==1.0.0).
set -euo pipefail
BIN="${BIN:-target/release/linkscope}"
WORK="${1:-$(mktemp -d)}"
mkdir -p "$WORK"
GRAPH="$WORK/g-200000-1000000.sqlite"
[ -f "$GRAPH" ] || "$BIN" generate --nodes 200000 --edges 1000000 --seed 7 "$GRAPH" >/dev/null

measure() { # label, command...
    local label="$1"; shift
    local report status=0
    report=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$report" "$@" >/dev/null 2>&1 || status=$?
    read -r seconds kilobytes <"$report"
    rm -f "$report"
    printf '%-44s %7.2f s %7.0f MB%s\n' "$label" "$seconds" "$((kilobytes / 1024))" \
        "$([ "$status" -eq 0 ] || echo "  (failed: exit $status)")"
}

rm -f "$WORK/big.gexf" "$WORK/big.graphml" "$WORK"/big.*.csv "$WORK"/imported-*.sqlite
measure "linkscope export-graph GEXF" "$BIN" export-graph "$GRAPH" "$WORK/big.gexf"
measure "linkscope export-graph GraphML" "$BIN" export-graph "$GRAPH" "$WORK/big.graphml"
measure "linkscope export-graph CSV" "$BIN" export-graph "$GRAPH" "$WORK/big.csv"
measure "linkscope import GEXF" "$BIN" import "$WORK/big.gexf" "$WORK/imported-gexf.sqlite"
measure "linkscope import GraphML" "$BIN" import "$WORK/big.graphml" "$WORK/imported-graphml.sqlite"
measure "linkscope import CSV (nodes + edges)" "$BIN" import "$WORK/big.nodes.csv" "$WORK/big.edges.csv" "$WORK/imported-csv.sqlite"
if python3 -c "import networkx" 2>/dev/null; then
    measure "networkx read_gexf" python3 -c "import networkx, sys; networkx.read_gexf(sys.argv[1])" "$WORK/big.gexf"
    measure "networkx read_graphml" python3 -c "import networkx, sys; networkx.read_graphml(sys.argv[1])" "$WORK/big.graphml"
fi
if python3 -c "import igraph" 2>/dev/null; then
    measure "igraph Read_GraphML" python3 -c "import igraph, sys; igraph.Graph.Read_GraphML(sys.argv[1])" "$WORK/big.graphml"
    measure "igraph Read_Ncol (edges CSV as pairs)" python3 -c "
import csv, igraph, sys
rows = csv.reader(open(sys.argv[1], newline=''))
next(rows)
igraph.Graph.TupleList(((r[0], r[1]) for r in rows), directed=True)" "$WORK/big.edges.csv"
fi
