"""Writes a graph file made of many small components, for the user guide's packing picture (docs/guide.md):
one component of 300 entities (a ring with chords), 150 pairs, 100 triangles, 20 stars of 5
and 40 isolated entities. Usage: python3 scripts/components-graph.py OUT.sqlite"""

import sqlite3
import sys

out = sys.argv[1]
db = sqlite3.connect(out)
db.executescript("""
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
""")
kinds = ["actor", "organization", "event"]
entities, relations = [], []


def entity():
    i = len(entities) + 1
    kind = kinds[i % 3]
    entities.append((i, kind, f"{kind.title()} {i}"))
    return i


def relate(a, b):
    relations.append((len(relations) + 1, a, b, "linked_to", "is linked to"))


ring = [entity() for _ in range(300)]
for k, a in enumerate(ring):
    relate(a, ring[(k + 1) % 300])
    relate(a, ring[(k * 7 + 3) % 300])
for _ in range(150):
    relate(entity(), entity())
for _ in range(100):
    a, b, c = entity(), entity(), entity()
    relate(a, b), relate(b, c), relate(c, a)
for _ in range(20):
    hub = entity()
    for _ in range(4):
        relate(hub, entity())
for _ in range(40):
    entity()
db.executemany("INSERT INTO entities (id, kind, name) VALUES (?, ?, ?)", entities)
db.executemany("INSERT INTO relations (id, subject_id, object_id, kind, label) VALUES (?, ?, ?, ?, ?)", relations)
db.commit()
print(f"wrote {out}: {len(entities)} entities, {len(relations)} relations")
