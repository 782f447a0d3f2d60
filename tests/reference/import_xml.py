"""Expected values for the GEXF and GraphML import tests, worked out from
the fixtures with xml.etree (not with Linkscope's rules' code), and the
counts cross-checked with networkx 3.6.1 where networkx reads the file.

    python3 tests/reference/import_xml.py   # writes tests/reference/import_xml.json

Rules mirrored from the mapping (docs/guide.md): a node is an entity named by its
label (GEXF) / yEd label or name/label data (GraphML), else its id; a
repeated node id keeps the first; edges naming unknown nodes are skipped;
an undirected edge has "directed": false; GEXF dates come from start/end or
the first spell's start and the last spell's end; viz:position is (x, -y);
yEd geometry is the node box's centre.
"""

import json
import math
import pathlib
import re
import xml.etree.ElementTree as ET

import networkx as nx

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "import"
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def local(tag):
    return tag.rsplit("}", 1)[-1]


def children(element, name):
    return [child for child in element if local(child.tag) == name]


def descendants(element, name):
    return [child for child in element.iter() if local(child.tag) == name]


def typed(kind, text):
    kind = (kind or "string").lower()
    stripped = text.strip()
    try:
        if kind in ("integer", "int", "long", "short", "byte"):
            return int(stripped)
        if kind in ("float", "double", "bigdecimal"):
            value = float(stripped)
            return value if math.isfinite(value) else text
    except ValueError:
        return text
    if kind == "boolean":
        return {"true": True, "1": True, "yes": True, "false": False, "0": False,
                "no": False}.get(stripped.lower(), text)
    return text


def iso(text, numeric):
    if text is None or numeric:
        return None
    text = text.strip()
    if len(text) > 10 and text[10] in "T ":
        text = text[:10]
    return text if DATE.match(text) and not text.startswith("0000") else None


def gexf(path):
    root = ET.parse(path).getroot()
    graph = children(root, "graph")[0]
    default_directed = graph.get("defaultedgetype", "undirected") != "undirected"
    numeric = (graph.get("timeformat") or "").lower() in ("double", "integer", "float", "long")
    declared = {"node": {}, "edge": {}}
    for attributes in descendants(graph, "attributes"):
        cls = attributes.get("class")
        if cls not in declared:
            continue
        for attribute in children(attributes, "attribute"):
            default = children(attribute, "default")
            declared[cls][attribute.get("id")] = (
                attribute.get("title") or attribute.get("id"),
                attribute.get("type", "string"),
                default[0].text or "" if default else None,
            )

    def values(element, cls):
        props = {}
        kind = None
        for attvalues in children(element, "attvalues"):
            for value in children(attvalues, "attvalue"):
                key = value.get("for") or value.get("id")
                title, vtype, _ = declared[cls].get(key, (key, "string", None))
                v = typed(vtype, value.get("value", ""))
                if any(value.get(t) is not None for t in ("start", "end", "startopen", "endopen", "timestamp")):
                    continue  # dynamic values: lists, not compared here
                props[title] = v
                if cls == "node" and kind is None and title.strip().lower() in ("kind", "type", "category"):
                    kind = str(v).strip() or None
        for title, vtype, default in sorted(declared[cls].values()):
            if default is not None and title not in props:
                props[title] = typed(vtype, default)
                if cls == "node" and kind is None and title.strip().lower() in ("kind", "type", "category"):
                    kind = str(props[title]).strip() or None
        return props, kind

    def dates(element):
        start = element.get("start") or element.get("startopen")
        end = element.get("end") or element.get("endopen")
        spells = [s for ss in children(element, "spells") for s in children(ss, "spell")]
        if spells:
            start = start or spells[0].get("start") or spells[0].get("startopen")
            end = end or spells[-1].get("end") or spells[-1].get("endopen")
        return [iso(start, numeric), iso(end, numeric)]

    names, kinds, props, positions, node_dates = {}, {}, {}, {}, {}
    for node in descendants(graph, "node"):
        nid = (node.get("id") or "").strip()
        if not nid or nid in names:
            continue
        label = node.get("label")
        names[nid] = label if label and label.strip() else nid
        p, kind = values(node, "node")
        props[nid] = p
        kinds[nid] = kind or "other"
        d = dates(node)
        if d != [None, None]:
            node_dates[nid] = d
        for position in children(node, "position"):
            positions[nid] = [float(position.get("x")), -float(position.get("y"))]
    relations, undirected, edge_kinds, edge_dates = 0, 0, {}, {}
    for edge in descendants(graph, "edge"):
        if edge.get("source", "").strip() not in names or edge.get("target", "").strip() not in names:
            continue
        relations += 1
        etype = edge.get("type")
        directed = default_directed if etype is None else etype == "directed"
        undirected += not directed
        kind = edge.get("kind") or edge.get("label") or "related_to"
        edge_kinds[kind.strip()] = edge_kinds.get(kind.strip(), 0) + 1
        d = dates(edge)
        if d != [None, None] and edge.get("id"):
            edge_dates[edge.get("id")] = d
    return {
        "entities": len(names), "relations": relations, "undirected": undirected,
        "names": names, "kinds": kinds, "properties": props, "positions": positions,
        "dates": node_dates, "relation_kinds": edge_kinds, "relation_dates": edge_dates,
    }


def graphml(path):
    root = ET.parse(path).getroot()
    keys = {}
    for key in children(root, "key"):
        default = children(key, "default")
        keys[key.get("id")] = {
            "name": key.get("attr.name") or key.get("id"),
            "type": key.get("attr.type", "string"),
            "for": key.get("for", "all"),
            "default": (default[0].text or "") if default else None,
            "yfiles": key.get("yfiles.type"),
        }
    names, kinds, props, positions = {}, {}, {}, {}
    edges = []

    def walk(graph, directed_default):
        for child in graph:
            tag = local(child.tag)
            if tag == "node":
                nid = child.get("id", "").strip()
                p, label, geometry = {}, None, None
                for data in children(child, "data"):
                    key = keys.get(data.get("key"))
                    if key and key["yfiles"]:
                        if key["yfiles"] == "nodegraphics":
                            for lab in descendants(data, "NodeLabel"):
                                text = "".join(lab.itertext()).strip()
                                if text and label is None:
                                    label = text
                            geos = descendants(data, "Geometry")
                            if geos and geometry is None:
                                g = geos[0]
                                geometry = [float(g.get("x")) + float(g.get("width", 0)) / 2,
                                            float(g.get("y")) + float(g.get("height", 0)) / 2]
                        continue
                    name, vtype = (key["name"], key["type"]) if key else (data.get("key"), "string")
                    p[name] = typed(vtype, "".join(data.itertext()))
                for key in sorted(keys.values(), key=lambda k: k["name"]):
                    if key["for"] in ("node", "all") and key["default"] is not None and key["name"] not in p:
                        p[key["name"]] = typed(key["type"], key["default"])
                for sub in children(child, "graph"):
                    walk(sub, (sub.get("edgedefault") or ("directed" if directed_default else "undirected")) != "undirected")
                if nid and nid not in names:
                    named = next((v for k, v in p.items() if k.lower() in ("name", "label")), None)
                    names[nid] = label or (str(named).strip() if named is not None and str(named).strip() else None) or nid
                    kind = next((v for k, v in p.items() if k.strip().lower() in ("kind", "type", "category")), None)
                    kinds[nid] = str(kind).strip() if kind is not None and str(kind).strip() else "other"
                    props[nid] = p
                    if geometry:
                        positions[nid] = geometry
            elif tag == "edge":
                d = child.get("directed")
                directed = directed_default if d is None else d in ("true", "1")
                edges.append((child.get("source", "").strip(), child.get("target", "").strip(), directed))

    for graph in children(root, "graph"):
        walk(graph, graph.get("edgedefault", "directed") != "undirected")
    kept = [e for e in edges if e[0] in names and e[1] in names]
    return {
        "entities": len(names), "relations": len(kept),
        "undirected": sum(1 for e in kept if not e[2]),
        "names": names, "kinds": kinds, "properties": props, "positions": positions,
    }


def cross_check(path, expected, reader):
    """networkx's own counts, where it reads the file (it adds unknown
    endpoints as nodes, and merges nested graphs like we do)."""
    try:
        g = reader(path)
    except Exception as error:  # noqa: BLE001 - a reference script: say and go on
        return f"networkx could not read it: {error}"
    if g.number_of_nodes() == expected["entities"] and g.number_of_edges() == expected["relations"]:
        return "networkx agrees"
    return f"networkx reads {g.number_of_nodes()} nodes and {g.number_of_edges()} edges"


#: Properties are compared for at most this many nodes a file (the JSON
#: stays small; names, kinds, dates and positions are compared for all).
MAX_PROPERTY_NODES = 150


def main():
    out = {}
    for path in sorted((FIXTURES / "gexf").glob("*.gexf")):
        expected = gexf(path)
        expected["networkx"] = cross_check(path, expected, nx.read_gexf)
        out[f"gexf/{path.name}"] = expected
    for path in sorted((FIXTURES / "graphml").glob("*.graphml")):
        expected = graphml(path)
        expected["networkx"] = cross_check(path, expected, nx.read_graphml)
        out[f"graphml/{path.name}"] = expected
    for expected in out.values():
        kept = list(expected["properties"])[:MAX_PROPERTY_NODES]
        expected["properties"] = {key: expected["properties"][key] for key in kept}
    for name, expected in out.items():
        print(f"{name}: {expected['entities']} entities, {expected['relations']} relations, "
              f"{expected['undirected']} undirected, {len(expected['positions'])} positions; {expected['networkx']}")
    (HERE / "import_xml.json").write_text(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
