"""Check one annotation file on its own: the per-document map of `claimtrack validate`.

``check_document`` reads the file, runs every rule that looks at one file's records against
the registries held whole (``FileContext``, sent once to each worker), and gives back only
its problems and the small facts the cross-file rules need (ids, lines, cited sources), so
that it can run in a worker process or on a Dask worker and send little back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimtrack.annotation_file import merge_unloaded, read_document_file
from claimtrack.issues import Issue
from claimtrack.loading import Corpus, Located
from claimtrack.models import ReleaseInfo
from claimtrack.rawfiles import RawFile
from claimtrack.release.store import dump_row
from claimtrack.textfiles import shown_path
from claimtrack.validation.checks.attribution import attribution_chains
from claimtrack.validation.checks.editorial import evaluative_terms, evidence_hosts
from claimtrack.validation.checks.footnotes import uncited_footnotes
from claimtrack.validation.checks.identity import claim_id_prefixes, tombstoned_ids
from claimtrack.validation.checks.loose import loose_claim_problems
from claimtrack.validation.checks.references import cited_sources, dangling_references
from claimtrack.validation.checks.segments import Segment, document_segment
from claimtrack.validation.checks.spans import cues_in_spans

#: Registries of rules, held whole and given to every file's checks.
RULES = ("tombstones", "evidence_hosts", "evaluative_terms")
#: The rules that look at one file's records (with the held registries and the indexes).
FILE_CHECKS: tuple[Callable[[Corpus], Iterable[Issue]], ...] = (
    tombstoned_ids,
    claim_id_prefixes,
    dangling_references,
    cues_in_spans,
    attribution_chains,
    uncited_footnotes,
    loose_claim_problems,
    evidence_hosts,
    evaluative_terms,
)


@dataclass
class Slice(Corpus):
    """One file's records; the ids of other files come from ``known``."""

    known: Callable[[str], Collection[str]] | None = None

    def ids(self, table: str) -> Collection[str]:
        assert self.known is not None
        return self.known(table)


@dataclass
class FileContext:
    """What checking one file needs of the rest of data/: the held registries' ids and rules."""

    data_dir: Path
    release: ReleaseInfo | None
    raw_files: Mapping[str, RawFile]
    rules: dict[str, list[Located[Any]]]
    held_ids: dict[str, Collection[str]]
    unloaded: dict[str, set[str]]
    unread_tables: set[str]
    keep_rows: bool = False
    """Whether each file also gives back its records as released rows (for the build)."""

    def piece(self, known: Callable[[str], Collection[str]], **records: Any) -> Slice:
        """A corpus of one file's ``records`` (documents, claims, tables...)."""
        return Slice(
            data_dir=self.data_dir,
            release=self.release,
            raw_files=self.raw_files,
            tables=dict(self.rules) | records.pop("tables", {}),
            unloaded=records.pop("unloaded", self.unloaded),
            unread_tables=self.unread_tables,
            known=known,
            **records,
        )


@dataclass
class DocumentFacts:
    """What one annotation file gave the cross-file rules, and its problems."""

    issues: list[Issue] = field(default_factory=list)
    document: tuple[str, str, Segment] | None = None
    """The document's id, its raw file and its lines there."""
    claims: list[tuple[str, int]] = field(default_factory=list)
    """Each claim's id and its place under ``claims:``."""
    cited: set[str] = field(default_factory=set)
    unloaded: dict[str, set[str]] = field(default_factory=dict)
    unsegmented: set[str] = field(default_factory=set)
    rows: list[tuple[str, bytes]] = field(default_factory=list)
    """With ``FileContext.keep_rows``: the document and its claims as released rows."""


def released_rows(table: str, records: Iterable[Located[Any]]) -> list[tuple[str, bytes]]:
    """Each record as its release row (``RowStore``'s form), with its table."""
    return [
        (table, dump_row(located.record.model_dump(mode="json", by_alias=True)))
        for located in records
    ]


def check_document(path: str, context: FileContext) -> DocumentFacts:
    """Read and check the annotation file at ``path``."""
    file = Path(path)
    part = read_document_file(file, shown_path(file, context.data_dir), context.raw_files)
    facts = DocumentFacts(list(part.issues), unloaded=part.unloaded, unsegmented=part.unsegmented)
    loaded = [] if part.document is None else [part.document]
    for located in loaded:
        document = located.record
        facts.document = (document.id, document.origin.raw_file, document_segment(located))
    facts.claims = [(claim.record.id, int(claim.path[1])) for claim in part.claims]
    unloaded = {table: set(ids) for table, ids in context.unloaded.items()}
    merge_unloaded(unloaded, part.unloaded)
    own = {located.record.id for located in loaded}

    def known(table: str) -> Collection[str]:
        # a claim names its own document: the one of this file
        return own if table == "documents" else context.held_ids.get(table, ())

    piece = context.piece(
        known,
        documents=loaded,
        claims=part.claims,
        loose_claims=part.loose_claims,
        unloaded=unloaded,
    )
    for rule in FILE_CHECKS:
        facts.issues.extend(rule(piece))
    facts.cited = cited_sources(piece)
    if context.keep_rows:
        facts.rows = released_rows("documents", loaded) + released_rows("claims", part.claims)
    return facts
