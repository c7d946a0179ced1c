"""Read data/ into validated records, each with the file and line it came from."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from claimtrack.annotation_file import DocumentFile as DocumentFile  # re-exported
from claimtrack.annotation_file import (
    DocumentPart,
    merge_unloaded,
    note_unloaded,
    read_document_file,
)
from claimtrack.collector import collector_paused
from claimtrack.errors import validate_record
from claimtrack.executors import Executor, InProcess
from claimtrack.issues import Issue
from claimtrack.located import Located as Located  # re-exported: the checks import it here
from claimtrack.located import YamlSource
from claimtrack.models import (
    Agent,
    Claim,
    ClaimRelation,
    Document,
    HistoriographyLink,
    Proposition,
    ReleaseInfo,
    ResearchRecord,
    Source,
    Tombstone,
    Topic,
)
from claimtrack.models.common import Record
from claimtrack.models.editorial import EvaluativeTerm, EvidenceHost
from claimtrack.models.research import research_state
from claimtrack.progress import Progress, Silent
from claimtrack.rawfiles import RawFile as RawFile  # re-exported: data/raw/'s files
from claimtrack.rawfiles import load_raw
from claimtrack.refs import REFERENCE_FIELDS, iter_references
from claimtrack.textfiles import (
    Item,
    data_file_count,
    data_file_paths,
    read_data_list,
    read_yaml,
    shown_path,
)
from claimtrack.yamlio import to_plain

#: A reference: the record, the JSON pointer of the field, the table and id it names.
Reference = tuple[Located[Any], str, str, str]

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


@dataclass
class Corpus:
    """Everything read from data/, and every problem found while reading it."""

    data_dir: Path
    release: ReleaseInfo | None = None
    raw_files: Mapping[str, RawFile] = field(default_factory=dict)
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
    _references: list[Reference] | None = field(default=None, repr=False)

    def shown(self, *parts: str) -> str:
        """A path under data/ as problems name it: relative to data/'s parent folder."""
        return _relative(self.data_dir.joinpath(*parts), self.data_dir)

    def failed_to_load(self, table: str, record_id: str) -> bool:
        """Whether ``record_id`` may be a record of data/ that failed to load."""
        if table in self.unread_tables or record_id in self.unloaded.get(table, ()):
            return True
        return table == "claims" and record_id.split("/")[0] in self.unloaded.get("documents", ())

    def _unloaded(self, table: str, data: Any) -> None:
        note_unloaded(self.unloaded, table, data)

    def records(self, table: str) -> list[Located[Any]]:
        if table == "documents":
            return list(self.documents)
        if table == "claims":
            return list(self.claims)
        if table == "propositions":  # derived from the relations, located nowhere
            return [Located(record, "", None) for record in self.propositions()]
        return self.tables.get(table, [])

    def ids(self, table: str) -> Collection[str]:
        """The ids of a table's records that loaded (what a reference to the table may name)."""
        return {located.record.id for located in self.records(table)}

    def references(self) -> list[Reference]:
        """Every (record, pointer, table, id) a record refers to, found once (a record is dumped
        to find them) for the checks that need them."""
        if self._references is None:
            self._references = [
                (located, pointer, target_table, target)
                for table in REFERENCE_FIELDS
                for located in self.records(table)
                for pointer, target_table, target in iter_references(
                    table, located.record.model_dump(by_alias=True)
                )
            ]
        return self._references

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


def table_files(data_dir: Path, table: str) -> list[Path]:
    """A registry's files: data/<table>.yaml, then data/<table>/*.yaml and *.json by name."""
    return [Path(path) for path in table_file_paths(data_dir, table)]


def table_file_paths(data_dir: Path, table: str) -> list[str]:
    """``table_files`` as text (see ``data_file_paths``)."""
    single = data_dir / f"{table}.yaml"
    files = [str(single)] if single.is_file() else []
    folder = data_dir / table
    if folder.is_dir():
        files.extend(data_file_paths(folder))
    return files


def table_file_count(data_dir: Path, table: str) -> int:
    """How many files ``table_files`` lists, without listing them."""
    return (data_dir / f"{table}.yaml").is_file() + data_file_count(data_dir / table)


def annotation_files(data_dir: Path) -> list[Path]:
    """The annotation files, data/documents/*.yaml and *.json, by name."""
    return [Path(path) for path in annotation_file_paths(data_dir)]


def annotation_file_paths(data_dir: Path) -> list[str]:
    """``annotation_files`` as text (see ``data_file_paths``)."""
    folder = data_dir / "documents"
    return data_file_paths(folder) if folder.is_dir() else []


def _load_registry(corpus: Corpus, table: str, model: type[Record]) -> None:
    loaded: list[Located[Any]] = []
    for path in table_files(corpus.data_dir, table):
        loaded.extend(read_registry_file(corpus, table, model, path))
    corpus.tables[table] = loaded


def read_registry_file(
    corpus: Corpus,
    table: str,
    model: type[Record],
    path: Path,
    keep: Callable[[Any], Any] | None = None,
) -> list[Located[Any]]:
    """The records of one file of a registry table that load (each as ``keep`` makes it
    of its model, by default the model itself); its problems, and the ids of its records
    that fail to load, go to ``corpus``. A YAML file is read a record at a time
    (``read_data_list``)."""
    loaded: list[Located[Any]] = []
    read = each_registry_record(corpus, table, model, path, keep, loaded.append)
    return loaded if read else []


def each_registry_record(
    corpus: Corpus,
    table: str,
    model: type[Record],
    path: Path,
    keep: Callable[[Any], Any] | None,
    each: Callable[[Located[Any]], None],
) -> bool:
    """``read_registry_file``, each record that loads handed to ``each`` as soon as it is
    read, none kept; whether the file read (when it did not, what ``each`` was given
    counts for nothing: a file that fails to parse loads no record)."""
    shown = _relative(path, corpus.data_dir)
    issues_before = len(corpus.issues)
    source = YamlSource(path)

    def take(item: Item) -> tuple[list[Issue], Any] | None:
        """None for a record that loads without a problem (the most), kept by no list."""
        found: list[Issue] = []
        record = validate_record(model, item.plain, shown, item.node, [item.index], found, item.at)
        if record is None:
            return found, item.plain  # its id is noted as unloaded
        kept = record if keep is None else keep(record)
        each(Located(kept, shown, item.line, source, (item.index,)))
        return (found, _LOADED) if found else None

    read = read_data_list(path, shown, corpus.issues, take)
    if read is None:
        if len(corpus.issues) > issues_before:  # not merely empty
            corpus.unread_tables.add(table)
            return False
        return True
    if not isinstance(read, list):
        corpus.issues.append(
            Issue(shown, 1, 1, "NOT_A_LIST", f"{shown} must hold a list of {table} records")
        )
        corpus.unread_tables.add(table)
        return False
    for taken in read:
        if taken is not None:
            found, plain = taken
            corpus.issues.extend(found)
            if plain is not _LOADED:
                corpus._unloaded(table, plain)
    return True


_LOADED = object()
"""Taken in place of a record that loaded (see ``each_registry_record``)."""


def _load_documents(
    corpus: Corpus, document_files: Sequence[Path], executor: Executor, progress: Progress
) -> None:
    """data/documents/*.yaml and *.json; a file of ``document_files`` takes the place of the one of its
    name there (or joins them), to check an annotation file against data/ on its own. Each
    file is read by ``executor`` (annotation_file.py); the parts are joined in file order."""
    files = {path.name: path for path in annotation_files(corpus.data_dir)}
    files.update({path.name: path for path in document_files})
    entries = [(files[name], _relative(files[name], corpus.data_dir)) for name in sorted(files)]
    progress.start("documents, read for the release", len(entries))
    for part in executor.map(_read_document, entries, corpus.raw_files):
        progress.advance(len(part.claims))
        corpus.issues.extend(part.issues)
        if part.document is not None:
            corpus.documents.append(part.document)
        corpus.claims.extend(part.claims)
        corpus.loose_claims.extend(part.loose_claims)
        merge_unloaded(corpus.unloaded, part.unloaded)
        corpus.unsegmented.update(part.unsegmented)


def _read_document(entry: tuple[Path, str], shared: Mapping[str, RawFile]) -> DocumentPart:
    """One annotation file (the executor's task: a module-level function, so it pickles)."""
    return read_document_file(entry[0], entry[1], shared)


def load_corpus(
    data_dir: Path,
    document_files: Sequence[Path] = (),
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Corpus:
    """Read and validate every file of data/; problems are collected, never raised.
    ``document_files`` are annotation files read in place of data/'s of the same name;
    ``executor`` reads the annotation files (by default one after another, here), and
    ``progress`` hears of each one."""
    with collector_paused():
        return _load_corpus(data_dir, document_files, executor or InProcess(), progress or Silent())


def _load_corpus(
    data_dir: Path, document_files: Sequence[Path], executor: Executor, progress: Progress
) -> Corpus:
    corpus = Corpus(data_dir=data_dir)
    load_head(corpus)
    for table, model in REGISTRY_MODELS.items():
        _load_registry(corpus, table, model)
    _load_documents(corpus, document_files, executor, progress)
    _attach_research(corpus)
    return corpus


def load_head(corpus: Corpus, spool: Path | None = None) -> None:
    """data/release.yaml and data/raw/: what every other file is read against (the raw
    files kept in the folder ``spool`` if one is given, see ``load_raw``)."""
    release_path = corpus.data_dir / "release.yaml"
    shown = _relative(release_path, corpus.data_dir)
    if release_path.is_file():
        node = read_yaml(release_path, shown, corpus.issues)
        if node is not None:
            corpus.release = validate_record(
                ReleaseInfo, to_plain(node), shown, node, [], corpus.issues
            )
    else:
        message = f"{shown} is missing: it holds the dataset version"
        corpus.issues.append(Issue(shown, None, None, "FILE_MISSING", message))
    corpus.raw_files, raw_issues = load_raw(corpus.data_dir, spool)
    corpus.issues.extend(raw_issues)


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
        if claim_id not in links and claim_id not in records:
            continue
        state = research_state(links.get(claim_id, 0), records.get(claim_id))
        claim = located.record.model_copy(update={"research": state})
        corpus.claims[index] = replace(located, record=claim)
