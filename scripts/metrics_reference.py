#!/usr/bin/env python3
"""Reference centrality and community numbers for the metrics tests, by networkx.

Reads the bundled sample and the karate and lesmis trace fixtures (real
networks, see scripts/trace_reference.py) straight from their SQLite files
and writes tests/reference/metrics.json: for each file, per entity id,

  degree       relations touching the entity, parallel ones included, a
               self-loop twice: nx.MultiDiGraph.degree
  pagerank     nx.pagerank on the nx.DiGraph (parallel relations merged),
               alpha 0.85, run to tol 1e-13 so that it is converged far
               beyond the tolerance the Rust test allows
  betweenness  exact nx.betweenness_centrality (normalized) on the
               undirected nx.Graph (direction ignored, parallel relations
               merged, self-loops removed)
  louvain      nx.community.louvain_communities(seed=1) on that same
               nx.Graph: its communities and nx.community.modularity of them

Run from the repository root:
  python3 scripts/metrics_reference.py        (networkx 3.6.1, Python 3.11)
"""

import json
import sqlite3

import networkx as nx

FILES = {
    "sample": "sample-db/sample.sqlite",
    "karate": "tests/fixtures/trace/karate.sqlite",
    "lesmis": "tests/fixtures/trace/lesmis.sqlite",
}


def reference(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    ids = [row[0] for row in db.execute("SELECT id FROM entities ORDER BY id")]
    relations = list(db.execute("SELECT subject_id, object_id FROM relations ORDER BY id"))
    db.close()
    multi = nx.MultiDiGraph()
    multi.add_nodes_from(ids)
    multi.add_edges_from(relations)
    directed = nx.DiGraph(multi)
    undirected = nx.Graph(directed.to_undirected())
    undirected.remove_edges_from(list(nx.selfloop_edges(undirected)))
    pagerank = nx.pagerank(directed, alpha=0.85, tol=1e-13, max_iter=100000)
    betweenness = nx.betweenness_centrality(undirected, normalized=True)
    communities = nx.community.louvain_communities(undirected, seed=1)
    modularity = nx.community.modularity(undirected, communities)
    return {
        "entities": [
            {
                "id": node,
                "degree": multi.degree(node),
                "pagerank": pagerank[node],
                "betweenness": betweenness[node],
            }
            for node in ids
        ],
        "louvain_communities": sorted(sorted(c) for c in communities),
        "louvain_modularity": modularity,
        "undirected_edges": undirected.number_of_edges(),
    }


def main():
    out = {name: reference(path) for name, path in FILES.items()}
    out["_command"] = "python3 scripts/metrics_reference.py (networkx %s)" % nx.__version__
    with open("tests/reference/metrics.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    for name in FILES:
        print(name, len(out[name]["entities"]), "entities;",
              len(out[name]["louvain_communities"]), "communities, modularity",
              round(out[name]["louvain_modularity"], 4))


main()
