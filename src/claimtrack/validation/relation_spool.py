"""The claim relations' ends, spooled to a SQLite file as their files are read, for the
relation rules of `claimtrack validate` over all of data/.

The rules are those of ``checks.relations.relation_problems``, with what they hold kept out
of memory: the relations are read back in id order, a repeated pair is found by SQL (the
first of its pair, in id order, by a window function), and the clusters of same_proposition
relations are a union-find over numbers given to the claims the relations name, four bytes
a claim. So checking a million claims' relations holds a few megabytes, not the relations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from claimtrack.issues import Issue
from claimtrack.propositions import NumberedSets
from claimtrack.scratch import scratch_database
from claimtrack.validation.checks.relations import (
    SYMMETRIC,
    conflict_problem,
    cycle_problem,
    repeat_problem,
)
from claimtrack.vocab import ClaimRelationType


class Ends(NamedTuple):
    """A relation as the relation rules read it, and where it stands."""

    id: str
    relation: ClaimRelationType
    from_claim_id: str
    to_claim_id: str
    file: int
    place: int


#: (the relation, a JSON pointer in its record) -> (its file as shown, the pointer's line).
Place = Callable[[Ends, str], tuple[str, "int | None"]]

_SCHEMA = """
CREATE TABLE ends (id TEXT NOT NULL, relation TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
                   file INTEGER NOT NULL, place INTEGER NOT NULL);
CREATE TABLE claims (k INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
"""

#: Every relation in id order (then in the order read), the claims' numbers, and the first
#: relation (in that order) of the same type between the same claims (either way round for
#: a symmetric type).
_IN_ORDER = """
SELECT e.id, e.relation, e.a, e.b, e.file, e.place, ka.k, kb.k, e.first_n, e.first_id, e.n
FROM (
    SELECT *, FIRST_VALUE(n) OVER pair AS first_n, FIRST_VALUE(id) OVER pair AS first_id
    FROM (
        SELECT n, id, relation, a, b, file, place,
               CASE WHEN symmetric AND b < a THEN b ELSE a END AS low,
               CASE WHEN symmetric AND b < a THEN a ELSE b END AS high
        FROM (SELECT rowid AS n, *, relation IN ({symmetric}) AS symmetric FROM ends)
    )
    WINDOW pair AS (PARTITION BY relation, low, high ORDER BY id, n)
) AS e
JOIN claims AS ka ON ka.id = e.a JOIN claims AS kb ON kb.id = e.b
ORDER BY e.id, e.n
"""


class RelationSpool:
    def __init__(self, path: Path) -> None:
        self._db = scratch_database(path, _SCHEMA)
        self._db.execute("BEGIN")
        self.count = 0

    def add(self, relations: Iterable[Ends]) -> None:
        rows = [
            (e.id, e.relation.value, e.from_claim_id, e.to_claim_id, e.file, e.place)
            for e in relations
        ]
        self._db.executemany("INSERT INTO ends VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.count += len(rows)

    def close(self) -> None:
        self._db.close()

    def place_of(self, relation_id: str) -> int:
        """The place in its file of the last relation (in id order) of this id."""
        (place,) = self._db.execute(
            "SELECT place FROM ends WHERE id = ? ORDER BY rowid DESC LIMIT 1", (relation_id,)
        ).fetchone()
        return int(place)

    def problems(self, place: Place) -> Iterator[Issue]:
        """What ``relation_problems`` finds over the relations in id order, in its order;
        ``place`` finds a reported relation's file and lines."""
        db = self._db
        db.execute("INSERT OR IGNORE INTO claims (id) SELECT a FROM ends")
        db.execute("INSERT OR IGNORE INTO claims (id) SELECT b FROM ends")
        db.execute("CREATE INDEX ends_id ON ends (id)")
        db.execute("COMMIT")
        (claims,) = db.execute("SELECT COALESCE(MAX(k), 0) FROM claims").fetchone()
        sets = NumberedSets(claims)
        symmetric = ", ".join(f"'{relation.value}'" for relation in sorted(SYMMETRIC))
        same = ClaimRelationType.SAME_PROPOSITION
        rows = db.execute(_IN_ORDER.format(symmetric=symmetric))
        for relation_id, relation, a, b, file, place_, ka, kb, first_n, first_id, n in rows:
            ends = Ends(relation_id, ClaimRelationType(relation), a, b, file, place_)
            if first_n != n:
                yield repeat_problem(relation_id, first_id, ends.relation, *place(ends, "/id"))
                continue
            if ends.relation is same and not sets.union(ka, kb):
                yield cycle_problem(relation_id, *place(ends, "/id"))
        contradictions = db.execute(
            "SELECT e.id, e.relation, e.a, e.b, e.file, e.place, ka.k, kb.k FROM ends AS e "
            "JOIN claims AS ka ON ka.id = e.a JOIN claims AS kb ON kb.id = e.b "
            "WHERE e.relation = ? ORDER BY e.id, e.rowid",
            (ClaimRelationType.CONTRADICTS.value,),
        )
        for relation_id, relation, a, b, file, place_, ka, kb in contradictions:
            if sets.find(ka) == sets.find(kb):
                ends = Ends(relation_id, ClaimRelationType(relation), a, b, file, place_)
                yield conflict_problem(relation_id, *place(ends, "/relation"))
