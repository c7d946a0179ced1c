"""Read data/ into validated records, each with the file and line it came from."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import Field

from claimtrack.anchoring import Anchor, anchor_quote, context
from claimtrack.collector import collector_paused
from claimtrack.errors import validate_record
from claimtrack.issues import Issue
from claimtrack.located import Located as Located  # re-exported: the checks import it here
from claimtrack.located import YamlSource
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
from claimtrack.models.documents import Origin
from claimtrack.models.editorial import EvaluativeTerm, EvidenceHost
from claimtrack.models.research import ClaimResearch
from claimtrack.rawfiles import RawFile as RawFile  # re-exported: data/raw/'s files
from claimtrack.rawfiles import load_raw
from claimtrack.textfiles import read_yaml, shown_path
from claimtrack.vocab import ResearchStatus
from claimtrack.yamlio import locate, to_plain

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


class DocumentFile(DocumentMeta):
    """One annotation file: a document's metadata, where it lies in its raw file, and its claims."""

    origin: LineRange
    claims: list[Any] = Field(default_factory=list)


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
    unloaded: dict[str, set[str]] = field(default_factory=dict)
    """Ids of records in data/ that failed to load, by table (reported once, where they
    fail; the checks do not report them again as missing)."""
    unread_tables: set[str] = field(default_factory=set)
    """Tables with a file that could not be read at all (any id may be in it)."""
    unsegmented: set[str] = field(default_factory=set)
    """Raw files a document that failed to load lies in ("*": unknown which)."""
    loose_claims: list[Located[dict[str, Any]]] = field(default_factory=list)
    """Claims (as read) that their model refused, in a document that loaded: what can still
    be checked of them is (checks/loose.py), so a record's problems are reported at once."""
    _propositions: list[Proposition] | None = field(default=None, repr=False)

    def shown(self, *parts: str) -> str:
        """A path under data/ as problems name it: relative to data/'s parent folder."""
        return _relative(self.data_dir.joinpath(*parts), self.data_dir)

    def failed_to_load(self, table: str, record_id: str) -> bool:
        """Whether ``record_id`` may be a record of data/ that failed to load."""
        if table in self.unread_tables or record_id in self.unloaded.get(table, ()):
            return True
        return table == "claims" and record_id.split("/")[0] in self.unloaded.get("documents", ())

    def _unloaded(self, table: str, data: Any) -> None:
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            self.unloaded.setdefault(table, set()).add(data["id"])

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


_relative = shown_path


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
        issues_before = len(corpus.issues)
        node = read_yaml(path, shown, corpus.issues)
        if node is None:
            if len(corpus.issues) > issues_before:  # not merely empty
                corpus.unread_tables.add(table)
            continue
        if not isinstance(node, list):
            corpus.issues.append(
                Issue(
                    shown, 1, 1, "NOT_A_LIST", f"{shown} must hold a YAML list of {table} records"
                )
            )
            corpus.unread_tables.add(table)
            continue
        source = YamlSource(path)
        for index, item in enumerate(node):
            plain = to_plain(item)
            record = validate_record(model, plain, shown, node, [index], corpus.issues)
            if record is not None:
                line = locate(node, [index])[0]
                loaded.append(Located(record, shown, line, source, (index,)))
            else:
                corpus._unloaded(table, plain)
    corpus.tables[table] = loaded


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
    annotated: AnnotatedClaim,
    document: Document,
    shown: str,
    line: int | None,
    issues: list[Issue],
    index: int,
) -> Claim | None:
    """The released claim, with offsets computed from its quote; None (and an issue) if it
    does not anchor. ``index`` is its place under ``claims:`` (for the issue's pointer)."""
    span = annotated.span
    found = anchor_quote(document.text, span.exact, span.prefix, span.suffix)
    if not isinstance(found, Anchor):
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


def _load_documents(corpus: Corpus, document_files: Sequence[Path] = ()) -> None:
    """data/documents/*.yaml; a file of ``document_files`` takes the place of the one of its
    name there (or joins them), to check an annotation file against data/ on its own."""
    files = {path.name: path for path in (corpus.data_dir / "documents").glob("*.yaml")}
    files.update({path.name: path for path in document_files})
    for name in sorted(files):
        path = files[name]
        shown = _relative(path, corpus.data_dir)
        node = read_yaml(path, shown, corpus.issues)
        if node is None or not isinstance(node, dict):
            if node is not None:
                corpus.issues.append(
                    Issue(
                        shown,
                        1,
                        1,
                        "SCHEMA",
                        "an annotation file holds one mapping: the document's fields and its claims",
                    )
                )
            # The file's records are unknown: its document (named after the file), its
            # claims and its lines are not reported again as missing.
            corpus.unloaded.setdefault("documents", set()).add(path.stem)
            corpus.unsegmented.add("*")
            continue
        _load_document_file(corpus, path, shown, node)


def _load_document_file(corpus: Corpus, path: Path, shown: str, node: Any) -> None:
    plain = to_plain(node)
    source = YamlSource(path)
    meta = validate_record(DocumentFile, plain, shown, node, [], corpus.issues)
    document = None if meta is None else _segment(corpus, meta, shown, node)
    if document is not None:
        corpus.documents.append(Located(document, shown, 1, source, ()))
    else:
        corpus._unloaded("documents", plain)
        corpus.unloaded.setdefault("documents", set()).add(path.stem)
        origin = plain.get("origin")
        raw_file = origin.get("raw_file") if isinstance(origin, dict) else None
        corpus.unsegmented.add(raw_file if isinstance(raw_file, str) else "*")
    claims = plain.get("claims") if meta is None else meta.claims
    for index, item in enumerate(claims if isinstance(claims, list) else []):
        if meta is None:  # claims: is not known to be a list of mappings
            corpus._unloaded("claims", item)
            continue
        annotated = validate_record(
            AnnotatedClaim, item, shown, node, ["claims", index], corpus.issues
        )
        claim = None
        if annotated is not None and document is not None:
            quote_line = locate(node, ["claims", index, "span", "exact"])[0]
            claim = anchor_claim(annotated, document, shown, quote_line, corpus.issues, index)
        if annotated is None and document is not None and isinstance(item, dict):
            corpus.loose_claims.append(Located(item, shown, None, source, ("claims", index)))
        if claim is None:
            corpus._unloaded("claims", item)
            continue
        line = locate(node, ["claims", index])[0]
        corpus.claims.append(Located(claim, shown, line, source, ("claims", index)))


def load_corpus(data_dir: Path, document_files: Sequence[Path] = ()) -> Corpus:
    """Read and validate every file of data/; problems are collected, never raised.
    ``document_files`` are annotation files read in place of data/'s of the same name."""
    with collector_paused():
        return _load_corpus(data_dir, document_files)


def _load_corpus(data_dir: Path, document_files: Sequence[Path] = ()) -> Corpus:
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
                f"{shown} is missing: it holds the dataset version",
            )
        )
    corpus.raw_files, raw_issues = load_raw(data_dir)
    corpus.issues.extend(raw_issues)
    for table, model in REGISTRY_MODELS.items():
        _load_registry(corpus, table, model)
    _load_documents(corpus, document_files)
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
