"""A release's rows on disk while it is written: one SQLite file, read back in id order.

The build puts each record here as the checks read it (one annotation file, one registry
file at a time) and writes every release file from it: the tables in id order, the index,
the card's counts, the Web Annotations and the explorer's pages, whose cross-cuts (the
claims of an agent, a source, a topic; the links of a claim or a work; the relations of a
claim) are lookups in a table of references rather than dictionaries of every record. So
the build holds one file's records and SQLite's page cache, whatever the corpus's size.

A claim's research status is derived from every link and research record: it is kept
beside the claims (``research``) and put into each claim row as it is read. Propositions
are derived from the claim relations when the rows are complete (``finish``).
"""

from __future__ import annotations

import itertools
import operator
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from claimtrack.models import Proposition
from claimtrack.models.research import research_state
from claimtrack.propositions import NumberedSets, proposition_records
from claimtrack.vocab import ClaimRelationType

Row = dict[str, Any]

#: Rows are written to SQLite in batches of this many, or of this many bytes if fewer.
BATCH = 5000
BATCH_BYTES = 4 * 2**20
#: SQLite's page cache of each connection, in KiB (a negative cache_size is KiB): of the
#: build's, which fills the store and reads it back in order (200,000 claims were checked
#: and kept in 216 MB with it, 264 MB with 64 MB), and of the explorer's, which look rows
#: up. With 64 MB for the explorer's, `claimtrack site` of a 100,000-claim release peaked
#: at 196 MB, 102 MB with this, in 0.96x the time; the build of those claims 169 against
#: 160 MB, in 1.03x and 0.99x the time; `claimtrack site --jobs 1` of 10,000 claims in
#: 1.00x the time (medians of pairs run in turn: 4; 3 and 4; 5 pairs).
CACHE_KIB = 16 * 1024
#: The store's page size (why: at its pragma in ``RowStore``).
PAGE_SIZE = 65536
#: Ids (or keys) looked up in one query; SQLite takes at most 32,766 parameters a query.
MANY = 500

_SCHEMA = """
CREATE TABLE rows (tbl TEXT NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL,
                   PRIMARY KEY (tbl, id)) WITHOUT ROWID;
CREATE TABLE refs (kind TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL);
CREATE TABLE research (claim_id TEXT PRIMARY KEY, state BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE fingerprints (side TEXT NOT NULL, tbl TEXT NOT NULL, id TEXT NOT NULL,
                           fields BLOB NOT NULL, PRIMARY KEY (side, tbl, id)) WITHOUT ROWID;
CREATE TABLE document_of (claim_id TEXT PRIMARY KEY, document_id TEXT NOT NULL) WITHOUT ROWID;
"""
_CLUSTERS_DROPPED = """
DROP TABLE IF EXISTS temp.same_ends;
DROP TABLE IF EXISTS temp.same_claims;
DROP TABLE IF EXISTS temp.same_roots;
"""
#: Where the propositions' clusters are found (``RowStore._clusters``): the same_proposition
#: relations' ends, the claims they name numbered in id order, each number's root.
_CLUSTERS = (
    _CLUSTERS_DROPPED
    + """
CREATE TEMP TABLE same_ends (a TEXT NOT NULL, b TEXT NOT NULL);
CREATE TEMP TABLE same_claims (k INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
CREATE TEMP TABLE same_roots (root INTEGER NOT NULL, k INTEGER NOT NULL,
                              PRIMARY KEY (root, k)) WITHOUT ROWID;
"""
)
#: Clusters read back together: those whose roots are among this many numbers.
MANY_ROOTS = 5000


def agents_of(claim: Row) -> list[str]:
    """The claimant and every agent of the via chain, each once, in chain order."""
    attribution = claim["attribution"]
    ids = [attribution["claimant_id"], *(hop["agent_id"] for hop in attribution.get("via", []))]
    return list(dict.fromkeys(ids))


def references(table: str, row: Row) -> Iterator[tuple[str, str]]:
    """The (kind, key) pairs a row is found under: ``claims.agent`` and an agent's id, say."""
    if table == "claims":
        yield "claims.document", row["document_id"]
        for agent_id in agents_of(row):
            yield "claims.agent", agent_id
        for source_id in dict.fromkeys(citation["source_id"] for citation in row["citations"]):
            yield "claims.source", source_id
        for topic in dict.fromkeys(row["topics"]):
            yield "claims.topic", topic
    elif table == "historiography":
        yield "historiography.claim", row["claim_id"]
        yield "historiography.work", row["source_id"]
    elif table == "claim_relations":
        for claim_id in dict.fromkeys((row["from_claim_id"], row["to_claim_id"])):
            yield "claim_relations.claim", claim_id
    elif table == "propositions":
        for claim_id in row["claim_ids"]:
            yield "propositions.claim", claim_id


def dump_row(row: Row) -> bytes:
    """The row as stored: its JSON, keys sorted. Copied out of the buffer orjson wrote it
    into, which it returns without shrinking (at least 4 KB for any row, 64 KB for one of
    5 KB): rows held in a batch would hold their buffers."""
    return bytes(memoryview(orjson.dumps(row, option=orjson.OPT_SORT_KEYS)))


class RowStore:
    """Rows by table and id in a SQLite file (``path``; in memory when None).

    Fill it with ``add`` (and ``add_research``), call ``finish`` once, then read. Each row
    is stored once; the references of ``references`` are indexed to find rows by what they
    name. Not safe to share between threads or processes.
    """

    def __init__(self, path: Path | None = None, *, create: bool = True) -> None:
        self.path = path
        self._db = sqlite3.connect(":memory:" if path is None else str(path))
        for pragma in (
            # a claim row (about 3 KB) fits in a page rather than spilling onto overflow
            # pages that every lookup reads again: set before the first table is made
            f"page_size = {PAGE_SIZE}",
            "journal_mode = OFF",  # a scratch file: nothing to recover after a crash
            "synchronous = OFF",
            f"cache_size = -{CACHE_KIB}",
            "temp_store = FILE",
            "locking_mode = EXCLUSIVE",
        ):
            self._db.execute(f"PRAGMA {pragma}")
        if create:
            self._db.executescript(_SCHEMA)
        else:
            self._db.execute("PRAGMA query_only = ON")
        self._rows: list[tuple[str, str, bytes]] = []
        self._refs: list[tuple[str, str, str]] = []
        self._research: list[tuple[str, bytes]] = []
        self._documents: list[tuple[str, str]] = []
        self._pending_bytes = 0
        self._finished = not create
        self.repeated = 0
        """Rows not kept because their table already had their id."""

    def reopen(self) -> RowStore:
        """Another connection to this store's file, to read it (in a forked process: a
        connection is never shared across a fork)."""
        assert self.path is not None and self._finished, "a finished store on disk"
        return RowStore(self.path, create=False)

    def __enter__(self) -> RowStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- filling ---------------------------------------------------------------------------

    def add(self, table: str, row: Row, body: bytes | None = None) -> None:
        """Keep ``row`` of ``table`` (``body``: the row as ``dump_row`` gives it, if known)."""
        assert not self._finished, "rows are added before finish()"
        record_id = row["id"]
        body = dump_row(row) if body is None else body
        self._rows.append((table, record_id, body))
        self._refs.extend((kind, key, record_id) for kind, key in references(table, row))
        if table == "claims":
            self._documents.append((record_id, row["document_id"]))
        self._held(body)

    def add_research(self, claim_id: str, state: Row) -> None:
        """A research record's state for ``claim_id`` (a link on the claim takes precedence)."""
        body = dump_row(state)
        self._research.append((claim_id, body))
        self._held(body)

    def _held(self, body: bytes) -> None:
        """``body`` waits to be written: write the batch once it is full."""
        self._pending_bytes += len(body)
        full = max(len(self._rows), len(self._research)) >= BATCH
        if full or self._pending_bytes >= BATCH_BYTES:
            self._flush()

    def _flush(self) -> None:
        with self._db:
            # a repeated id is kept once; data/ with one has an error and is not released
            inserted = self._db.executemany(
                "INSERT OR IGNORE INTO rows VALUES (?, ?, ?)", self._rows
            )
            self.repeated += len(self._rows) - inserted.rowcount
            self._db.executemany("INSERT INTO refs VALUES (?, ?, ?)", self._refs)
            self._db.executemany("INSERT OR IGNORE INTO research VALUES (?, ?)", self._research)
            self._db.executemany("INSERT OR IGNORE INTO document_of VALUES (?, ?)", self._documents)
        self._rows, self._refs, self._research, self._documents = [], [], [], []
        self._pending_bytes = 0

    def finish(self, derive: bool = True) -> None:
        """Index the references; with ``derive``, give linked claims their research status
        and derive the propositions (a release read back carries both already)."""
        self._flush()
        with self._db:
            self._db.execute("CREATE INDEX refs_key ON refs (kind, key, id)")
        if derive:
            linked = self._db.execute(
                "SELECT key, COUNT(*) FROM refs WHERE kind = 'historiography.claim' "
                "GROUP BY key ORDER BY key"
            )
            states = (  # read as inserted: the links are many
                (claim_id, dump_row(research_state(count).model_dump(mode="json", by_alias=True)))
                for claim_id, count in linked
            )
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO research VALUES (?, ?)", states)
            for record in self._propositions():
                self.add("propositions", record.model_dump(mode="json", by_alias=True))
            self._flush()
        # Let other connections read (a forked worker's): drop the exclusive lock of writing.
        self._db.execute("PRAGMA locking_mode = NORMAL")
        self._db.execute("SELECT COUNT(*) FROM research").fetchone()
        self._finished = True

    def _propositions(self) -> Iterator[Proposition]:
        def links_of(claim_id: str) -> list[str]:
            return self.referring("historiography.claim", claim_id)

        return proposition_records(self._clusters(), links_of, self.document_of)

    def _clusters(self) -> Iterator[list[str]]:
        """What ``propositions.members`` gives of the same_proposition relations' clusters,
        found out of memory: the claims the relations name are numbered in id order, joined
        by a union-find over their numbers (four bytes a claim, ``NumberedSets``), and read
        back a range of roots at a time. The claims' ids held as ``DisjointSets`` took 20 MB
        at a million synthetic claims (184,216 claims in 92,108 clusters)."""
        db = self._db
        db.executescript(_CLUSTERS)
        same = ClaimRelationType.SAME_PROPOSITION.value
        with db:
            db.executemany(
                "INSERT INTO same_ends VALUES (?, ?)",
                (
                    (row["from_claim_id"], row["to_claim_id"])
                    for row in self.rows("claim_relations")
                    if row["relation"] == same
                ),
            )
            db.execute(
                "INSERT INTO same_claims SELECT ROW_NUMBER() OVER (ORDER BY id), id "
                "FROM (SELECT a AS id FROM same_ends UNION SELECT b FROM same_ends)"
            )
        (count,) = db.execute("SELECT COUNT(*) FROM same_claims").fetchone()
        sets = NumberedSets(count)
        numbered = db.execute(
            "SELECT ka.k, kb.k FROM same_ends JOIN same_claims AS ka ON ka.id = a "
            "JOIN same_claims AS kb ON kb.id = b"
        )
        for first, second in numbered:
            sets.union(first, second)
        with db:
            db.executemany(
                "INSERT INTO same_roots VALUES (?, ?)",
                ((sets.find(number), number) for number in range(1, count + 1)),
            )
        del sets
        # a range of roots at a time: no statement is left open while the caller adds rows
        for low in range(0, count, MANY_ROOTS):
            found = db.execute(
                "SELECT r.root, c.id FROM same_roots AS r JOIN same_claims AS c ON c.k = r.k "
                "WHERE r.root > ? AND r.root <= ? ORDER BY r.root, r.k",
                (low, low + MANY_ROOTS),
            ).fetchall()
            for _, cluster in itertools.groupby(found, key=operator.itemgetter(0)):
                yield [claim_id for _, claim_id in cluster]
        db.executescript(_CLUSTERS_DROPPED)

    def add_fingerprints(
        self, side: str, entries: Iterable[tuple[str, str, dict[str, str]]]
    ) -> None:
        """Field hashes of a release's records (``side``: which release), as (table, id,
        fields); a later entry of the same id replaces an earlier one."""
        rows = ((side, table, record_id, dump_row(fields)) for table, record_id, fields in entries)
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?)", rows)

    def compare(
        self, table: str, old: str, new: str
    ) -> tuple[list[str], list[str], Iterator[tuple[str, Row, Row]]]:
        """The ids of ``table`` only in ``new``, only in ``old``, and the (id, old fields,
        new fields) of those in both whose fields differ; each in id order."""
        only = (
            "SELECT id FROM fingerprints AS a WHERE side = ? AND tbl = ? AND NOT EXISTS "
            "(SELECT 1 FROM fingerprints AS b WHERE b.side = ? AND b.tbl = a.tbl AND b.id = a.id) "
            "ORDER BY id"
        )
        added = [record_id for (record_id,) in self._db.execute(only, (new, table, old))]
        removed = [record_id for (record_id,) in self._db.execute(only, (old, table, new))]
        both = self._db.execute(
            "SELECT a.id, a.fields, b.fields FROM fingerprints AS a JOIN fingerprints AS b "
            "ON b.side = ? AND b.tbl = a.tbl AND b.id = a.id "
            "WHERE a.side = ? AND a.tbl = ? AND a.fields != b.fields ORDER BY a.id",
            (new, old, table),
        )
        changed = (
            (record_id, orjson.loads(before), orjson.loads(after))
            for record_id, before, after in both
        )
        return added, removed, changed

    # -- reading ---------------------------------------------------------------------------

    def count(self, table: str) -> int:
        found = self._db.execute("SELECT COUNT(*) FROM rows WHERE tbl = ?", (table,)).fetchone()
        return int(found[0])

    def ids(self, table: str) -> list[str]:
        return list(self.iter_ids(table))

    def iter_ids(self, table: str) -> Iterator[str]:
        """``ids``, read a batch at a time (a million claims' 700,461 links' ids: 50 MB)."""
        cursor = self._db.execute("SELECT id FROM rows WHERE tbl = ? ORDER BY id", (table,))
        while batch := cursor.fetchmany(1000):
            for (record_id,) in batch:
                yield record_id

    def rows(self, table: str) -> Iterator[Row]:
        """The table's rows in id order, read a batch at a time."""
        if table == "claims":
            cursor = self._db.execute(
                "SELECT body, state FROM rows LEFT JOIN research ON claim_id = id "
                "WHERE tbl = 'claims' ORDER BY id"
            )
        else:
            cursor = self._db.execute(
                "SELECT body, NULL FROM rows WHERE tbl = ? ORDER BY id", (table,)
            )
        while batch := cursor.fetchmany(1000):
            for body, state in batch:
                yield _row(body, state)

    def _body(self, table: str, record_id: str) -> bytes | None:
        found = self._db.execute(
            "SELECT body FROM rows WHERE tbl = ? AND id = ?", (table, record_id)
        ).fetchone()
        return None if found is None else bytes(found[0])

    def row(self, table: str, record_id: str) -> Row | None:
        if table != "claims":
            body = self._body(table, record_id)
            return None if body is None else _row(body, None)
        found = self._db.execute(
            "SELECT body, state FROM rows LEFT JOIN research ON claim_id = id "
            "WHERE tbl = 'claims' AND id = ?",
            (record_id,),
        ).fetchone()
        return None if found is None else _row(*found)

    def rows_by_id(self, table: str, ids: Iterable[str]) -> dict[str, Row]:
        """``row`` of each of ``ids`` found, by id, read in a query for each ``MANY`` ids
        (the explorer's pages of a part, say)."""
        join = "LEFT JOIN research ON claim_id = id" if table == "claims" else ""
        state = "state" if table == "claims" else "NULL"
        found: dict[str, Row] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT id, body, {state} FROM rows {join} WHERE tbl = ? AND id IN ({marks})"
            for record_id, body, research in self._db.execute(query, (table, *chunk)):
                found[record_id] = _row(body, research)
        return found

    def related_to_each(self, kind: str, keys: Iterable[str]) -> dict[str, list[Row]]:
        """``related`` of each of ``keys``, by key (an empty list for a key with none), read
        in a query for each ``MANY`` keys (the links of a document's claims, say)."""
        found: dict[str, list[Row]] = {key: [] for key in keys}
        for chunk in _chunks(list(found)):
            marks = ",".join("?" * len(chunk))
            cursor = self._db.execute(
                "SELECT key, body, state FROM refs JOIN rows ON tbl = ? AND rows.id = refs.id "
                "LEFT JOIN research ON claim_id = refs.id "
                f"WHERE kind = ? AND key IN ({marks}) ORDER BY key, refs.id",
                (kind.split(".")[0], kind, *chunk),
            )
            for key, body, state in cursor:
                found[key].append(_row(body, state))
        return found

    def document_of(self, claim_id: str) -> str | None:
        """The document of a claim; None for an id that is no claim."""
        query = "SELECT document_id FROM document_of WHERE claim_id = ?"
        found = self._db.execute(query, (claim_id,)).fetchone()
        return None if found is None else str(found[0])

    def referring(self, kind: str, key: str) -> list[str]:
        """The ids of the rows found under ``kind`` and ``key``, in id order."""
        query = "SELECT id FROM refs WHERE kind = ? AND key = ? ORDER BY id"
        return [record_id for (record_id,) in self._db.execute(query, (kind, key))]

    def related(self, kind: str, key: str) -> list[Row]:
        """The rows found under ``kind`` (``<table>.<what>``) and ``key``, in id order."""
        return list(self.iter_related(kind, key))

    def iter_related(self, kind: str, key: str) -> Iterator[Row]:
        """``related``, read a batch at a time (for the many claims of one agent, say)."""
        cursor = self._db.execute(
            "SELECT body, state FROM refs JOIN rows ON tbl = ? AND rows.id = refs.id "
            "LEFT JOIN research ON claim_id = refs.id "
            "WHERE kind = ? AND key = ? ORDER BY refs.id",
            (kind.split(".")[0], kind, key),
        )
        while batch := cursor.fetchmany(1000):
            for body, state in batch:
                yield _row(body, state)

    def count_related(self, kind: str, key: str) -> int:
        query = "SELECT COUNT(*) FROM refs WHERE kind = ? AND key = ?"
        return int(self._db.execute(query, (kind, key)).fetchone()[0])

    def keys(self, kind: str) -> list[tuple[str, int]]:
        """Every key of ``kind`` and how many rows are found under it, in key order."""
        query = "SELECT key, COUNT(*) FROM refs WHERE kind = ? GROUP BY key ORDER BY key"
        return [(key, int(count)) for key, count in self._db.execute(query, (kind,))]

    def query(self, sql: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """A read-only query over ``rows``, ``refs`` and ``research`` (for counts)."""
        return list(self._db.execute(sql, tuple(parameters)))


def _chunks(items: list[str]) -> Iterator[list[str]]:
    """``items`` in lists of at most ``MANY`` (the parameters of one query)."""
    for start in range(0, len(items), MANY):
        yield items[start : start + MANY]


def _row(body: bytes, state: bytes | None) -> Row:
    row: Row = orjson.loads(body)
    if state is not None:
        row["research"] = orjson.loads(state)
    return row
