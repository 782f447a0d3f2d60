# Reference for tests/integration/export_graph.rs: what networkx reads from
# Linkscope's GEXF and GraphML exports of the bundled sample, and the
# SHA-256 of the exact bytes it read. The Rust test exports again, checks
# the bytes are the same, and compares networkx's reading with plain SQL
# on the sample. Re-run after changing the exporters:
#
#   pip install networkx==3.6.1
#   cargo build --release
#   python3 tests/reference/graph_export.py > tests/reference/graph_export.json
import collections
import hashlib
import json
import os
import subprocess
import tempfile

import networkx as nx

SAMPLE = "sample-db/sample.sqlite"
BINARY = "target/release/linkscope"


def summary(graph):
    kinds = collections.Counter(data.get("kind") for _, data in graph.nodes(data=True))
    edge_kinds = collections.Counter(data.get("kind") for _, _, data in graph.edges(data=True))
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "directed": graph.is_directed(),
        "kinds": dict(sorted(kinds.items())),
        "edge_kinds": dict(sorted(edge_kinds.items())),
        "names": sorted(
            str(data.get("label", data.get("name"))) for _, data in graph.nodes(data=True)
        ),
        "supported_edges": sum(
            1 for _, _, data in graph.edges(data=True) if data.get("supported") in (True, "true")
        ),
    }


out = {"networkx": nx.__version__}
with tempfile.TemporaryDirectory() as folder:
    for name, reader in [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)]:
        path = os.path.join(folder, f"sample.{name}")
        subprocess.run([BINARY, "export-graph", SAMPLE, path], check=True, capture_output=True)
        data = open(path, "rb").read()
        entry = summary(reader(path))
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        out[name] = entry
print(json.dumps(out, indent=1, sort_keys=True))
