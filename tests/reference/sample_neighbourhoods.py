# Reference k-hop neighbourhoods of the bundled sample, computed by networkx
# (not by Linkscope), for tests/integration/visibility.rs.
#
#   pip install networkx==3.6.1
#   python3 tests/reference/sample_neighbourhoods.py > tests/reference/sample_neighbourhoods.txt
#
# Each line: seed entity id, hops, entities within that many relations of the
# seed (either direction, the seed included), relations with both ends among
# them (parallel relations and self-loops each counted).
import sqlite3

import networkx as nx

db = sqlite3.connect("sample-db/sample.sqlite")
g = nx.MultiDiGraph()
g.add_nodes_from(r[0] for r in db.execute("SELECT id FROM entities"))
g.add_edges_from((s, o) for s, o in db.execute("SELECT subject_id, object_id FROM relations"))
u = g.to_undirected(as_view=True)
print("# seed hops entities relations")
for seed in (1, 2, 22, 25):
    for k in (1, 2, 3):
        nodes = nx.single_source_shortest_path_length(u, seed, cutoff=k)
        print(seed, k, len(nodes), g.subgraph(nodes).number_of_edges())

# Expand and collapse: focus on entity 1 (1 hop), expand entity 2 (show all
# its neighbours), then collapse entity 2 (hide its neighbours that have no
# other neighbour shown; the seed stays). Each line: step, entities shown,
# relations among them, entities the step adds or removes.
print("# step entities relations changed")
focus = set(nx.single_source_shortest_path_length(u, 1, cutoff=1))
expanded = focus | set(u.neighbors(2))
print("expand", len(expanded), g.subgraph(expanded).number_of_edges(), len(expanded - focus))
leaves = {
    m
    for m in u.neighbors(2)
    if m in expanded and m != 1 and all(n == 2 or n not in expanded for n in u.neighbors(m) if n != m)
}
collapsed = expanded - leaves
print("collapse", len(collapsed), g.subgraph(collapsed).number_of_edges(), len(leaves))
