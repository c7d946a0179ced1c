"""Find any record by id, in a release folder or in the data/ of a checkout, for `cite`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from claimtrack.loading import Corpus
from claimtrack.models import ReleaseInfo

#: Where a bare id is looked for, in this order: a proposition's id is the smallest id of its
#: claims, so a bare claim id cites the claim and ``claimtrack:propositions/<id>`` the cluster.
CITABLE_TABLES = (
    "claims",
    "documents",
    "sources",
    "agents",
    "historiography",
    "claim_relations",
    "topics",
    "propositions",
)
RELEASE_IDS = ("release", "claimtrack")


class CiteError(Exception):
    """An id that cannot be cited: unknown (the message suggests the closest ids), or removed
    (the message names its replacement)."""


class RecordLookup(Protocol):
    """Rows (JSON-ready dicts, as released) of one release, by table and id."""

    @property
    def info(self) -> ReleaseInfo: ...

    def row(self, table: str, record_id: str) -> dict[str, Any] | None: ...

    def ids(self, table: str) -> list[str]: ...


class CorpusLookup:
    """The records of a loaded data/ folder, dumped as the release writes them."""

    def __init__(self, corpus: Corpus) -> None:
        assert corpus.release is not None
        self._corpus = corpus
        self._info = corpus.release
        self._tables: dict[str, dict[str, dict[str, Any]]] = {}

    @property
    def info(self) -> ReleaseInfo:
        return self._info

    def _table(self, table: str) -> dict[str, dict[str, Any]]:
        if table not in self._tables:
            self._tables[table] = {
                located.record.id: located.record.model_dump(mode="json", by_alias=True)
                for located in self._corpus.records(table)
            }
        return self._tables[table]

    def row(self, table: str, record_id: str) -> dict[str, Any] | None:
        return self._table(table).get(record_id)

    def ids(self, table: str) -> list[str]:
        return sorted(self._table(table))


@dataclass(frozen=True)
class Found:
    table: str
    row: dict[str, Any]
    also_in: tuple[str, ...] = ()
    """Other tables holding the same bare id (cite them by their persistent id)."""


def _split_persistent(text: str) -> tuple[str | None, str]:
    """``claimtrack:claims/a/b`` -> (``claims``, ``a/b``); a bare id -> (None, id)."""
    if text.startswith("claimtrack:") and "/" in text:
        table, _, record_id = text.removeprefix("claimtrack:").partition("/")
        return table, record_id
    return None, text


def suggestions(candidates: Iterable[str], wanted: str, count: int = 5) -> list[str]:
    return difflib.get_close_matches(wanted, list(candidates), n=count, cutoff=0.5)


def find(lookup: RecordLookup, text: str) -> Found:
    """The record a bare or persistent id names; CiteError if removed or unknown."""
    table, record_id = _split_persistent(text)
    tables = CITABLE_TABLES if table is None else (table,)
    if table is not None and table not in CITABLE_TABLES:
        raise CiteError(
            f"{text}: no table {table!r}; persistent ids are claimtrack:<table>/<id> with a table "
            f"of {', '.join(CITABLE_TABLES)}"
        )
    hits = [(name, row) for name in tables if (row := lookup.row(name, record_id)) is not None]
    if hits:
        return Found(hits[0][0], hits[0][1], tuple(name for name, _ in hits[1:]))
    stone = lookup.row("tombstones", record_id)
    if stone is not None:
        replacement = f"; cite {stone['replaced_by']} instead" if stone.get("replaced_by") else ""
        raise CiteError(
            f"{record_id} was removed in release {stone['release']} ({stone['reason']}){replacement}"
        )
    every_id = [record for name in tables for record in lookup.ids(name)]
    close = suggestions(every_id, record_id)
    hint = f"; closest ids: {', '.join(close)}" if close else ""
    raise CiteError(
        f"{text} is not an id of {lookup.info.pretty_name} {lookup.info.version} "
        f"(nor `release` for the whole dataset){hint}"
    )
