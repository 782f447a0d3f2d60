#!/usr/bin/env bash
# Exploring a big graph on PostgreSQL, timed: a seeded graph of 2,000,000
# entities and 10,000,000 relations (`linkscope generate`), pushed into a
# throwaway local cluster (`push`, timed), then `linkscope bench-explore`:
# name search, a capped 1-hop and 2-hop expansion, traces of up to 4 hops,
# each with its EXPLAIN (ANALYZE, BUFFERS).
#
#   bash scripts/bench-explore.sh [NODES EDGES]
#
# Needs Debian's postgresql package and about 15 GB of disk under $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-2000000} edges=${2:-10000000}
cargo build --release --quiet
bin=target/release/linkscope
work=$(mktemp -d)
trap 'bash "$work/pg/ctl" stop 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=$(bash scripts/pg-test-cluster.sh "$work/pg" "$port" $$)
export PGPASSFILE=/nonexistent
echo "generate --nodes $nodes --edges $edges"
/usr/bin/time -f "generate: %e s wall, %M KB peak" "$bin" generate --nodes "$nodes" --edges "$edges" --seed 7 "$work/graph.sqlite"
echo "push"
/usr/bin/time -f "push: %e s wall, %M KB peak (the client; the server works in its own processes)" \
    "$bin" push "$work/graph.sqlite" "$url" --schema big 2>/dev/null
"$bin" bench-explore "$url" --schema big --runs 20
