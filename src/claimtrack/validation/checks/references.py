"""Reference rules: every id a record points to exists; every source is cited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from claimtrack.issues import Issue
from claimtrack.loading import Corpus, Located
from claimtrack.refs import REFERENCE_FIELDS, iter_references


def _ids(corpus: Corpus, table: str) -> set[str]:
    return {located.record.id for located in corpus.records(table)}


def _references(corpus: Corpus) -> Iterator[tuple[Located[Any], str, str, str]]:
    """Every (record, pointer, table, id) a record of the corpus refers to."""
    for table in REFERENCE_FIELDS:
        for located in corpus.records(table):
            for pointer, target_table, target in iter_references(
                table, located.record.model_dump(by_alias=True)
            ):
                yield located, pointer, target_table, target


def dangling_references(corpus: Corpus) -> Iterator[Issue]:
    known = {
        table: _ids(corpus, table)
        for table in ("documents", "claims", "sources", "agents", "topics")
    }
    for located, pointer, table, target in _references(corpus):
        if target not in known[table]:
            record_id = getattr(located.record, "id", None)
            yield Issue(
                located.file,
                located.line_at(pointer),
                None,
                "UNKNOWN_REFERENCE",
                f"{pointer.lstrip('/')} refers to {table} id {target!r}, which does not exist; "
                f"add it to data/{table}/ or fix the id",
                pointer,
                record_id,
            )


def uncited_sources(corpus: Corpus) -> Iterator[Issue]:
    cited = {target for _, pointer, table, target in _references(corpus) if table == "sources"}
    for located in corpus.records("sources"):
        if located.record.id not in cited:
            yield Issue(
                located.file,
                located.line_at("/id"),
                None,
                "UNCITED_SOURCE",
                f"source {located.record.id!r} is cited by no claim, historiography link or document",
                "/id",
                located.record.id,
            )
