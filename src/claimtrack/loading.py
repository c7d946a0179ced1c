"""Read data/ into validated records, each with the file and line it came from."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from claimtrack.anchoring import Anchor, anchor_quote, context
from claimtrack.collector import collector_paused
from claimtrack.errors import validate_record
from claimtrack.issues import Issue
from claimtrack.models import (
    Agent,
    AnnotatedClaim,
    Claim,
    ClaimRelation,
    Document,
    DocumentMeta,
    HistoriographyLink,
    LineRange,
    Proposition,
    ReleaseInfo,
    ResearchRecord,
    Source,
    Tombstone,
    Topic,
)
from claimtrack.models.common import Record
from claimtrack.models.documents import Origin, RawFileEntry
from claimtrack.models.editorial import EvaluativeTerm, EvidenceHost
from claimtrack.models.research import ClaimResearch
from claimtrack.textfiles import read_text, read_yaml
from claimtrack.vocab import ResearchStatus
from claimtrack.yamlio import locate, to_plain

RecordT = TypeVar("RecordT", bound=BaseModel)

#: Registry tables: each is read from data/<table>.yaml and/or data/<table>/*.yaml.
REGISTRY_MODELS: dict[str, type[Record]] = {
    "agents": Agent,
    "sources": Source,
    "topics": Topic,
    "historiography": HistoriographyLink,
    "claim_relations": ClaimRelation,
    "tombstones": Tombstone,
    "research": ResearchRecord,
    "evidence_hosts": EvidenceHost,
    "evaluative_terms": EvaluativeTerm,
}
#: Registries read like the tables but not released as tables of their own.
UNRELEASED_REGISTRIES = frozenset({"research", "evidence_hosts", "evaluative_terms"})


@dataclass(frozen=True)
class Located(Generic[RecordT]):
    record: RecordT
    file: str
    line: int | None
    node: Any = field(default=None, repr=False, compare=False)
    """The parsed YAML the record came from, to locate its fields."""
    path: tuple[str | int, ...] = ()
    """Where the record lies inside ``node``."""

    def line_of(self, *parts: str | int) -> int | None:
        """The line of a field of this record (of the record itself if the field is absent)."""
        if self.node is None:
            return self.line
        return locate(self.node, [*self.path, *parts])[0]

    def line_at(self, pointer: str) -> int | None:
        """The line of the field a JSON Pointer (``/attribution/via/0/agent_id``) names."""
        parts = [int(part) if part.isdigit() else part for part in pointer.split("/")[1:]]
        return self.line_of(*parts)


class DocumentFile(DocumentMeta):
    """One annotation file: a document's metadata, where it lies in its raw file, and its claims."""

    origin: LineRange
    claims: list[Any] = Field(default_factory=list)


@dataclass(frozen=True)
class RawFile:
    name: str
    text: str
    sha256: str
    line_starts: tuple[int, ...]
    """Offset of the first character of each line (0-based list, line n at index n-1)."""

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def slice_lines(self, first_line: int, last_line: int) -> tuple[int, int]:
        """Offsets of lines first..last, including the newline that ends the last one."""
        start = self.line_starts[first_line - 1]
        end = self.line_starts[last_line] if last_line < self.line_count else len(self.text)
        return start, end


@dataclass
class Corpus:
    """Everything read from data/, and every problem found while reading it."""

    data_dir: Path
    release: ReleaseInfo | None = None
    raw_files: dict[str, RawFile] = field(default_factory=dict)
    documents: list[Located[Document]] = field(default_factory=list)
    claims: list[Located[Claim]] = field(default_factory=list)
    tables: dict[str, list[Located[Any]]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    _propositions: list[Proposition] | None = field(default=None, repr=False)

    def records(self, table: str) -> list[Located[Any]]:
        if table == "documents":
            return list(self.documents)
        if table == "claims":
            return list(self.claims)
        if table == "propositions":  # derived from the relations, located nowhere
            return [Located(record, "", None) for record in self.propositions()]
        return self.tables.get(table, [])

    def propositions(self) -> list[Proposition]:
        """Proposition clusters, derived once from the loaded relations (load first, then ask)."""
        from claimtrack.propositions import propositions

        if self._propositions is None:
            self._propositions = propositions(
                (located.record for located in self.records("claim_relations")),
                (located.record for located in self.records("historiography")),
                {located.record.id: located.record.document_id for located in self.claims},
            )
        return self._propositions


def _relative(path: Path, data_dir: Path) -> str:
    try:
        return str(path.relative_to(data_dir.parent))
    except ValueError:
        return str(path)


def _table_files(data_dir: Path, table: str) -> list[Path]:
    files = [data_dir / f"{table}.yaml"] if (data_dir / f"{table}.yaml").is_file() else []
    folder = data_dir / table
    if folder.is_dir():
        files.extend(sorted(folder.glob("*.yaml")))
    return files


def _load_registry(corpus: Corpus, table: str, model: type[Record]) -> None:
    loaded: list[Located[Any]] = []
    for path in _table_files(corpus.data_dir, table):
        shown = _relative(path, corpus.data_dir)
        node = read_yaml(path, shown, corpus.issues)
        if node is None:
            continue
        if not isinstance(node, list):
            corpus.issues.append(
                Issue(
                    shown, 1, 1, "NOT_A_LIST", f"{shown} must hold a YAML list of {table} records"
                )
            )
            continue
        for index, item in enumerate(node):
            record = validate_record(model, to_plain(item), shown, node, [index], corpus.issues)
            if record is not None:
                line = locate(node, [index])[0]
                loaded.append(Located(record, shown, line, node, (index,)))
    corpus.tables[table] = loaded


_NEWLINE = re.compile("\n")


def _load_raw(corpus: Corpus) -> None:
    raw_dir = corpus.data_dir / "raw"
    manifest_path = raw_dir / "manifest.yaml"
    shown = _relative(manifest_path, corpus.data_dir)
    if not manifest_path.is_file():
        corpus.issues.append(
            Issue(shown, None, None, "FILE_MISSING", "data/raw/manifest.yaml is missing")
        )
        return
    node = read_yaml(manifest_path, shown, corpus.issues)
    if node is not None and not isinstance(node, list):
        corpus.issues.append(
            Issue(shown, 1, 1, "NOT_A_LIST", f"{shown} must hold a YAML list of raw files")
        )
    pinned: dict[str, tuple[int, str, int | None]] = {}
    """file name -> (index in the manifest, sha256, bytes if known)"""
    for index, item in enumerate(node if isinstance(node, list) else []):
        plain = to_plain(item)
        entry = validate_record(RawFileEntry, plain, shown, node, [index], corpus.issues)
        if entry is not None:
            pinned[entry.file] = (index, entry.sha256, entry.bytes)
        elif isinstance(plain, dict) and all(
            isinstance(plain.get(key), str) for key in ("file", "sha256")
        ):  # reported above; the pin itself still holds, so nothing else fails for it
            pinned[plain["file"]] = (index, plain["sha256"], None)
    for path in sorted(raw_dir.iterdir()):
        if path.name == "manifest.yaml" or not path.is_file():
            continue
        raw_shown = _relative(path, corpus.data_dir)
        if path.name not in pinned:
            corpus.issues.append(
                Issue(
                    raw_shown,
                    None,
                    None,
                    "RAW_FILE_UNPINNED",
                    f"add {path.name} with its sha256 to {shown}",
                )
            )
            continue
        index, sha256, size = pinned[path.name]
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if digest != sha256:
            corpus.issues.append(
                Issue(
                    shown,
                    locate(node, [index])[0],
                    None,
                    "RAW_CHECKSUM",
                    f"{path.name} has sha256 {digest}, the manifest pins {sha256}; "
                    "restore the raw file exactly as received",
                )
            )
            continue
        if size is not None and len(content) != size:
            corpus.issues.append(
                Issue(
                    shown,
                    locate(node, [index, "bytes"])[0],
                    None,
                    "RAW_CHECKSUM",
                    f"{path.name} has {len(content)} bytes, the manifest says {size}; "
                    "correct the manifest",
                )
            )
        text = read_text(path, raw_shown, corpus.issues)
        if text is None:
            continue
        starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]
        if text.endswith("\n"):
            starts.pop()
        corpus.raw_files[path.name] = RawFile(path.name, text, digest, tuple(starts))


def _segment(corpus: Corpus, meta: DocumentFile, shown: str, node: Any) -> Document | None:
    origin = meta.origin
    raw = corpus.raw_files.get(origin.raw_file)
    if raw is None:
        line = locate(node, ["origin"])[0]
        corpus.issues.append(
            Issue(
                shown,
                line,
                None,
                "UNKNOWN_REFERENCE",
                f"raw file {origin.raw_file!r} is not a pinned, readable file in data/raw/",
                "/origin/raw_file",
                meta.id,
            )
        )
        return None
    if origin.last_line > raw.line_count:
        line = locate(node, ["origin"])[0]
        corpus.issues.append(
            Issue(
                shown,
                line,
                None,
                "SEGMENT_OUT_OF_RANGE",
                f"last_line {origin.last_line} is past the end of {raw.name} ({raw.line_count} lines)",
                "/origin/last_line",
                meta.id,
            )
        )
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
    annotated: AnnotatedClaim, document: Document, shown: str, line: int | None, issues: list[Issue]
) -> Claim | None:
    """The released claim, with offsets computed from its quote; None (and an issue) if it does not anchor."""
    span = annotated.span
    found = anchor_quote(document.text, span.exact, span.prefix, span.suffix)
    if not isinstance(found, Anchor):
        issues.append(
            Issue(shown, line, None, found.code, found.message, "/span/exact", annotated.id)
        )
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


def _load_documents(corpus: Corpus) -> None:
    for path in sorted((corpus.data_dir / "documents").glob("*.yaml")):
        shown = _relative(path, corpus.data_dir)
        node = read_yaml(path, shown, corpus.issues)
        if node is None:
            continue
        if not isinstance(node, dict):
            corpus.issues.append(
                Issue(
                    shown,
                    1,
                    1,
                    "SCHEMA",
                    "an annotation file holds one mapping: the document's fields and its claims",
                )
            )
            continue
        meta = validate_record(DocumentFile, to_plain(node), shown, node, [], corpus.issues)
        if meta is None:
            continue
        document = _segment(corpus, meta, shown, node)
        if document is not None:
            corpus.documents.append(Located(document, shown, 1, node, ()))
        for index, item in enumerate(meta.claims):
            annotated = validate_record(
                AnnotatedClaim, item, shown, node, ["claims", index], corpus.issues
            )
            if annotated is None or document is None:
                continue
            quote_line = locate(node, ["claims", index, "span", "exact"])[0]
            claim = anchor_claim(annotated, document, shown, quote_line, corpus.issues)
            if claim is not None:
                line = locate(node, ["claims", index])[0]
                corpus.claims.append(Located(claim, shown, line, node, ("claims", index)))


def load_corpus(data_dir: Path) -> Corpus:
    """Read and validate every file of data/; problems are collected, never raised."""
    with collector_paused():
        return _load_corpus(data_dir)


def _load_corpus(data_dir: Path) -> Corpus:
    corpus = Corpus(data_dir=data_dir)
    release_path = data_dir / "release.yaml"
    shown = _relative(release_path, data_dir)
    if release_path.is_file():
        node = read_yaml(release_path, shown, corpus.issues)
        if node is not None:
            corpus.release = validate_record(
                ReleaseInfo, to_plain(node), shown, node, [], corpus.issues
            )
    else:
        corpus.issues.append(
            Issue(
                shown,
                None,
                None,
                "FILE_MISSING",
                "data/release.yaml is missing: it holds the dataset version",
            )
        )
    _load_raw(corpus)
    for table, model in REGISTRY_MODELS.items():
        _load_registry(corpus, table, model)
    _load_documents(corpus)
    _attach_research(corpus)
    return corpus


def _attach_research(corpus: Corpus) -> None:
    """Give every claim its research status: linked when a historiography link bears on it,
    else the record of data/research/ if there is one, else pending. A record for a linked
    claim is a contradiction that the research check reports; the links win here."""
    links: dict[str, int] = {}
    for located in corpus.tables.get("historiography", []):
        links[located.record.claim_id] = links.get(located.record.claim_id, 0) + 1
    records = {
        located.record.claim_id: located.record for located in corpus.tables.get("research", [])
    }
    for index, located in enumerate(corpus.claims):
        claim_id = located.record.id
        if claim_id in links:
            state = ClaimResearch(status=ResearchStatus.LINKED, links=links[claim_id])
        elif claim_id in records:
            record = records[claim_id]
            state = ClaimResearch(
                status=ResearchStatus(record.status),
                checked=record.checked,
                note=record.note,
                contributor=record.contributor,
            )
        else:
            continue
        claim = located.record.model_copy(update={"research": state})
        corpus.claims[index] = replace(located, record=claim)
