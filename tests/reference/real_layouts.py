# Reference for tests/integration/layout_real.rs: on two real networks nobody
# here drew (Zachary's karate club, Les Miserables), the communities Louvain
# finds (networkx, seed 1) and the kNN community agreement of igraph's DrL
# layout (the OpenOrd family) over seeds 1 to 5, computed by networkx and
# igraph, not by Linkscope.
#
#   pip install networkx==3.6.1 python-igraph==1.0.0 numpy scipy
#   python3 tests/reference/real_layouts.py > tests/reference/real_layouts.json
#
# Agreement: the mean share of each entity's 10 nearest on-screen neighbours
# (Euclidean, ties to the lower index) that are in its own community.
import json
import random
import sqlite3

import igraph
import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

K = 10
FILES = {
    "karate": "tests/fixtures/trace/karate.sqlite",
    "lesmis": "tests/fixtures/trace/lesmis.sqlite",
}


def agreement(positions, communities):
    tree = cKDTree(positions)
    distances, neighbours = tree.query(positions, k=min(K + 5, len(positions)))
    same = 0
    for i in range(len(positions)):
        pairs = sorted((d, j) for d, j in zip(distances[i], neighbours[i]) if j != i)[:K]
        same += sum(communities[j] == communities[i] for _, j in pairs)
    return same / (len(positions) * K)


out = {}
for name, path in FILES.items():
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    graph = nx.Graph()
    graph.add_nodes_from(row[0] for row in db.execute("SELECT id FROM entities"))
    graph.add_edges_from(db.execute("SELECT subject_id, object_id FROM relations"))
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    nodes = sorted(graph.nodes())
    parts = nx.community.louvain_communities(graph, seed=1)
    community_of = {node: c for c, part in enumerate(parts) for node in part}
    communities = [community_of[node] for node in nodes]
    index = {node: i for i, node in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()])
    drl = []
    for seed in range(1, 6):
        random.seed(seed)
        drl.append(round(agreement(np.array(ig.layout_drl().coords), communities), 4))
    out[name] = {
        "communities": {str(node): community_of[node] for node in nodes},
        "drl_agreement_seeds_1_to_5": drl,
        "drl_agreement_mean": round(float(np.mean(drl)), 4),
    }
print(json.dumps(out, indent=1, sort_keys=True))
