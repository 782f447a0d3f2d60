#!/usr/bin/env python3
"""Write the benchmark graph and start positions for one size, deterministically.

    python3 gen_data.py N EDGES_OUT POSITIONS_OUT

The graph is grown by preferential attachment (Barabási–Albert style), which
gives the power-law degrees of real link graphs (a few hubs with thousands of
links, most nodes with a handful):

* it starts from a clique of ATTACH + 1 nodes;
* every later node links to ATTACH *distinct* existing nodes, each picked with
  probability proportional to its degree (a uniform pick from the list of all
  edge endpoints seen so far), so there are ATTACH * N - ATTACH * (ATTACH + 1) / 2
  edges, about 5 per node;
* node ids are then relabelled by a seeded random permutation, so no tool gains
  from ids that follow age or degree, and the edge order is shuffled too.

EDGES_OUT gets one undirected edge per line as ``src dst`` (0-based ids, no
self loops, no duplicates, no header).

POSITIONS_OUT gets one ``x y`` line per node: uniform in a square of side
10 * sqrt(N) centred on 0, from numpy's seeded generator. Every tool starts
from these same positions.

Each file is written to a temporary name and renamed, so an interrupted run
never leaves a half-written file that a later run would take as cached.
"""

import math
import os
import random
import sys

import numpy as np

ATTACH = 5  # edges added by each new node
GRAPH_SEED = 1_000_003  # plus N, so every size has its own stream
POSITION_SEED = 11


def grow_graph(n, attach, rng):
    """Return the edge list of a preferential-attachment graph on n nodes."""
    edges = []
    endpoints = []  # every edge contributes both ends: a degree-weighted urn
    for a in range(attach + 1):
        for b in range(a):
            edges.append((b, a))
            endpoints.extend((a, b))
    for new in range(attach + 1, n):
        chosen = set()
        while len(chosen) < attach:
            chosen.add(endpoints[rng.randrange(len(endpoints))])
        # Sorted so the result does not depend on set iteration order.
        for old in sorted(chosen):
            edges.append((old, new))
            endpoints.extend((old, new))
    return edges


def write_atomically(path, text):
    """Write text to path via a temporary file in the same folder."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    edges_out, positions_out = sys.argv[2], sys.argv[3]
    if n <= ATTACH + 1:
        sys.exit(f"N must be more than {ATTACH + 1}")

    rng = random.Random(GRAPH_SEED + n)
    edges = grow_graph(n, ATTACH, rng)
    relabel = list(range(n))
    rng.shuffle(relabel)
    edges = [(relabel[a], relabel[b]) for a, b in edges]
    rng.shuffle(edges)
    write_atomically(edges_out, "".join(f"{a} {b}\n" for a, b in edges))

    side = 10.0 * math.sqrt(n)
    xy = np.random.default_rng(POSITION_SEED).uniform(-side / 2, side / 2, size=(n, 2))
    write_atomically(positions_out, "".join(f"{x:.4f} {y:.4f}\n" for x, y in xy))

    print(f"wrote {edges_out} (n={n}, m={len(edges)}) and {positions_out}", file=sys.stderr)


if __name__ == "__main__":
    main()
