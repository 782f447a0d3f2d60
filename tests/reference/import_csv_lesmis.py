"""Expected numbers for the CSV import of the Les Misérables pair
(tests/fixtures/import/csv/lesmis-*.csv), worked out with Python's own csv
module, independently of Linkscope. Writes import_csv_lesmis.json beside it.

Run: python3 tests/reference/import_csv_lesmis.py
"""

import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/fixtures/import/csv"


def rows(name):
    with open(FIXTURES / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


nodes = rows("lesmis-nodes.csv")
edges = rows("lesmis-edges.csv")

ids = {}
for node in nodes:
    ids.setdefault(node["Id"].strip(), node)
endpoints = {edge[end].strip() for edge in edges for end in ("Source", "Target")}
missing = sorted(endpoints - set(ids))
undirected = sum(1 for edge in edges if edge["Type"].strip().lower() == "undirected")
degree = {}
for edge in edges:
    for end in ("Source", "Target"):
        degree[edge[end]] = degree.get(edge[end], 0) + 1
top = max(degree.items(), key=lambda item: (item[1], item[0]))

expected = {
    "entities": len(ids) + len(missing),
    "relations": len(edges),
    "undirected": undirected,
    "missing_endpoints": len(missing),
    "distinct_labels": len({edge["Label"] for edge in edges}),
    "self_loops": sum(1 for edge in edges if edge["Source"] == edge["Target"]),
    "names": {key: ids[key]["Label"] for key in ("TH", "JV", "CO")},
    "descriptions": {key: ids[key]["Description"] for key in ("TH",)},
    "top_degree": {"name": ids[top[0]]["Label"], "degree": top[1]},
}
out = Path(__file__).with_name("import_csv_lesmis.json")
out.write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print(json.dumps(expected, indent=2, ensure_ascii=False))
