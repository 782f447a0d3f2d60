"""Expected counts for the FollowTheMoney and STIX import fixtures, worked
out with plain `json` (no Linkscope code): tests/integration/import_json.rs
compares the imported graph files with import_json.json.

Run: python3 tests/reference/import_json.py  (rewrites import_json.json)
"""

import collections
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"

# FollowTheMoney model facts used here (followthemoney/schema/*.yaml).
FTM_EDGES = {"Payment": ("payer", "beneficiary"), "Ownership": ("owner", "asset")}
FTM_ACTOR = {"Person"}
FTM_ORGANIZATION = {"Organization", "Company", "LegalEntity", "PublicBody"}


def ftm(path):
    merged = {}
    for line in path.open(encoding="utf-8"):
        if not line.strip():
            continue
        element = json.loads(line)
        entry = merged.setdefault(element["id"], {"schema": element["schema"], "properties": {}})
        for name, values in element.get("properties", {}).items():
            slot = entry["properties"].setdefault(name, [])
            slot.extend(value for value in values if value not in slot)
    entities = {key: value for key, value in merged.items() if value["schema"] not in FTM_EDGES}
    kinds = collections.Counter()
    for entity in entities.values():
        schema = entity["schema"]
        if schema in FTM_ACTOR:
            kinds["actor"] += 1
        elif schema in FTM_ORGANIZATION:
            kinds["organization"] += 1
        else:
            kinds[schema.lower()] += 1
    payments = 0
    payments_dated = 0
    payment_skipped = 0
    for element in merged.values():
        if element["schema"] != "Payment":
            continue
        payers = [p for p in element["properties"].get("payer", []) if p in entities]
        beneficiaries = [b for b in element["properties"].get("beneficiary", []) if b in entities]
        written = len(payers) * len(beneficiaries)
        payments += written
        if written == 0:
            payment_skipped += 1
        if element["properties"].get("date"):
            payments_dated += written
    address_refs = 0
    address_missing = 0
    for entity in entities.values():
        for target in entity["properties"].get("addressEntity", []):
            if target in entities:
                address_refs += 1
            else:
                address_missing += 1
    return {
        "entities": len(entities),
        "kinds": dict(sorted(kinds.items())),
        "payment_relations": payments,
        "payment_relations_dated": payments_dated,
        "address_entity_relations": address_refs,
        "address_entity_missing": address_missing,
        "relations": payments + address_refs,
        "first_payment_date": next(
            e["properties"]["date"][0] for e in merged.values() if e["schema"] == "Payment"
        ),
    }


STIX_SKIPPED = {"marking-definition", "language-content", "extension-definition", "bundle"}
STIX_EDGES = {"relationship", "sighting"}
STIX_REFERRING = {"report", "grouping", "note", "opinion", "observed-data"}


def stix_kind(obj):
    kind = obj["type"]
    if kind in ("threat-actor", "intrusion-set"):
        return "actor"
    if kind in ("campaign", "incident"):
        return "event"
    if kind == "identity":
        return {"individual": "actor", "organization": "organization", "group": "organization"}.get(
            obj.get("identity_class"), "identity"
        )
    return kind


def stix(path):
    bundle = json.loads(path.read_text(encoding="utf-8"))
    objects = bundle["objects"]
    entities = {}
    for obj in objects:
        if obj["type"] in STIX_SKIPPED or obj["type"] in STIX_EDGES:
            continue
        entities.setdefault(obj["id"], obj)
    edge_ids = {obj["id"] for obj in objects if obj["type"] in STIX_EDGES}
    relation_kinds = collections.Counter()
    documents = set()
    excerpts = 0
    refs_to_edges = 0
    for obj in objects:
        for reference in obj.get("external_references", []):
            documents.add(
                (reference.get("source_name", "external reference"), reference.get("url", ""), reference.get("external_id", ""))
            )
    for obj in objects:
        if obj["type"] == "relationship":
            if obj["source_ref"] in entities and obj["target_ref"] in entities:
                relation_kinds[obj["relationship_type"]] += 1
                excerpts += len(obj.get("external_references", []))
        elif obj["type"] == "sighting":
            targets = obj.get("where_sighted_refs") or obj.get("observed_data_refs") or []
            if obj["sighting_of_ref"] in entities:
                relation_kinds["sighting"] += sum(1 for t in targets if t in entities)
        if obj["id"] in entities:
            created_by = obj.get("created_by_ref")
            if created_by in entities:
                relation_kinds["created_by"] += 1
            elif created_by in edge_ids:
                refs_to_edges += 1
            if obj["type"] in STIX_REFERRING:
                for ref in obj.get("object_refs", []):
                    if ref in entities:
                        relation_kinds["refers_to"] += 1
                    elif ref in edge_ids:
                        refs_to_edges += 1
    kinds = collections.Counter(stix_kind(obj) for obj in entities.values())
    return {
        "entities": len(entities),
        "kinds": dict(sorted(kinds.items())),
        "relations": sum(relation_kinds.values()),
        "relation_kinds": dict(sorted(relation_kinds.items())),
        "documents": len(documents),
        "excerpts": excerpts,
        "refs_to_edges": refs_to_edges,
    }


def main():
    expected = {
        "ftm_donations": ftm(FIXTURES / "ftm" / "donations.ijson"),
        "stix_apt1": stix(FIXTURES / "stix" / "apt1.json"),
        "stix_sighting": stix(FIXTURES / "stix" / "sighting-of-an-indicator.json"),
    }
    out = pathlib.Path(__file__).with_name("import_json.json")
    out.write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(expected, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
