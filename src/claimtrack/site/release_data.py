"""Read a release folder's JSONL tables into id-keyed indexes the site pages are built from."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
from collections.abc import Iterable, Iterator
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from claimtrack.release.layout import jsonl_paths
from claimtrack.release.manifest import read_head
from claimtrack.release.store import RowStore

Row = dict[str, Any]
TABLES = (
    "documents",
    "claims",
    "agents",
    "sources",
    "topics",
    "historiography",
    "claim_relations",
    "propositions",
)
#: Relations of a scholarly work that put a claim in question: the claim gets a marker.
CONTESTING = frozenset({"contradicts", "qualifies"})


def contesting(links: Iterable[Row]) -> bool:
    """Whether any of a claim's historiography links contradicts or qualifies it."""
    return any(link["relation"] in CONTESTING for link in links)


class SiteError(Exception):
    """A release folder the site cannot be generated from; the message says what to do."""


def read_jsonl(path: Path) -> Iterator[Row]:
    """The records of a JSONL file, read as iterated."""
    if not path.is_file():
        raise SiteError(
            f"{path}: missing; give a release folder written by `claimtrack build` (it has jsonl/)"
        )
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                raise SiteError(
                    f"{path}:{number}: not JSON ({error}); rebuild the release"
                ) from None
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise SiteError(f"{path}:{number}: not a record with an id; rebuild the release")
            yield row


class RowCache:
    """The rows of the ``CACHED`` tables looked up last (documents without their text),
    read through ``store``."""

    def __init__(self, store: RowStore) -> None:
        self.store = store
        self.row = functools.lru_cache(maxsize=CACHED_ROWS)(self._read)

    def _read(self, table: str, record_id: str) -> Row | None:
        row = self.store.row(table, record_id)
        if row is not None and table == "documents":
            del row["text"]
        return row


@dataclass
class Near:
    """What ``ReleaseData.near`` has at hand: claim rows by id, and the links, relations and
    propositions of some claims by claim id."""

    claims: dict[str, Row]
    links: dict[str, list[Row]]
    relations: dict[str, list[Row]]
    propositions: dict[str, list[Row]]


class ReleaseData:
    """A release's rows, held in a ``RowStore``, and the lookups the pages are built from.

    Every row is read from the store as a page needs it; of the registries and the
    documents (without their text), the ``CACHED_ROWS`` rows looked up most recently are
    kept, since a document's pages name the same agents, sources and topics many times
    over. Held whole: the ids of the documents each agent is an author of (2 MB at a
    million claims).
    """

    def __init__(self, version: str, store: RowStore) -> None:
        self.version = version
        self.store = store
        self.owner = os.getpid()
        """The process whose connection ``store`` is (a forked worker opens its own)."""
        self._cache = RowCache(store)
        self._near: Near | None = None
        self._authored: dict[str, list[str]] = {}
        for document in self.documents():
            for author in document["author_ids"]:
                self._authored.setdefault(author, []).append(document["id"])

    def through(self, store: RowStore) -> ReleaseData:
        """The same lookups, reading through ``store`` (a worker's own connection to the
        same rows, one for each part it writes) in this process. The cache is this
        process's: it reads through ``store`` from now on and keeps its rows from one part
        to the next. (The build's user time at 100,000 claims, against holding the
        registries whole: 1.09x with a new cache for each part, 1.05x with one a process;
        medians of 3 runs each.)"""
        data = copy(self)
        data.store = store
        data.owner = os.getpid()
        self._cache.store = store
        return data

    def rows(self, table: str) -> Iterator[Row]:
        """A table's rows in id order (the documents with their text)."""
        return self.store.rows(table)

    def count(self, table: str) -> int:
        return self.store.count(table)

    def documents(self) -> Iterator[Row]:
        """The documents, in id order, without their text, read as iterated."""
        for document in self.store.rows("documents"):
            del document["text"]
            yield document

    def row(self, table: str, record_id: str) -> Row | None:
        """One row by id (a document without its text)."""
        if table in CACHED:
            return self._cache.row(table, record_id)
        if table == "claims" and self._near is not None and record_id in self._near.claims:
            return self._near.claims[record_id]
        return self.store.row(table, record_id)

    @contextlib.contextmanager
    def near(self, claims: list[Row], named: Iterable[str] = ()) -> Iterator[None]:
        """Within it, the links, relations and proposition of each of ``claims`` (rows) and
        the rows of the claims those name, or ``named`` names, are at hand: read in a few
        queries rather than a few for each claim (a document's claims and their panels).
        Nothing else changes: a lookup of anything else reads the store, as outside."""
        store, ids = self.store, [claim["id"] for claim in claims]
        near = Near(
            claims={claim["id"]: claim for claim in claims},
            links=store.related_to_each("historiography.claim", ids),
            relations=store.related_to_each("claim_relations.claim", ids),
            propositions=store.related_to_each("propositions.claim", ids),
        )
        ends = (
            end
            for relations in near.relations.values()
            for relation in relations
            for end in (relation["from_claim_id"], relation["to_claim_id"])
        )
        members = (
            member
            for propositions in near.propositions.values()
            for proposition in propositions
            for member in proposition["claim_ids"]
        )
        wanted = [
            claim_id
            for claim_id in itertools.chain(named, ends, members)
            if claim_id not in near.claims
        ]
        near.claims.update(store.rows_by_id("claims", wanted))
        outer, self._near = self._near, near
        try:
            yield
        finally:
            self._near = outer

    def authored(self, agent_id: str) -> list[Row]:
        """The documents (without their text) an agent is an author of, in id order."""
        documents = (
            self.row("documents", document_id) for document_id in self._authored.get(agent_id, ())
        )
        return [document for document in documents if document is not None]

    def claims_of(self, document_id: str) -> list[Row]:
        return self.store.related("claims.document", document_id)

    def claims_naming(self, table: str, record_id: str) -> Iterator[Row]:
        """The claims attributed to (``agents``), citing (``sources``) or on (``topics``) a
        record, read as iterated (an agent may have many)."""
        return self.store.iter_related(f"claims.{CLAIM_KEYS[table]}", record_id)

    def count_claims_naming(self, table: str, record_id: str) -> int:
        return self.store.count_related(f"claims.{CLAIM_KEYS[table]}", record_id)

    def links_of(self, claim_id: str) -> list[Row]:
        if self._near is not None and claim_id in self._near.links:
            return self._near.links[claim_id]
        return self.store.related("historiography.claim", claim_id)

    def links_on_work(self, source_id: str) -> list[Row]:
        return self.store.related("historiography.work", source_id)

    def works(self) -> list[tuple[str, int]]:
        """Every scholarly work a link names, and how many links name it, in id order."""
        return self.store.keys("historiography.work")

    def relations_of(self, claim_id: str) -> list[Row]:
        if self._near is not None and claim_id in self._near.relations:
            return self._near.relations[claim_id]
        return self.store.related("claim_relations.claim", claim_id)

    def proposition_of(self, claim_id: str) -> Row | None:
        if self._near is not None and claim_id in self._near.propositions:
            found = self._near.propositions[claim_id]
        else:
            found = self.store.related("propositions.claim", claim_id)
        return found[0] if found else None

    def contested(self, claim_id: str) -> bool:
        return contesting(self.links_of(claim_id))


#: Tables whose rows ``ReleaseData`` caches, and how many rows it keeps (those used last,
#: in each process): at a million claims (15,158 agents, 2,000 sources, 13,158
#: documents), a ``ReleaseData`` made 66 MB of a process resident when it held them whole,
#: 32 MB now (most of it SQLite's page cache, after the documents are read once).
CACHED = frozenset({"agents", "sources", "topics", "documents"})
CACHED_ROWS = 4096
#: What a claim names of each table, as ``RowStore.references`` keys it.
CLAIM_KEYS = {"agents": "agent", "sources": "source", "topics": "topic"}


def load_release(release: Path, store: RowStore) -> ReleaseData:
    """Read every table's JSONL (one file, or its shards) into ``store``; raise SiteError
    naming the file for anything unreadable."""
    version = _release_version(release)
    for table in TABLES:
        paths = jsonl_paths(release, table) or [release / "jsonl" / f"{table}.jsonl"]
        for path in paths:
            for row in read_jsonl(path):
                store.add(table, row)
    store.finish(derive=False)  # a release carries its research states and propositions
    if store.repeated:
        raise SiteError(
            f"{release}: {store.repeated} record(s) repeat an id of their table; rebuild the release"
        )
    return ReleaseData(version, store)


def _release_version(release: Path) -> str:
    if not release.is_dir():
        raise SiteError(
            f"{release}: no such folder; give a release folder such as dist/claimtrack-<version>"
        )
    manifest_path = release / "manifest.json"
    try:
        version = str(read_head(manifest_path)["version"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        raise SiteError(
            f"{manifest_path}: missing or unreadable; give a release folder written by `claimtrack build`"
        ) from None
    return version


def release_data(version: str, rows: dict[str, list[Row]]) -> ReleaseData:
    """The site's data over a release's rows given whole (in a store in memory; other tables
    are ignored): for tests and small releases."""
    store = RowStore()
    for table in TABLES:
        for row in {row["id"]: row for row in rows.get(table, [])}.values():
            store.add(table, row)
    store.finish(derive=False)
    return ReleaseData(version, store)
