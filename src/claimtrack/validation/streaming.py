"""Check all of data/ one file at a time, keeping compact indexes instead of the records:
`claimtrack validate` without paths.

The registries every claim refers to are read first: the works and the rules (sources,
tombstones, evidence hosts, evaluative terms) are held whole; the agents and topics are
read a record at a time into indexes of their ids (and the agents' names) on disk; the raw
files are kept in a file of their own (rawfiles.py). Each annotation file is then read (by
the executor), checked on its own against them, and dropped; then each file of
historiography links, claim relations and research records the same way, once every claim
id is known. What a rule must see across files is kept small or on disk: ids as hashes on
disk (idindex.py), the files read and each document's lines in a raw file (in files of
their own), the cited sources; the relations' ends go to a SQLite file (relation_spool.py).
The problems are the same as those of ``run_checks(load_corpus(data))``, in the same order.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from claimtrack.annotation_file import merge_unloaded
from claimtrack.collector import collector_paused
from claimtrack.errors import json_pointer
from claimtrack.executors import FORKS, DaskExecutor, Executor, InProcess, Processes, local_jobs
from claimtrack.issues import Issue
from claimtrack.loading import (
    REGISTRY_MODELS,
    Corpus,
    annotation_file_paths,
    each_registry_record,
    load_head,
    read_registry_file,
    table_file_count,
    table_file_paths,
    table_files,
)
from claimtrack.located import Located, YamlSource
from claimtrack.models.research import research_state
from claimtrack.progress import Progress, Silent
from claimtrack.release.store import RowStore, dump_row
from claimtrack.scratch import RecordFile, scratch_database
from claimtrack.textfiles import data_file_count, shown_path
from claimtrack.validation.checks import ordered
from claimtrack.validation.checks.duplicates import agent_key, likely_duplicates, same_name
from claimtrack.validation.checks.editorial import research_on_linked, research_repeated
from claimtrack.validation.checks.identity import (
    duplicate_id,
    duplicate_ids,
    removed_ids,
    tombstoned,
    tombstoned_ids,
)
from claimtrack.validation.checks.references import cited_sources, sources_not_cited
from claimtrack.validation.checks.segments import Segment, raw_file_segmentation
from claimtrack.validation.document_check import (
    FILE_CHECKS,
    RULES,
    FileContext,
    check_document,
    released_rows,
)
from claimtrack.validation.idindex import IdIndex
from claimtrack.validation.relation_spool import Ends, RelationSpool
from claimtrack.yamlio import locate, to_plain

#: Read after the documents, one file at a time (they refer to claims).
STREAMED = ("historiography", "claim_relations", "research")
#: The released registries no rule needs whole: read a record at a time into an index of
#: their ids (on disk, as the claims'), which the checks of every file ask, and of the
#: agents' names (for LIKELY_DUPLICATE); the build keeps their rows. No record is held
#: (the 15,158 agents of a million synthetic claims took 15.7 MB as models, 5.7 MB as
#: ``Kept`` with their places).
DROPPED_TABLES = ("agents", "topics")
#: The index of the agents' names, as ``agent_key`` folds them.
AGENT_NAMES = "agent names"


@dataclass(frozen=True, slots=True)
class Kept:
    """What the checks need of a record of a dropped registry while it is read (and of a
    source once the registries' rules have run): its id, its name (an agent's, for the
    likely-duplicate rule) and, in a build, its release row."""

    id: str
    name: str | None
    row: bytes | None


def _kept(rows: bool, record: Any) -> Kept:
    row = dump_row(record.model_dump(mode="json", by_alias=True)) if rows else None
    return Kept(record.id, getattr(record, "name", None), row)


@dataclass
class Run:
    """What the checks keep across files."""

    held: Corpus
    spool: Path
    context: FileContext | None = None
    """What checking one file needs of the held registries (once they are read)."""
    files: RecordFile | None = None
    """Every file read, by number, as its path's bytes: kept on disk (52,632 files for a
    million claims took 5 MB as text in memory)."""
    indexes: dict[str, IdIndex] = field(default_factory=dict)
    cited: set[str] = field(default_factory=set)
    segments: SegmentSpool | None = None
    relations: RelationSpool | None = None
    issues: list[Issue] = field(default_factory=list)
    progress: Progress = field(default_factory=Silent)
    keep: RowStore | None = None
    """Where the build keeps every record read, as its release row."""

    def index(self, name: str) -> IdIndex:
        if name not in self.indexes:
            self.indexes[name] = IdIndex(self.spool / f"{name}.ids")
        return self.indexes[name]

    def spool_relations(self, relations: list[Ends]) -> None:
        if self.relations is None:
            self.relations = RelationSpool(self.spool / "relations.sqlite")
        self.relations.add(relations)

    def ids(self, table: str) -> Collection[str]:
        if table in ("claims", "historiography", "claim_relations"):
            return self.index(table)
        assert self.context is not None, "the held registries are read first"
        return self.context.held_ids.get(table, ())

    def hold(self) -> None:
        """The held registries are read: make the context every file is checked in."""
        held = self.held
        self.context = FileContext(
            data_dir=held.data_dir,
            release=held.release,
            raw_files=held.raw_files,
            rules={table: held.tables.get(table, []) for table in RULES},
            held_ids={
                "sources": held.ids("sources"),
                **{table: self.index(table) for table in DROPPED_TABLES},
            },
            unloaded=held.unloaded,
            unread_tables=held.unread_tables,
            keep_rows=self.keep is not None,
        )

    def file_number(self, path: str) -> int:
        if self.files is None:
            self.files = RecordFile(self.spool / "files")
        return self.files.append(os.fsencode(path))

    def path(self, file: int) -> Path:
        assert self.files is not None, "a file is numbered before it is asked for"
        return Path(os.fsdecode(self.files[file]))

    def shown(self, file: int) -> str:
        """File ``file`` as problems name it."""
        return shown_path(self.path(file), self.held.data_dir)

    def relocate(
        self, shape: Callable[[int], tuple[str | int, ...]], file: int, place: int
    ) -> Located[dict[str, Any]]:
        """An entry's record as read again from its file (for a problem's line and id)."""
        source = YamlSource(self.path(file))
        at = shape(place)
        tree = source.tree()
        node = tree
        for part in at:
            node = node[part]
        return Located(to_plain(node), self.shown(file), locate(tree, at)[0], source, at)


class SegmentSpool:
    """Each document's segment, by the name of its raw file, in a SQLite file (13,158
    segments, one for each document of a million claims, take 4.5 MB as tuples)."""

    def __init__(self, path: Path) -> None:
        self._db = scratch_database(
            path,
            "CREATE TABLE segments (n INTEGER PRIMARY KEY, raw TEXT NOT NULL, document TEXT "
            "NOT NULL, first INTEGER, last INTEGER, file TEXT NOT NULL, line INTEGER);",
        )
        self._pending: list[tuple[str, str, int, int, str, int | None]] = []
        self._indexed = False

    def add(self, raw_name: str, segment: Segment) -> None:
        self._pending.append((raw_name, *segment))
        if len(self._pending) >= 4096:
            self._flush()

    def _flush(self) -> None:
        self._db.execute("BEGIN")
        self._db.executemany(
            "INSERT INTO segments (raw, document, first, last, file, line) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            self._pending,
        )
        self._db.execute("COMMIT")
        self._pending = []

    def of(self, raw_name: str) -> list[Segment]:
        """The segments in ``raw_name``, in the order they were added."""
        if not self._indexed:
            self._flush()
            self._db.execute("CREATE INDEX by_raw ON segments (raw, n)")
            self._indexed = True
        rows = self._db.execute(
            "SELECT document, first, last, file, line FROM segments WHERE raw = ? ORDER BY n",
            (raw_name,),
        )
        return [Segment(*row) for row in rows]

    def close(self) -> None:
        self._db.close()


def _in_list(place: int) -> tuple[str | int, ...]:
    return (place,)


def _claim_at(place: int) -> tuple[str | int, ...]:
    return ("claims", place)


def _whole(place: int) -> tuple[str | int, ...]:
    return ()


def validate_data(
    data_dir: Path,
    executor: Executor | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> list[Issue]:
    """Every problem of data/, as ``run_checks(load_corpus(data_dir))`` finds them;
    ``progress`` hears of each file read. The annotation files are checked by ``executor``,
    else by ``jobs`` processes (by default one per CPU, at most 4, from 32 files on)."""
    with tempfile.TemporaryDirectory(prefix="claimtrack-ids-") as spool:
        return check_data(data_dir, Path(spool), executor, progress, jobs)[0]


def check_data(
    data_dir: Path,
    spool: Path,
    executor: Executor | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    keep: RowStore | None = None,
) -> tuple[list[Issue], Corpus]:
    """``validate_data``, and the tombstones, the sources' ids (``Kept``), the release and
    the raw files. With ``keep``, every record read is added to it as its
    release row (the research records as their claims' states). What the checks keep on
    disk goes to the folder ``spool``, the raw files of the corpus returned among it (it
    must outlive them)."""
    if executor is None:
        if jobs is None:
            jobs = local_jobs(data_file_count(data_dir / "documents"))
        # the workers are forked (they inherit what they check against): not on every system
        executor = Processes(jobs) if jobs > 1 and FORKS else InProcess()
    with collector_paused():
        run = Run(Corpus(data_dir=data_dir), spool, progress=progress or Silent(), keep=keep)
        try:
            _check(run, executor)
        finally:
            for index in run.indexes.values():
                index.close()
            if run.relations is not None:
                run.relations.close()
            for on_disk in (run.files, run.segments):
                if on_disk is not None:
                    on_disk.close()
        return ordered([*run.held.issues, *run.issues]), run.held


def _check(run: Run, executor: Executor) -> None:
    held = run.held
    load_head(held, run.spool)
    # the sources and the tombstones are held whole while the rules over the registries
    # run, the tombstones to the end
    for table, model in REGISTRY_MODELS.items():
        if table not in STREAMED and table not in DROPPED_TABLES:
            held.tables[table] = [
                located
                for path in table_files(held.data_dir, table)
                for located in read_registry_file(held, table, model, path)
            ]
    for table in DROPPED_TABLES:  # after the tombstones
        _index_registry(run, table)
    for rule in (duplicate_ids, tombstoned_ids, likely_duplicates):
        run.issues.extend(rule(held))
    in_list = partial(run.relocate, _in_list)
    for table in DROPPED_TABLES:
        for later, first in run.index(table).repeats(in_list, _key("id")):
            run.issues.append(duplicate_id(table, later.record["id"], later, first))
    for later, first in run.index(AGENT_NAMES).repeats(in_list, _agent_key):
        run.issues.append(same_name(later, later.record["id"], first, first.record["id"]))
    run.hold()
    # the checks ask only for the sources' ids (and lines) from now on (the uncited ones
    # are found last): a build keeps the held registries' rows first (2,000 sources of a
    # million synthetic claims took 6.4 MB as models)
    if run.keep is not None:
        for table in ("sources", "tombstones"):
            _keep(run, released_rows(table, held.tables.get(table, [])))
    held.tables["sources"] = [
        dataclasses.replace(located, record=Kept(located.record.id, None, None))
        for located in held.tables.get("sources", [])
    ]
    _documents(run, executor)
    count = sum(table_file_count(held.data_dir, table) for table in STREAMED)
    run.progress.start("links, relations, research", count)
    # The registry files need the claims' index: they are checked in this machine's
    # processes, which inherit it (a Dask cluster would need it sent).
    here = InProcess() if isinstance(executor, DaskExecutor) else executor
    for table in STREAMED:  # by table: research needs every link's claim first
        entries = [
            (table, path, run.file_number(path)) for path in table_file_paths(held.data_dir, table)
        ]
        for (_, _, number), facts in zip(
            entries, here.map(_check_registry_file, entries, run), strict=True
        ):
            _merge(run, table, number, facts)
            run.progress.advance()
        del entries
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
    segments = run.segments
    run.issues.extend(
        raw_file_segmentation(held, segments.of if segments is not None else lambda name: [])
    )
    run.issues.extend(_relation_rules(run))


def _key(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: record.get(name)


def _agent_key(record: dict[str, Any]) -> str:
    return agent_key(str(record.get("name")))


@dataclass
class _RegistryFile:
    """One file of a registry of ``DROPPED_TABLES`` read into the indexes, a record at a
    time: its ID_TOMBSTONED problems wait for its end, and what it added is undone if it
    fails to parse, or if it is read again (a JSON file that does not stream is read
    whole)."""

    run: Run
    table: str
    number: int
    removed: set[tuple[str, str]]
    indexes: list[IdIndex]
    marks: list[tuple[int, int]] = field(init=False)
    """Where each index stood before the file."""
    issues: list[Issue] = field(default_factory=list)
    last: int = -1
    """The place of the record added last."""

    def __post_init__(self) -> None:
        self.marks = [index.mark() for index in self.indexes]

    def add(self, located: Located[Kept]) -> None:
        kept, place = located.record, int(located.path[0])
        if place <= self.last:
            self.undo()
        self.last = place
        for index, key in zip(self.indexes, (kept.id, agent_key(kept.name or "")), strict=False):
            index.add(key, self.number, place)
        if (self.table, kept.id) in self.removed:
            self.issues.append(tombstoned(self.table, kept.id, located))
        if kept.row is not None:  # a file that fails to parse fails the build: no row counts
            _keep(self.run, [(self.table, kept.row)])

    def undo(self) -> None:
        for index, mark in zip(self.indexes, self.marks, strict=True):
            index.rollback(mark)
        self.issues.clear()


def _index_registry(run: Run, table: str) -> None:
    """Read a registry of ``DROPPED_TABLES`` a record at a time into an index of its ids
    (and the agents' names), with its tombstoned ids; the build keeps each record's row."""
    held, rows = run.held, run.keep is not None
    removed = removed_ids(held)
    indexes = [run.index(table)] + ([run.index(AGENT_NAMES)] if table == "agents" else [])
    model = REGISTRY_MODELS[table]
    for path in table_file_paths(held.data_dir, table):
        file = _RegistryFile(run, table, run.file_number(path), removed, indexes)
        if each_registry_record(held, table, model, Path(path), partial(_kept, rows), file.add):
            run.issues.extend(file.issues)
        else:  # its records count for nothing
            file.undo()
    run.index(table).freeze()


def _documents(run: Run, executor: Executor) -> None:
    held = run.held
    paths = annotation_file_paths(held.data_dir)  # each shown as its worker shows it
    documents, claims = run.index("documents"), run.index("claims")
    run.progress.start("documents", len(paths))
    assert run.context is not None
    results = executor.map(check_document, paths, run.context)
    for path, facts in zip(paths, results, strict=True):
        number = run.file_number(path)
        run.progress.advance(len(facts.claims))
        run.issues.extend(facts.issues)
        merge_unloaded(held.unloaded, facts.unloaded)
        held.unsegmented.update(facts.unsegmented)
        if facts.document is not None:
            document_id, raw_file, segment = facts.document
            documents.add(document_id, number, 0)
            if run.segments is None:
                run.segments = SegmentSpool(run.spool / "segments.sqlite")
            run.segments.add(raw_file, segment)
        for claim_id, place in facts.claims:
            claims.add(claim_id, number, place)
        run.cited |= facts.cited
        _keep(run, facts.rows)
    documents.freeze()
    claims.freeze()


@dataclass
class RegistryFacts:
    """What one file of links, relations or research records gave, and its problems."""

    issues: list[Issue]
    unloaded: dict[str, set[str]]
    unread: set[str]
    keys: list[tuple[str, int]] = field(default_factory=list)
    """Each record's key for its table's index (its id; a research record's claim)."""
    linked: list[tuple[str, int]] = field(default_factory=list)
    """Each link's claim."""
    relations: list[Ends] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)
    rows: list[tuple[str, bytes]] = field(default_factory=list)
    """With ``FileContext.keep_rows``: the links or relations as release rows, or the
    research records as their claims' states."""


def _keep(run: Run, rows: list[tuple[str, bytes]]) -> None:
    if run.keep is None:
        return
    for table, body in rows:
        row = orjson.loads(body)
        if table == "research":
            run.keep.add_research(row["claim_id"], row["state"])
        else:
            run.keep.add(table, row, body)


def _check_registry_file(entry: tuple[str, str, int], run: Run) -> RegistryFacts:
    """Read and check one registry file (in a worker: ``run`` is inherited, not sent)."""
    table, path, number = entry
    scratch = Corpus(data_dir=run.held.data_dir)  # this file's problems and unloaded ids
    loaded = read_registry_file(scratch, table, REGISTRY_MODELS[table], Path(path))
    facts = RegistryFacts(scratch.issues, scratch.unloaded, scratch.unread_tables)
    places = [(located, int(located.path[0])) for located in loaded]
    if table in ("historiography", "claim_relations"):
        facts.keys = [(located.record.id, place) for located, place in places]
    if table == "historiography":
        facts.linked = [(located.record.claim_id, place) for located, place in places]
    elif table == "claim_relations":
        facts.relations = [
            Ends(r.id, r.relation, r.from_claim_id, r.to_claim_id, number, place)
            for located, place in places
            for r in (located.record,)
        ]
    elif table == "research":
        linked = run.index("linked")
        for located, place in places:
            claim_id = located.record.claim_id
            if claim_id in linked:
                facts.issues.append(research_on_linked(located, claim_id, located.record.status))
            else:
                facts.keys.append((claim_id, place))
    assert run.context is not None
    piece = run.context.piece(run.ids, tables={table: loaded})
    for rule in FILE_CHECKS:
        facts.issues.extend(rule(piece))
    facts.cited = cited_sources(piece)
    if run.context.keep_rows and table == "research":
        facts.rows = [
            ("research", dump_row({"claim_id": r.claim_id, "state": _dumped(research_state(0, r))}))
            for located in loaded
            for r in (located.record,)
        ]
    elif run.context.keep_rows:
        facts.rows = released_rows(table, loaded)
    return facts


def _dumped(record: Any) -> dict[str, Any]:
    return dict(record.model_dump(mode="json", by_alias=True))


def _merge(run: Run, table: str, number: int, facts: RegistryFacts) -> None:
    held = run.held
    run.issues.extend(facts.issues)
    merge_unloaded(held.unloaded, facts.unloaded)
    held.unread_tables |= facts.unread
    index = run.index(table)
    for key, place in facts.keys:
        index.add(key, number, place)
    linked = run.index("linked")
    for claim_id, place in facts.linked:
        linked.add(claim_id, number, place)
    if facts.relations:
        run.spool_relations(facts.relations)
    run.cited |= facts.cited
    _keep(run, facts.rows)


def _relation_rules(run: Run) -> Iterator[Issue]:
    """The relation rules over every relation's ends (spooled), in id order; a reported
    relation is read again from its file for its lines."""
    if run.relations is None:
        return

    def place(ends: Ends, pointer: str) -> tuple[str, int | None]:
        located = run.relocate(_in_list, ends.file, ends.place)
        return located.file, located.line_at(pointer)

    for issue in list(run.relations.problems(place)):
        # pointers from the file's root, as every problem of data/ gives them
        root = json_pointer((run.relations.place_of(issue.record_id or ""),))
        yield dataclasses.replace(issue, pointer=root + issue.pointer)
