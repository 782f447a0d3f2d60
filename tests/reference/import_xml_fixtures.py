"""Writes the networkx-made GEXF and GraphML fixtures of the XML import
tests (tests/fixtures/import/{gexf,graphml}/networkx_*), with networkx
3.6.1. Run once; the files are committed.

    python3 tests/reference/import_xml_fixtures.py
"""

import pathlib

import networkx as nx

ROOT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "import"


def dynamic_gexf():
    """A directed multigraph with date spells, viz looks and typed values."""
    g = nx.MultiDiGraph()
    g.add_node("a", label="Alice Archer", kind="actor", age=34, score=0.5, active=True,
               viz={"position": {"x": 10.0, "y": 20.0, "z": 0.0},
                    "color": {"r": 255, "g": 0, "b": 16, "a": 1.0}, "size": 12.5},
               spells=[("2001-01-01", "2003-06-30"), ("2005-01-01", "2007-12-31")])
    g.add_node("b", label="Bureau of Records", kind="organization", age=90, score=1.25,
               active=False, viz={"position": {"x": -30.5, "y": 4.0, "z": 0.0}},
               start="1999-05-01", end="2010-01-01")
    g.add_node("c", label="Carol", kind="actor", age=41, score=2.0, active=True,
               viz={"position": {"x": 0.0, "y": -15.0, "z": 0.0}})
    g.add_edge("a", "b", key="e1", label="works for", weight=2.0, since=2001)
    g.add_edge("a", "b", key="e2", label="audits", weight=1.0, since=2004)
    g.add_edge("c", "a", key="e3", weight=0.5, since=2008,
               spells=[("2008-01-01", "2009-01-01")])
    nx.write_gexf(g, ROOT / "gexf" / "networkx_dynamic_1.2draft.gexf", version="1.2draft")


def numeric_times_gexf():
    """An undirected graph whose times are numbers (timeformat double)."""
    g = nx.Graph()
    g.add_node(1, label="one", start=1.5, end=3.0)
    g.add_node(2, label="two", start=2.0)
    g.add_node(3, label="three")
    g.add_edge(1, 2, weight=3)
    g.add_edge(2, 3, weight=4)
    nx.write_gexf(g, ROOT / "gexf" / "networkx_numeric_times_1.1draft.gexf", version="1.1draft")


def typed_graphml():
    """An undirected graph with every GraphML value type, and a multigraph."""
    g = nx.Graph()
    g.add_node("n0", name="North", population=1200, area=3.5, coastal=True, type="organization")
    g.add_node("n1", name="South", population=80, area=0.25, coastal=False)
    g.add_node("n2", population=7)
    g.add_edge("n0", "n1", weight=1.5, label="borders")
    g.add_edge("n1", "n2", weight=2.5)
    nx.write_graphml(g, ROOT / "graphml" / "networkx_typed.graphml")
    m = nx.MultiDiGraph()
    m.add_edge("x", "y", key="k1", relation="owns", amount=10)
    m.add_edge("x", "y", key="k2", relation="funds", amount=20)
    m.add_edge("y", "x", key="k3", relation="owns", amount=5)
    nx.write_graphml(m, ROOT / "graphml" / "networkx_multidigraph.graphml")


if __name__ == "__main__":
    dynamic_gexf()
    numeric_times_gexf()
    typed_graphml()
