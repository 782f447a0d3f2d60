"""Reference answers for the Find tests (tests/integration/search.rs),
computed from the sample with Python's sqlite3 only, not with Linkscope.

Run from the repository root: python3 sample-db/find_reference.py

- A name matches a query when each word's letters appear in it in order,
  case ignored (what a fuzzy match requires, whatever its score).
- A description matches when each word appears in it, case ignored; an
  entity whose name matches is listed with the names only.
- Degree: relations where the entity is subject, plus those where it is
  object.
- A relation cites a phrase when one of its excerpts contains it, case
  ignored.
- Name matches fall into groups, best first: the name is the query, the
  name starts with it, a word of the name (after a character that is not
  a letter or digit) starts with it, the rest; case and accents ignored.
"""

import sqlite3
import unicodedata

db = sqlite3.connect("sample-db/sample.sqlite")


def in_order(query, text):
    letters = iter(text.lower())
    return all(ch in letters for ch in query.lower())


def degree(entity):
    return db.execute(
        "SELECT (SELECT count(*) FROM relations WHERE subject_id = ?1)"
        " + (SELECT count(*) FROM relations WHERE object_id = ?1)",
        (entity,),
    ).fetchone()[0]


for query in ["haqqani", "sergei"]:
    names, descriptions = [], []
    for entity, kind, name, description in db.execute(
        "SELECT id, kind, name, description FROM entities ORDER BY id"
    ):
        row = (name, kind, degree(entity))
        if all(in_order(word, name) for word in query.split()):
            names.append(row)
        elif description and all(
            word.lower() in description.lower() for word in query.split()
        ):
            descriptions.append(row)
    print(f"{query!r} by name: {names}")
    print(f"{query!r} by description only: {descriptions}")

for phrase in ["crocus city hall"]:
    excerpts = db.execute(
        "SELECT count(*) FROM excerpts WHERE instr(lower(text), ?1) > 0", (phrase,)
    ).fetchone()[0]
    relations = db.execute(
        """SELECT r.id, s.name, coalesce(r.label, r.kind), o.name
           FROM relations r
           JOIN entities s ON s.id = r.subject_id
           JOIN entities o ON o.id = r.object_id
           WHERE r.id IN (SELECT l.relation_id FROM relation_excerpts l
                          JOIN excerpts x ON x.id = l.excerpt_id
                          WHERE instr(lower(x.text), ?1) > 0)
           ORDER BY r.id""",
        (phrase,),
    ).fetchall()
    print(f"{phrase!r}: {excerpts} excerpts, relations {relations}")


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def closeness(query, name):
    query, name = " ".join(fold(query).split()), fold(name).strip()
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    starts = [i for i in range(1, len(name)) if not name[i - 1].isalnum() and name[i].isalnum()]
    if any(name.startswith(query, i) for i in starts):
        return 2
    return 3


for query in ["russia", "haqqani", "afghanistan"]:
    groups = [[], [], [], []]
    for (name,) in db.execute("SELECT name FROM entities ORDER BY id"):
        if all(in_order(word, name) for word in query.split()):
            groups[closeness(query, name)].append(name)
    print(f"{query!r} names by closeness (exact, prefix, word start, other): {groups}")
