"""Identity rules: ids unique per table, claim ids prefixed by their document, no tombstoned id reused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from claimtrack.issues import Issue
from claimtrack.loading import Corpus, Located

ID_TABLES = (
    "documents",
    "claims",
    "sources",
    "agents",
    "topics",
    "historiography",
    "claim_relations",
)


def duplicate_ids(corpus: Corpus) -> Iterator[Issue]:
    for table in ID_TABLES:
        first_seen: dict[str, Located[Any]] = {}
        for located in corpus.records(table):
            record_id = located.record.id
            if record_id in first_seen:
                yield duplicate_id(table, record_id, located, first_seen[record_id])
            else:
                first_seen[record_id] = located


def duplicate_id(table: str, record_id: str, located: Located[Any], first: Located[Any]) -> Issue:
    """DUPLICATE_ID for ``located``, whose id ``first`` defined before (the lines of both are
    looked up only now: that reads their files again)."""
    return Issue(
        located.file,
        located.line_at("/id"),
        None,
        "DUPLICATE_ID",
        f"{table} id {record_id!r} is already defined at {first.file}:{first.line_at('/id')}; "
        "merge the two records or rename one",
        located.root_pointer("/id"),
        record_id,
    )


def claim_id_prefixes(corpus: Corpus) -> Iterator[Issue]:
    for located in corpus.claims:
        claim = located.record
        problem = claim_id_problem(claim.id, claim.document_id)
        if problem is not None:
            yield Issue(
                located.file,
                located.line_at("/id"),
                None,
                "CLAIM_ID_PREFIX",
                problem,
                located.root_pointer("/id"),
                claim.id,
            )


def claim_id_problem(claim_id: str, document_id: str) -> str | None:
    """Why a claim id does not fit its document (``<document id>/<local part>``), or None."""
    if (
        claim_id.startswith(document_id)
        and claim_id[len(document_id) : len(document_id) + 1] == "/"
    ):
        return None
    return f"claim id {claim_id!r} must start with {document_id + '/'!r}, its document's id"


def tombstoned_ids(corpus: Corpus) -> Iterator[Issue]:
    removed = removed_ids(corpus)
    for table in ID_TABLES:
        for located in corpus.records(table):
            if (table, located.record.id) in removed:
                yield tombstoned(table, located.record.id, located)


def removed_ids(corpus: Corpus) -> set[tuple[str, str]]:
    """(table, id) of every tombstone."""
    return {(stone.record.table.value, stone.record.id) for stone in corpus.records("tombstones")}


def tombstoned(table: str, record_id: str, located: Located[Any]) -> Issue:
    """ID_TOMBSTONED for ``located``, whose id ``record_id`` a tombstone removed."""
    return Issue(
        located.file,
        located.line_at("/id"),
        None,
        "ID_TOMBSTONED",
        f"{table} id {record_id!r} was released and removed (see tombstones); choose a new id",
        located.root_pointer("/id"),
        record_id,
    )
