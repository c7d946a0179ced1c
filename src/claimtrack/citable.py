"""What a cited record is: its title (saying what kind of record it is), persistent id, URL and
CSL-JSON item; a source is the work itself, with the dataset only as where it was found."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claimtrack.csl import csl_date, source_to_csl
from claimtrack.home import dataset_url, persistent_id, record_url
from claimtrack.lookup import Found, RecordLookup
from claimtrack.models import ReleaseInfo, Source

#: A title as segments; a protected one (an id, a product name) keeps its case in every style.
Segment = tuple[str, bool]


@dataclass(frozen=True)
class Citable:
    table: str
    """The record's table, or ``release`` for the dataset as a whole."""
    record_id: str
    persistent_id: str
    title: tuple[Segment, ...]
    url: str | None
    csl: dict[str, Any]
    issued: str | None
    """EDTF date: the work's for a source, the release date for a dataset record."""
    container: tuple[Segment, ...] | None = None
    """The dataset and version a record belongs to (None for the release and for sources)."""
    version: str | None = None
    """The release version a record belongs to (None for the release and for sources)."""
    details: tuple[str, ...] = field(default=())
    """Lines for the text output: what the record holds, in brief."""

    @property
    def plain_title(self) -> str:
        return "".join(text for text, _ in self.title)


def csl_markup(segments: Sequence[Segment]) -> str:
    """CSL-JSON rich text: protected segments in ``<span class="nocase">`` (no case change)."""
    return "".join(
        f'<span class="nocase">{html.escape(text, quote=False)}</span>'
        if protected
        else html.escape(text, quote=False)
        for text, protected in segments
    )


def dataset_authors(info: ReleaseInfo) -> list[dict[str, str]]:
    return [
        {"literal": author.name}
        if author.name
        else {"family": author.family or "", "given": author.given or ""}
        for author in info.authors
    ]


def container(info: ReleaseInfo) -> tuple[Segment, ...]:
    """The dataset and version a record belongs to, protected whole: title-casing styles would
    otherwise print "Claimtrack, Version 0.1.0"."""
    return ((f"{info.pretty_name}, version {info.version}", True),)


def _record_title(lookup: RecordLookup, table: str, row: dict[str, Any]) -> list[Segment]:
    pid = persistent_id(table, row["id"])
    # the colon after an id goes inside its protected segment: citeproc-py puts a space
    # between a protected segment and punctuation that follows it
    labelled = (pid + ":", True)
    if table == "claims":
        document = lookup.row("documents", row["document_id"])
        document_title = document["title"] if document else row["document_id"]
        return [("Claim ", False), (pid, True), (f" in “{document_title}”", False)]
    if table == "documents":
        return [("Annotated document ", False), labelled, (f" “{row['title']}”", False)]
    if table == "agents":
        return [("Agent ", False), labelled, (f" {row['name']}", False)]
    if table == "topics":
        return [("Topic ", False), labelled, (f" {row['label']}", False)]
    if table == "historiography":
        source = lookup.row("sources", row["source_id"])
        work = f"“{source['title']}”" if source else row["source_id"]
        return [
            ("Historiography link ", False),
            labelled,
            (f" {work} {row['relation']} claim ", False),
            (row["claim_id"], True),
        ]
    if table == "claim_relations":
        return [
            ("Claim relation ", False),
            labelled,
            (" ", False),
            (row["from_claim_id"], True),
            (f" {row['relation'].replace('_', ' ')} ", False),
            (row["to_claim_id"], True),
        ]
    documents = len(row["document_ids"])
    return [
        ("Proposition ", False),
        labelled,
        (
            f" {len(row['claim_ids'])} claims in {documents} document"
            + ("s" if documents != 1 else ""),
            False,
        ),
    ]


def _details(table: str, row: dict[str, Any]) -> tuple[str, ...]:
    if table == "claims":
        span = row["span"]
        return (
            f"Statement: {row['statement']}",
            f"Quote (characters {span['start']}-{span['end']} of document {row['document_id']}): "
            f"“{span['exact']}”",
        )
    if table == "historiography":
        return (f"Summary: {row['summary']}",)
    if table == "propositions":
        return (f"Claims: {', '.join(row['claim_ids'])}",)
    return ()


def release_citable(info: ReleaseInfo) -> Citable:
    """The dataset as a whole. Its version is part of the title: Chicago and Vancouver print
    no CSL ``version``, and a citation of a dataset without its version is not exact."""
    url = dataset_url(info)
    name_first = info.title.startswith(info.pretty_name)
    title: tuple[Segment, ...] = (
        ((info.pretty_name, True), (info.title.removeprefix(info.pretty_name), False))
        if name_first
        else ((info.title, False),)
    ) + ((f" (version {info.version})", False),)
    csl: dict[str, Any] = {
        "id": info.pretty_name,
        "type": "dataset",
        "title": csl_markup(title),
        "author": dataset_authors(info),
        "issued": csl_date(info.date_released),
    }
    if url:
        csl["URL"] = url
    if info.doi:
        csl["DOI"] = info.doi
    return Citable(
        "release", info.pretty_name, info.pretty_name, title, url, csl, info.date_released
    )


def source_citable(info: ReleaseInfo, row: dict[str, Any]) -> Citable:
    """The work itself: its own authors, date and publisher; claimtrack only as where it was found."""
    source = Source.model_validate(row)
    pid = persistent_id("sources", source.id)
    csl = source_to_csl(source)
    csl["id"] = pid
    found = f"Found in {info.pretty_name}, version {info.version}, as {pid}"
    url = record_url(info, "sources", source.id)
    csl["note"] = found + (f" ({url})" if url else "") + "."
    details = (f"{found}.",) + ((f"Record: {url}",) if url else ())
    own_url = source.URL or (f"https://doi.org/{source.DOI}" if source.DOI else None)
    return Citable(
        "sources",
        source.id,
        pid,
        ((source.title, False),),
        own_url,
        csl,
        source.issued,
        details=details,
    )


def record_citable(lookup: RecordLookup, found: Found) -> Citable:
    info = lookup.info
    if found.table == "sources":
        return source_citable(info, found.row)
    record_id = found.row["id"]
    pid = persistent_id(found.table, record_id)
    title = tuple(_record_title(lookup, found.table, found.row))
    url = record_url(info, found.table, record_id)
    csl: dict[str, Any] = {
        "id": pid,
        "type": "dataset",
        "title": csl_markup(title),
        "author": dataset_authors(info),
        "issued": csl_date(info.date_released),
        "container-title": csl_markup(container(info)),
        "note": f"Persistent id: {pid}.",
    }
    if url:
        csl["URL"] = url
    return Citable(
        found.table,
        record_id,
        pid,
        title,
        url,
        csl,
        info.date_released,
        container(info),
        info.version,
        _details(found.table, found.row),
    )
