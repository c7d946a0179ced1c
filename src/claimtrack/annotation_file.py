"""Read one annotation file (data/documents/<id>.yaml or .json) into its document, its anchored
claims and the problems found: the per-document stage of loading.

``read_document_file`` is a pure function of the file and the raw files, so that the
documents can be read one after another or mapped over the workers of a distributed
engine (executors.py); the corpus joins the parts in file order, so either way gives the
same records and problems.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field

from claimtrack.anchoring import Anchor, anchor_quote, context
from claimtrack.errors import validate_record
from claimtrack.issues import Issue
from claimtrack.located import Located, YamlSource
from claimtrack.models import AnnotatedClaim, Claim, Document, DocumentMeta, LineRange
from claimtrack.models.documents import Origin
from claimtrack.rawfiles import RawFile
from claimtrack.textfiles import read_data_file
from claimtrack.yamlio import Deferred, locate


class DocumentFile(DocumentMeta):
    """One annotation file: a document's metadata, where it lies in its raw file, and its claims."""

    origin: LineRange
    claims: list[Any] = Field(default_factory=list)


@dataclass
class DocumentPart:
    """What one annotation file gave: its records, its problems, and what failed to load."""

    issues: list[Issue] = field(default_factory=list)
    document: Located[Document] | None = None
    claims: list[Located[Claim]] = field(default_factory=list)
    loose_claims: list[Located[dict[str, Any]]] = field(default_factory=list)
    """Claims (as read) that their model refused, in a document that loaded."""
    unloaded: dict[str, set[str]] = field(default_factory=dict)
    """Ids of records that failed to load, by table."""
    unsegmented: set[str] = field(default_factory=set)
    """The raw file of a document that failed to load ("*": unknown which)."""

    def failed(self, table: str, data: Any) -> None:
        note_unloaded(self.unloaded, table, data)


def note_unloaded(unloaded: dict[str, set[str]], table: str, data: Any) -> None:
    """Note a record of ``table`` that failed to load (by its id, if it has one)."""
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        unloaded.setdefault(table, set()).add(data["id"])


def merge_unloaded(into: dict[str, set[str]], other: dict[str, set[str]]) -> None:
    """Add the ids of ``other`` that failed to load to ``into``, table by table."""
    for table, ids in other.items():
        into.setdefault(table, set()).update(ids)


def read_document_file(path: Path, shown: str, raw_files: Mapping[str, RawFile]) -> DocumentPart:
    """Read, validate and anchor one annotation file; problems are collected, never raised."""
    part = DocumentPart()
    read = read_data_file(path, shown, part.issues)
    plain, node = read if read is not None else (None, None)
    if not isinstance(plain, dict):
        if read is not None:
            message = "an annotation file holds one mapping: the document's fields and its claims"
            part.issues.append(Issue(shown, 1, 1, "SCHEMA", message))
        # The file's records are unknown: its document (named after the file), its claims
        # and its lines are not reported again as missing.
        part.unloaded.setdefault("documents", set()).add(path.stem)
        part.unsegmented.add("*")
        return part
    source = YamlSource(path)
    meta = validate_record(DocumentFile, plain, shown, node, [], part.issues)
    document = None if meta is None else _segment(raw_files, meta, shown, node, part.issues)
    if document is not None:
        part.document = Located(document, shown, 1, source, ())
    else:
        part.failed("documents", plain)
        part.unloaded.setdefault("documents", set()).add(path.stem)
        origin = plain.get("origin")
        raw_file = origin.get("raw_file") if isinstance(origin, dict) else None
        part.unsegmented.add(raw_file if isinstance(raw_file, str) else "*")
    claims = plain.get("claims") if meta is None else meta.claims
    for index, item in enumerate(claims if isinstance(claims, list) else []):
        if meta is None:  # claims: is not known to be a list of mappings
            part.failed("claims", item)
            continue
        annotated = validate_record(
            AnnotatedClaim, item, shown, node, ["claims", index], part.issues
        )
        claim = None
        if annotated is not None and document is not None:
            claim = anchor_claim(annotated, document, shown, node, part.issues, index)
        if annotated is None and document is not None and isinstance(item, dict):
            part.loose_claims.append(Located(item, shown, None, source, ("claims", index)))
        if claim is None:
            part.failed("claims", item)
            continue
        # a JSON file's lines are found when a problem asks (Located.line_of)
        line = None if isinstance(node, Deferred) else locate(node, ["claims", index])[0]
        part.claims.append(Located(claim, shown, line, source, ("claims", index)))
    return part


def _segment(
    raw_files: Mapping[str, RawFile],
    meta: DocumentFile,
    shown: str,
    node: Any,
    issues: list[Issue],
) -> Document | None:
    origin = meta.origin
    raw = raw_files.get(origin.raw_file)
    if raw is None or origin.last_line > raw.line_count:
        line = locate(node, ["origin"])[0]
        if raw is None:
            code, pointer = "UNKNOWN_REFERENCE", "/origin/raw_file"
            message = f"raw file {origin.raw_file!r} is not a pinned, readable file in data/raw/"
        else:
            code, pointer = "SEGMENT_OUT_OF_RANGE", "/origin/last_line"
            message = f"last_line {origin.last_line} is past the end of {raw.name} ({raw.line_count} lines)"
        issues.append(Issue(shown, line, None, code, message, pointer, meta.id))
        return None
    start, end = raw.slice_lines(origin.first_line, origin.last_line)
    text = raw.text[start:end]
    fields = meta.model_dump(exclude={"origin", "claims"}, by_alias=False)
    return Document(
        **fields,
        text=text,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=Origin(
            raw_file=raw.name,
            raw_sha256=raw.sha256,
            first_line=origin.first_line,
            last_line=origin.last_line,
            start=start,
            end=end,
        ),
    )


def anchor_claim(
    annotated: AnnotatedClaim,
    document: Document,
    shown: str,
    node: Any,
    issues: list[Issue],
    index: int,
) -> Claim | None:
    """The released claim, with offsets computed from its quote; None (and an issue) if it
    does not anchor. ``index`` is its place under ``claims:`` in the file's tree ``node``
    (for the issue's line and pointer)."""
    span = annotated.span
    found = anchor_quote(document.text, span.exact, span.prefix, span.suffix)
    if not isinstance(found, Anchor):
        line = locate(node, ["claims", index, "span", "exact"])[0]
        pointer = f"/claims/{index}/span/exact"
        issues.append(Issue(shown, line, None, found.code, found.message, pointer, annotated.id))
        return None
    prefix, suffix = context(document.text, found.start, found.end)
    return Claim(
        **annotated.model_dump(exclude={"span"}, by_alias=False),
        document_id=document.id,
        span={
            "exact": span.exact,
            "start": found.start,
            "end": found.end,
            "prefix": prefix,
            "suffix": suffix,
        },
    )
