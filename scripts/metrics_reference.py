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

It also writes tests/fixtures/metrics/sampled.sqlite, a graph above the
size where Linkscope computes betweenness exactly (5,000 entities): a
Barabási–Albert graph of 5,200 entities (m 2, seed 18), whose betweenness
Linkscope estimates from a sample. Its exact networkx betweenness (as
above) is stored as "sampled": the sum over all entities and the 40
largest values, by entity id.

Run from the repository root:
  python3 scripts/metrics_reference.py        (networkx 3.6.1, Python 3.11)
"""

import json
import os
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


SAMPLED_PATH = "tests/fixtures/metrics/sampled.sqlite"
SAMPLED_NODES = 5200
SAMPLED_TOP = 40

# Linkscope's schema (src/store/generate.rs); only entities and relations are filled.
SCHEMA = """
PRAGMA user_version = 1;
CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
    date_start TEXT, date_end TEXT, properties TEXT);
CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL REFERENCES entities(id),
    object_id INTEGER NOT NULL REFERENCES entities(id), kind TEXT NOT NULL, label TEXT, date_start TEXT,
    date_end TEXT, properties TEXT);
CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT, publisher TEXT, url TEXT,
    published TEXT, language TEXT, reliability TEXT);
CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),
    text TEXT NOT NULL, locator TEXT, credibility TEXT);
CREATE TABLE relation_excerpts (relation_id INTEGER NOT NULL REFERENCES relations(id),
    excerpt_id INTEGER NOT NULL REFERENCES excerpts(id), PRIMARY KEY (relation_id, excerpt_id));
"""


def write_sampled_fixture():
    graph = nx.barabasi_albert_graph(SAMPLED_NODES, 2, seed=18)
    os.makedirs(os.path.dirname(SAMPLED_PATH), exist_ok=True)
    if os.path.exists(SAMPLED_PATH):
        os.remove(SAMPLED_PATH)
    db = sqlite3.connect(SAMPLED_PATH)
    db.executescript(SCHEMA)
    db.executemany(
        "INSERT INTO entities (id, kind, name) VALUES (?, 'actor', ?)",
        [(node + 1, f"Actor {node + 1}") for node in graph.nodes],
    )
    db.executemany(
        "INSERT INTO relations (id, subject_id, object_id, kind) VALUES (?, ?, ?, 'linked')",
        [(i + 1, a + 1, b + 1) for i, (a, b) in enumerate(sorted(graph.edges))],
    )
    db.commit()
    db.execute("VACUUM")
    db.close()


def sampled_reference():
    whole = reference(SAMPLED_PATH)["entities"]
    top = sorted(whole, key=lambda e: -e["betweenness"])[:SAMPLED_TOP]
    return {
        "entities": len(whole),
        "betweenness_sum": sum(e["betweenness"] for e in whole),
        "top": [{"id": e["id"], "betweenness": e["betweenness"]} for e in top],
    }


def main():
    out = {name: reference(path) for name, path in FILES.items()}
    write_sampled_fixture()
    out["sampled"] = sampled_reference()
    out["_command"] = "python3 scripts/metrics_reference.py (networkx %s)" % nx.__version__
    with open("tests/reference/metrics.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    for name in FILES:
        print(name, len(out[name]["entities"]), "entities;",
              len(out[name]["louvain_communities"]), "communities, modularity",
              round(out[name]["louvain_modularity"], 4))


main()
