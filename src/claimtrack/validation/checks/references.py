"""Reference rules: every id a record points to exists; every source is cited."""

from __future__ import annotations

import difflib
from collections.abc import Container, Iterable, Iterator
from typing import Any

from claimtrack.issues import Issue
from claimtrack.loading import Corpus, Located

#: Where a record of each table is written, for the hint of an unknown reference.
HOME = {
    "documents": "data/documents/<id>.yaml (`claimtrack new-document`)",
    "claims": "the `claims:` list of data/documents/<document id>.yaml",
    "sources": "data/sources/ (the document's file or common.yaml)",
    "agents": "data/agents/ (the document's file or common.yaml)",
    "topics": "data/topics/ (the document's file or common.yaml)",
}


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known value, or nothing."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_reference_message(pointer: str, table: str, target: str, known: Iterable[str]) -> str:
    return (
        f"{pointer.lstrip('/')} refers to {table} id {target!r}, which does not exist"
        f"{did_you_mean(target, known)}; fix the id, or add the record to {HOME[table]} "
        "(`claimtrack find` lists ids by name)"
    )


def unknown_reference(
    located: Located[Any],
    pointer: str,
    table: str,
    target: str,
    known: Iterable[str],
    record_id: str | None,
) -> Issue:
    """UNKNOWN_REFERENCE for ``target`` at ``pointer`` of ``located``, with the closest ids."""
    return Issue(
        located.file,
        located.line_at(pointer),
        None,
        "UNKNOWN_REFERENCE",
        unknown_reference_message(pointer, table, target, known),
        located.root_pointer(pointer),
        record_id,
    )


def dangling_references(corpus: Corpus) -> Iterator[Issue]:
    known = {table: corpus.ids(table) for table in HOME}
    for located, pointer, table, target in corpus.references():
        if target not in known[table] and not corpus.failed_to_load(table, target):
            record_id = getattr(located.record, "id", None)
            yield unknown_reference(located, pointer, table, target, known[table], record_id)


def cited_sources(corpus: Corpus) -> set[str]:
    """The ids of the sources the records of ``corpus`` cite."""
    return {target for _, _, table, target in corpus.references() if table == "sources"}


def uncited_sources(corpus: Corpus) -> Iterator[Issue]:
    return sources_not_cited(corpus.records("sources"), cited_sources(corpus))


def sources_not_cited(sources: Iterable[Located[Any]], cited: Container[str]) -> Iterator[Issue]:
    """UNCITED_SOURCE for each of ``sources`` whose id is not in ``cited``."""
    for located in sources:
        if located.record.id not in cited:
            yield Issue(
                located.file,
                located.line_at("/id"),
                None,
                "UNCITED_SOURCE",
                f"source {located.record.id!r} is cited by no claim, historiography link or document",
                located.root_pointer("/id"),
                located.record.id,
            )
