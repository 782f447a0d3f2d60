#!/usr/bin/env python3
"""Reference values for the trace tests, computed by networkx.

Writes, under tests/fixtures/trace/:
  karate.sqlite   Zachary's karate club (networkx.karate_club_graph: 34
                  members, 78 friendships), one relation per friendship,
                  subject -> object in networkx's edge order; no evidence.
  lesmis.sqlite   Les Misérables co-appearances (networkx.les_miserables_graph:
                  77 characters, 254 pairs); each relation cites as many
                  ungraded excerpts as the pair's co-appearance weight.
  reference.json  For these two files and the bundled sample: shortest path
                  lengths (hops) for every ordered pair, following direction
                  and ignoring it; the best-sourced route's cost (Dijkstra over
                  docs/guide.md's hop cost) for every ordered pair; k-hop
                  neighbourhood sizes (direction ignored) for a few seeds; and
                  the number of simple paths up to k hops for a few pairs.

Run from the repository root:
  python3 scripts/trace_reference.py        (networkx 3.6.1, Python 3.11)

The cost formula is written out here again from docs/guide.md, not taken from
Linkscope's code: each excerpt weighs reliability x credibility with
A/1 0.9, B/2 0.75, C/3 0.5, D/4 0.25, E/5 0.1, F/6/none 0.5; a relation's
support is p = 1 - prod(1 - w); a hop costs 0.01 - ln(max(p, 0.01)).
"""

import json
import math
import os
import sqlite3

import networkx as nx

OUT = "tests/fixtures/trace"
WEIGHT = {"A": 0.9, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0.1,
          "1": 0.9, "2": 0.75, "3": 0.5, "4": 0.25, "5": 0.1}

SCHEMA = """
PRAGMA user_version = 1;
CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
    description TEXT, date_start TEXT, date_end TEXT, properties TEXT);
CREATE TABLE relations (id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL, object_id INTEGER NOT NULL,
    kind TEXT NOT NULL, label TEXT, date_start TEXT, date_end TEXT, properties TEXT);
CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author TEXT, publisher TEXT,
    url TEXT, published TEXT, language TEXT, reliability TEXT);
CREATE TABLE excerpts (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, text TEXT NOT NULL,
    locator TEXT, credibility TEXT);
CREATE TABLE relation_excerpts (relation_id INTEGER NOT NULL, excerpt_id INTEGER NOT NULL,
    PRIMARY KEY (relation_id, excerpt_id));
"""


def hop_cost(weights):
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return 0.01 - math.log(max(1.0 - miss, 0.01))


def write_file(path, names, kind, edges, label, excerpts_per_edge, document_title):
    """edges: (subject index, object index, excerpt count) in order."""
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO entities (id, kind, name) VALUES (?, ?, ?)",
                   [(i + 1, kind, name) for i, name in enumerate(names)])
    db.execute("INSERT INTO documents (id, title) VALUES (1, ?)", (document_title,))
    excerpt = 0
    for rid, (u, v, count) in enumerate(edges, start=1):
        db.execute("INSERT INTO relations (id, subject_id, object_id, kind, label) VALUES (?, ?, ?, ?, ?)",
                   (rid, u + 1, v + 1, "co_occurs", label))
        for n in range(count):
            excerpt += 1
            db.execute("INSERT INTO excerpts (id, document_id, text, locator) VALUES (?, 1, ?, ?)",
                       (excerpt, f"{names[u]} and {names[v]} appear together ({n + 1} of {count})", f"scene {n + 1}"))
            db.execute("INSERT INTO relation_excerpts VALUES (?, ?)", (rid, excerpt))
    db.commit()
    db.close()


def read_file(path):
    """(ids, [(relation id, subject, object, [excerpt weights])]) straight from SQL."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    ids = [row[0] for row in db.execute("SELECT id FROM entities ORDER BY id")]
    relations = []
    for rid, s, o in db.execute("SELECT id, subject_id, object_id FROM relations ORDER BY id").fetchall():
        weights = []
        for rel, cred in db.execute(
                "SELECT d.reliability, x.credibility FROM relation_excerpts l JOIN excerpts x ON x.id = l.excerpt_id "
                "JOIN documents d ON d.id = x.document_id WHERE l.relation_id = ?", (rid,)):
            weights.append(WEIGHT.get(rel, 0.5) * WEIGHT.get(cred, 0.5))
        relations.append((rid, s, o, weights))
    db.close()
    return ids, relations


def reference(path, seeds, path_pairs):
    ids, relations = read_file(path)
    directed = nx.DiGraph()
    directed.add_nodes_from(ids)
    undirected = nx.Graph()
    undirected.add_nodes_from(ids)
    for _, s, o, weights in relations:
        if s == o:
            continue
        cost = hop_cost(weights)
        for graph in (directed, undirected):
            if graph.has_edge(s, o):
                graph[s][o]["cost"] = min(graph[s][o]["cost"], cost)
            else:
                graph.add_edge(s, o, cost=cost)

    def matrix(graph, weight=None):
        rows = []
        for s in ids:
            if weight:
                lengths = nx.single_source_dijkstra_path_length(graph, s, weight=weight)
            else:
                lengths = nx.single_source_shortest_path_length(graph, s)
            rows.append([None if t not in lengths else (round(lengths[t], 6) if weight else lengths[t]) for t in ids])
        return rows

    out = {
        "ids": ids,
        "hops_directed": matrix(directed),
        "hops_undirected": matrix(undirected),
        "cost_directed": matrix(directed, "cost"),
        "cost_undirected": matrix(undirected, "cost"),
        "k_hop_sizes": {
            str(seed): [len(nx.single_source_shortest_path_length(undirected, seed, cutoff=k)) for k in (1, 2, 3)]
            for seed in seeds
        },
        "simple_paths": [
            {"from": s, "to": t, "max_hops": k,
             "directed": sum(1 for _ in nx.all_simple_paths(directed, s, t, cutoff=k)),
             "undirected": sum(1 for _ in nx.all_simple_paths(undirected, s, t, cutoff=k))}
            for s, t, k in path_pairs
        ],
    }
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    karate = nx.karate_club_graph()
    write_file(f"{OUT}/karate.sqlite", [f"Member {n}" for n in karate.nodes()], "actor",
               [(u, v, 0) for u, v in karate.edges()], "is a friend of", 0, "Zachary (1977)")
    lesmis = nx.les_miserables_graph()
    names = list(lesmis.nodes())
    index = {name: i for i, name in enumerate(names)}
    write_file(f"{OUT}/lesmis.sqlite", names, "actor",
               [(index[u], index[v], int(d["weight"])) for u, v, d in lesmis.edges(data=True)],
               "appears with", 0, "Les Misérables (Knuth, The Stanford GraphBase)")
    result = {
        "command": "python3 scripts/trace_reference.py",
        "networkx": nx.__version__,
        "sample": reference("sample-db/sample.sqlite", [1, 2, 15, 22], [(1, 8, 3), (1, 20, 4), (7, 8, 4), (15, 2, 4), (2, 20, 3)]),
        "karate": reference(f"{OUT}/karate.sqlite", [1, 34, 17], [(1, 34, 3), (17, 34, 4), (10, 25, 4)]),
        "lesmis": reference(f"{OUT}/lesmis.sqlite", [1, 12, 50], [(1, 50, 3), (12, 60, 3), (28, 70, 3)]),
    }
    with open(f"{OUT}/reference.json", "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
