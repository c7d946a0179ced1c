"""Check all of data/ one file at a time, keeping compact indexes instead of the records:
`claimtrack validate` without paths.

The registries of persons, works, topics and rules (agents, sources, topics, tombstones,
evidence hosts, evaluative terms) are held whole: every claim refers to them. Each
annotation file is then read (by the executor), checked on its own against them, and
dropped; then each file of historiography links, claim relations and research records the
same way, once every claim id is known. What a rule must see across files is kept small:
ids as hashes (idindex.py), each document's lines, the relations' ends, the cited sources.
The problems are the same as those of ``run_checks(load_corpus(data))``, in the same order.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from claimtrack.collector import collector_paused
from claimtrack.errors import json_pointer
from claimtrack.executors import Executor, InProcess
from claimtrack.issues import Issue
from claimtrack.loading import (
    REGISTRY_MODELS,
    Corpus,
    load_head,
    read_registry_file,
    table_files,
)
from claimtrack.loading import _read_document as read_document
from claimtrack.located import Located, YamlSource
from claimtrack.progress import Progress, Silent
from claimtrack.textfiles import shown_path
from claimtrack.validation.checks import ordered
from claimtrack.validation.checks.attribution import attribution_chains
from claimtrack.validation.checks.duplicates import likely_duplicates
from claimtrack.validation.checks.editorial import (
    evaluative_terms,
    evidence_hosts,
    research_on_linked,
    research_repeated,
)
from claimtrack.validation.checks.footnotes import uncited_footnotes
from claimtrack.validation.checks.identity import (
    claim_id_prefixes,
    duplicate_id,
    duplicate_ids,
    tombstoned_ids,
)
from claimtrack.validation.checks.loose import loose_claim_problems
from claimtrack.validation.checks.references import (
    cited_sources,
    dangling_references,
    sources_not_cited,
)
from claimtrack.validation.checks.relations import relation_problems
from claimtrack.validation.checks.segments import Segment, document_segment, raw_file_segmentation
from claimtrack.validation.checks.spans import cues_in_spans
from claimtrack.validation.idindex import IdIndex
from claimtrack.vocab import ClaimRelationType
from claimtrack.yamlio import locate, to_plain

#: Read after the documents, one file at a time (they refer to claims).
STREAMED = ("historiography", "claim_relations", "research")
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


class Ends(NamedTuple):
    """A relation as the relation rules read it, and where it stands."""

    id: str
    relation: ClaimRelationType
    from_claim_id: str
    to_claim_id: str
    file: int
    place: int


@dataclass
class Slice(Corpus):
    """One file's records; ids of other files come from the held registries and the indexes."""

    known: Callable[[str], Collection[str]] | None = None

    def ids(self, table: str) -> Collection[str]:
        assert self.known is not None
        return self.known(table)


@dataclass
class Run:
    """What the checks keep across files."""

    held: Corpus
    spool: Path
    files: list[tuple[Path, str]] = field(default_factory=list)
    indexes: dict[str, IdIndex] = field(default_factory=dict)
    held_ids: dict[str, Collection[str]] = field(default_factory=dict)
    cited: set[str] = field(default_factory=set)
    segments: list[tuple[str, Segment]] = field(default_factory=list)
    relations: list[Ends] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    progress: Progress = field(default_factory=Silent)

    def index(self, name: str) -> IdIndex:
        if name not in self.indexes:
            self.indexes[name] = IdIndex(self.spool / f"{name}.ids")
        return self.indexes[name]

    def ids(self, table: str) -> Collection[str]:
        if table in ("claims", "historiography", "claim_relations"):
            return self.index(table)
        if table not in self.held_ids:
            self.held_ids[table] = self.held.ids(table)
        return self.held_ids[table]

    def slice(self, **records: Any) -> Slice:
        held = self.held
        return Slice(
            data_dir=held.data_dir,
            release=held.release,
            raw_files=held.raw_files,
            tables={table: held.tables.get(table, []) for table in RULES}
            | records.pop("tables", {}),
            unloaded=held.unloaded,
            unread_tables=held.unread_tables,
            unsegmented=held.unsegmented,
            known=self.ids,
            **records,
        )

    def check(self, piece: Slice) -> None:
        for rule in FILE_CHECKS:
            self.issues.extend(rule(piece))
        self.cited |= cited_sources(piece)

    def file_number(self, path: Path) -> int:
        self.files.append((path, shown_path(path, self.held.data_dir)))
        return len(self.files) - 1

    def relocate(
        self, shape: Callable[[int], tuple[str | int, ...]], file: int, place: int
    ) -> Located[dict[str, Any]]:
        """An entry's record as read again from its file (for a problem's line and id)."""
        path, shown = self.files[file]
        source = YamlSource(path)
        at = shape(place)
        tree = source.tree()
        node = tree
        for part in at:
            node = node[part]
        return Located(to_plain(node), shown, locate(tree, at)[0], source, at)


def _in_list(place: int) -> tuple[str | int, ...]:
    return (place,)


def _claim_at(place: int) -> tuple[str | int, ...]:
    return ("claims", place)


def _whole(place: int) -> tuple[str | int, ...]:
    return ()


def validate_data(
    data_dir: Path, executor: Executor | None = None, progress: Progress | None = None
) -> list[Issue]:
    """Every problem of data/, as ``run_checks(load_corpus(data_dir))`` finds them;
    ``progress`` hears of each file read."""
    with collector_paused(), tempfile.TemporaryDirectory(prefix="claimtrack-ids-") as spool:
        run = Run(Corpus(data_dir=data_dir), Path(spool), progress=progress or Silent())
        _check(run, executor or InProcess())
        return ordered([*run.held.issues, *run.issues])


def _check(run: Run, executor: Executor) -> None:
    held = run.held
    load_head(held)
    for table, model in REGISTRY_MODELS.items():
        if table not in STREAMED:
            held.tables[table] = [
                located
                for path in table_files(held.data_dir, table)
                for located in read_registry_file(held, table, model, path)
            ]
    for rule in (duplicate_ids, tombstoned_ids, likely_duplicates):
        run.issues.extend(rule(held))
    _documents(run, executor)
    files = {table: table_files(held.data_dir, table) for table in STREAMED}
    run.progress.start("links, relations, research", sum(map(len, files.values())))
    for table, paths in files.items():
        for path in paths:
            number = run.file_number(path)
            loaded = read_registry_file(held, table, REGISTRY_MODELS[table], path)
            _registry_file(run, table, number, loaded)
            run.progress.advance()
        if table == "historiography":
            run.index("linked").freeze()
    for name in ("documents", "claims", "historiography", "claim_relations"):
        shape = {"documents": _whole, "claims": _claim_at}.get(name, _in_list)
        for later, first in run.index(name).repeats(partial(run.relocate, shape), _key("id")):
            run.issues.append(duplicate_id(name, later.record["id"], later, first))
    for later, first in run.index("research").repeats(
        partial(run.relocate, _in_list), _key("claim_id")
    ):
        run.issues.append(research_repeated(later, later.record["claim_id"], first))
    run.issues.extend(sources_not_cited(held.records("sources"), run.cited))
    run.issues.extend(raw_file_segmentation(held, run.segments))
    run.issues.extend(_relation_rules(run))


def _key(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: record.get(name)


def _documents(run: Run, executor: Executor) -> None:
    held = run.held
    paths = sorted((held.data_dir / "documents").glob("*.yaml"), key=lambda path: path.name)
    entries = [(path, shown_path(path, held.data_dir)) for path in paths]
    documents, claims = run.index("documents"), run.index("claims")
    run.progress.start("documents", len(entries))
    for (path, _), part in zip(
        entries, executor.map(read_document, entries, held.raw_files), strict=True
    ):
        number = run.file_number(path)
        run.progress.advance(len(part.claims))
        held.issues.extend(part.issues)
        for table, ids in part.unloaded.items():
            held.unloaded.setdefault(table, set()).update(ids)
        held.unsegmented.update(part.unsegmented)
        loaded = [] if part.document is None else [part.document]
        for located in loaded:
            documents.add(located.record.id, number, 0)
            run.segments.append((located.record.origin.raw_file, document_segment(located)))
        for claim in part.claims:
            claims.add(claim.record.id, number, int(claim.path[1]))
        piece = run.slice(documents=loaded, claims=part.claims, loose_claims=part.loose_claims)
        # a claim names its own document: the one of this file
        piece.known = partial(_own_document, run, {document.record.id for document in loaded})
        run.check(piece)
    documents.freeze()
    claims.freeze()


def _own_document(run: Run, own: set[str], table: str) -> Collection[str]:
    return own if table == "documents" else run.ids(table)


def _registry_file(run: Run, table: str, number: int, loaded: list[Located[Any]]) -> None:
    if table in ("historiography", "claim_relations"):
        index = run.index(table)
        for located in loaded:
            index.add(located.record.id, number, int(located.path[0]))
    if table == "historiography":
        linked = run.index("linked")
        for located in loaded:
            linked.add(located.record.claim_id, number, int(located.path[0]))
    elif table == "claim_relations":
        run.relations.extend(
            Ends(r.id, r.relation, r.from_claim_id, r.to_claim_id, number, int(located.path[0]))
            for located in loaded
            for r in (located.record,)
        )
    elif table == "research":
        research, linked = run.index("research"), run.index("linked")
        for located in loaded:
            claim_id = located.record.claim_id
            if claim_id in linked:
                run.issues.append(research_on_linked(located, claim_id, located.record.status))
            else:
                research.add(claim_id, number, int(located.path[0]))
    run.check(run.slice(tables={table: loaded}))


def _relation_rules(run: Run) -> Iterator[Issue]:
    """The relation rules over every relation's ends, in id order; a reported relation is
    read again from its file for its lines."""
    ordered = sorted(run.relations, key=lambda ends: ends.id)

    def line_at(ends: Ends, pointer: str) -> int | None:
        return run.relocate(_in_list, ends.file, ends.place).line_at(pointer)

    placed = [(ends, run.files[ends.file][1], partial(line_at, ends)) for ends in ordered]
    issues = list(relation_problems(placed))
    if issues:
        places = {ends.id: ends.place for ends in ordered}
        for issue in issues:
            # pointers from the file's root, as every problem of data/ gives them
            root = json_pointer((places[issue.record_id or ""],))
            yield dataclasses.replace(issue, pointer=root + issue.pointer)
