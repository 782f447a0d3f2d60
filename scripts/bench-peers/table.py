#!/usr/bin/env python3
"""Turn the benchmark's JSON lines into a small Markdown table.

    python3 table.py RESULTS.jsonl

Reads one JSON object per line (as printed by the timers and by
``linkscope bench-layout``) and prints one row per tool with its median
milliseconds per iteration and how many times slower than Linkscope it is
(peer ms / Linkscope ms; above 1 means Linkscope is faster). Standard library
only. Ratios are only meaningful between lines of the same run.
"""

import json
import sys

NOTES = {
    "linkscope": "ForceAtlas2, Barnes-Hut",
    "graphology-layout-forceatlas2": "ForceAtlas2, Barnes-Hut (JS)",
    "crategraph-forceatlas2": "ForceAtlas2, Barnes-Hut (Rust port of graphology)",
    "igraph-fruchterman-reingold-grid": "grid Fruchterman-Reingold: other algorithm, a floor",
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    if not rows:
        sys.exit("no results to tabulate")

    ours = next((r for r in rows if r["tool"] == "linkscope"), None)
    first = rows[0]
    print()
    print(f"n = {first['n']} nodes, m = {first['m']} edges, {first['iters']} iterations, "
          f"median of {first['runs']} runs")
    print()
    print("| tool | version | threads | ms / iteration | × Linkscope | note |")
    print("|---|---|---:|---:|---:|---|")
    for r in rows:
        ms = r["ms_per_iter_median"]
        ratio = f"{ms / ours['ms_per_iter_median']:.1f}" if ours and ours["ms_per_iter_median"] > 0 else "–"
        print(f"| {r['tool']} | {r.get('version', '?')} | {r.get('threads', '?')} | {ms:.2f} | "
              f"{ratio} | {NOTES.get(r['tool'], '')} |")


if __name__ == "__main__":
    main()
