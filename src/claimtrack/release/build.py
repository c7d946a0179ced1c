"""Build a release: validate everything, compare with the previous release, write into a
temporary folder, rename it into place."""

from __future__ import annotations

import contextlib
import dataclasses
import filecmp
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimtrack import __version__
from claimtrack.citation import cite, render_cff
from claimtrack.executors import FORKS, DaskExecutor, Executor, ForkedCall, local_jobs
from claimtrack.issues import Issue, has_errors
from claimtrack.loading import Corpus
from claimtrack.models import SCHEMA_VERSION, TABLE_MODELS
from claimtrack.progress import Progress, Silent
from claimtrack.release.card import front_matter, render_card
from claimtrack.release.contents import Contents, StoreLookup, contents_of
from claimtrack.release.croissant import CroissantProcess
from claimtrack.release.diff import (
    BUMPS,
    ReleaseDiff,
    ReleaseReadError,
    diff_stored,
    iter_release,
    read_manifest,
    render_changelog,
    version_bump,
)
from claimtrack.release.folders import find_previous
from claimtrack.release.index import INDEX_NAME, IndexEntry, IndexWriter, fingerprint, iter_index
from claimtrack.release.manifest import (
    MANIFEST_NAME,
    FileLog,
    release_files,
    source_commit,
    source_tree_dirty,
    write_manifest,
)
from claimtrack.release.store import RowStore
from claimtrack.release.summary import fill, generated_sections, read_card
from claimtrack.release.tables import ShardLimits, TableWriter, WrittenTable, malloc_for_arrow
from claimtrack.release.webannotation import write_annotations
from claimtrack.schemas import SCHEMA_MODELS, render
from claimtrack.site.generate import write_site
from claimtrack.site.release_data import ReleaseData
from claimtrack.textfiles import shown_path
from claimtrack.validation.streaming import check_data


@dataclass
class BuildResult:
    issues: list[Issue]
    release_dir: Path | None = None
    status: str = "failed"
    """``written``, ``unchanged`` (an identical release existed) or ``failed``."""
    counts: dict[str, int] = field(default_factory=dict)
    diff: ReleaseDiff | None = None


def _same_tree(first: Path, second: Path) -> bool:
    """The same file names and bytes, compared a file at a time (a release may be large)."""
    pairs = itertools.zip_longest(release_files(first), release_files(second))
    return all(
        name == other and filecmp.cmp(first / name, second / name, shallow=False)
        for name, other in pairs
    ) and filecmp.cmp(first / MANIFEST_NAME, second / MANIFEST_NAME, shallow=False)


def load_previous(store: RowStore, previous: Path) -> dict[str, Any]:
    """Keep the field hashes of a previous release (its folder's records, or its index file)
    in ``store`` as ``old``; give its manifest (or the index's header)."""
    if previous.is_dir():
        manifest = read_manifest(previous)
        rows = iter_release(previous)
        store.add_fingerprints("old", ((t, row["id"], fingerprint(row)) for t, row in rows))
        return manifest
    header, entries = iter_index(previous)
    store.add_fingerprints("old", entries)
    return header


def compare_with_previous(
    contents: Contents, index: Path, previous: Path
) -> tuple[ReleaseDiff, list[Issue]]:
    """The diff against the previous release (``index``: the new release's index file), and
    the problems with removals and the version."""
    store, release = contents.store, contents.release
    manifest = load_previous(store, previous)
    _, entries = iter_index(index)
    store.add_fingerprints("new", entries)
    diff = diff_stored(
        store,
        store.rows("tombstones"),
        old_version=manifest["version"],
        new_version=release.version,
        old_schema_version=manifest["schema_version"],
        new_schema_version=SCHEMA_VERSION,
    )
    shown = shown_path(contents.data_dir / "tombstones.yaml", contents.data_dir)
    issues = [
        Issue(
            shown,
            None,
            None,
            "ID_REMOVED",
            f"{table} id {record_id!r} was in release {diff.old_version} and is gone; restore it, or add a "
            f"tombstone (id, table, replaced_by, reason, release: {release.version}) to data/tombstones.yaml",
            "",
            record_id,
        )
        for table, record_id in diff.untombstoned()
    ]
    required, actual = diff.required_bump(), version_bump(diff.old_version, diff.new_version)
    if (
        actual == "lower"
        or (actual != "none" and BUMPS.index(actual) < BUMPS.index(required))
        or (actual == "none" and required != "none")
    ):
        issues.append(
            Issue(
                shown_path(contents.data_dir / "release.yaml", contents.data_dir),
                None,
                None,
                "VERSION_BUMP",
                f"the changes since {diff.old_version} need a {required} version bump, but {diff.new_version} is "
                f"{'lower' if actual == 'lower' else 'a ' + actual + ' bump'}; set `version` in data/release.yaml "
                "(major: an id removed or a field broken; minor: records added; patch: corrections)",
            )
        )
    return diff, issues


def compare_corpus(corpus: Corpus, previous: Path) -> tuple[ReleaseDiff, list[Issue]]:
    """``compare_with_previous`` for a data/ read whole (an error-free corpus)."""
    with (
        contents_of(corpus) as contents,
        tempfile.TemporaryDirectory(prefix="claimtrack-index-") as scratch,
    ):
        index = Path(scratch) / INDEX_NAME
        write_index(contents, index)
        return compare_with_previous(contents, index, previous)


def published_conflict(data_dir: Path, version: str, index: Path) -> Issue | None:
    """RELEASE_CONFLICT when ``data/releases/<version>.jsonl`` records a published release of
    this version whose records differ from those of ``index`` (the new release's index): a
    published version is never rebuilt with other content."""
    path = data_dir / "releases" / f"{version}.jsonl"
    if not path.is_file():
        return None
    try:
        _, published = iter_index(path)
        _, current = iter_index(index)
        same = _same_entries(published, current)
    except ReleaseReadError as error:
        return Issue(error.file, error.line, None, error.code, error.message)
    if same:
        return None
    return Issue(
        "data/release.yaml",
        None,
        None,
        "RELEASE_CONFLICT",
        f"release {version} was published (data/releases/{version}.jsonl) with other records; "
        "set a new `version` in data/release.yaml",
    )


def _same_entries(first: Iterator[IndexEntry], second: Iterator[IndexEntry]) -> bool:
    """Whether two indexes hold the same records of the released tables (both are written
    table by table, in id order)."""

    def released(entries: Iterator[IndexEntry]) -> Iterator[IndexEntry]:
        return (entry for entry in entries if entry[0] in TABLE_MODELS)

    missing = object()
    return all(
        a == b
        for a, b in itertools.zip_longest(released(first), released(second), fillvalue=missing)
    )


def write_index(contents: Contents, path: Path) -> None:
    """The index of the release's rows (``index.jsonl``), written a row at a time."""
    with IndexWriter(path, contents.release.version, SCHEMA_VERSION) as index:
        for table in TABLE_MODELS:
            for row in contents.store.rows(table):
                index.add(table, row)


def write_tables(
    contents: Contents,
    root: Path,
    limits: ShardLimits | None = None,
    progress: Progress | None = None,
) -> dict[str, WrittenTable]:
    """Every table into ``root``, in shards cut at ``limits`` (by default
    ``tables.SHARD_LIMITS``); ``progress`` hears of each table written."""
    progress = progress or Silent()
    progress.start("release tables", len(TABLE_MODELS))
    written = {}
    with malloc_for_arrow():
        for table, model in TABLE_MODELS.items():
            with TableWriter(table, model, root, limits) as writer:
                for row in contents.store.rows(table):
                    writer.write(row)
                written[table] = writer.close()
            progress.advance(written[table].rows if table == "claims" else 0)
    return written


@dataclass(frozen=True)
class ReleaseFiles:
    """What the release files but the explorer's and the manifest are written from."""

    contents: Contents
    root: Path
    card_template: str
    diff: ReleaseDiff | None
    counts: dict[str, int]
    limits: ShardLimits | None
    scratch: Path

    def write(self, progress: Progress) -> CroissantProcess:
        """The tables, the schemas, the card, CITATION.cff, the changelog and the Web
        Annotations; gives the process rendering croissant.json (from the tables), still
        running: the caller writes its result."""
        contents, root = self.contents, self.root
        release = contents.release
        written = write_tables(contents, root, self.limits, progress)
        parquet = {table: item.parquet for table, item in written.items()}
        citation = cite(StoreLookup(contents), "release", "bibtex")
        croissant = CroissantProcess(root, release, parquet, citation, self.scratch)
        try:
            (root / "schema").mkdir()
            for name, model in SCHEMA_MODELS.items():
                (root / "schema" / name).write_bytes(render(model))
            body = fill(self.card_template, generated_sections(contents))
            (root / "README.md").write_text(
                render_card(front_matter(release, written), body), encoding="utf-8"
            )
            (root / "CITATION.cff").write_text(render_cff(release), encoding="utf-8")
            changelog = render_changelog(
                self.diff, release.version, release.date_released, self.counts
            )
            (root / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
            write_annotations(contents.store, root)
        except BaseException:
            croissant.close()
            raise
        return croissant

    def write_apart(self) -> None:
        """``write`` in a forked process: through a connection of its own to the store, with
        croissant.json written before it ends."""
        store = self.contents.store.reopen()
        try:
            files = dataclasses.replace(
                self, contents=dataclasses.replace(self.contents, store=store)
            )
            with files.write(Silent()) as croissant:
                (self.root / "croissant.json").write_bytes(croissant.result())
        finally:
            store.close()


def write_release(
    contents: Contents,
    root: Path,
    card_template: str,
    diff: ReleaseDiff | None,
    limits: ShardLimits | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the release files into the folder ``root`` (which holds the index), the
    manifest last. From 32 documents on, the explorer's pages are written by worker
    processes and the other files (``ReleaseFiles``) beside them, by a forked process of
    their own: the build's process wrote those first while the second CPU waited. (A
    build of 100,000 synthetic claims: 52.9 s and 189 MB against 57.8 s and 198 MB,
    medians of 3, with the explorer's lookups read together as well.) Below 32 documents,
    or where processes cannot be forked, they are written first, and croissant.json is
    rendered beside the pages."""
    progress = progress or Silent()
    counts = contents.counts()
    site = ReleaseData(contents.release.version, contents.store)
    jobs = local_jobs(contents.store.count("documents"))
    apart = jobs > 1 and FORKS and contents.store.path is not None
    with tempfile.TemporaryDirectory(prefix="claimtrack-files-") as scratch:
        files = ReleaseFiles(contents, root, card_template, diff, counts, limits, Path(scratch))
        with contextlib.ExitStack() as stack:
            if apart:
                beside = stack.enter_context(ForkedCall(files.write_apart))
            else:
                croissant = stack.enter_context(files.write(progress))
            # the pages' checksums are taken as they are written, not read again from disk
            log = FileLog(Path(scratch) / "site.sqlite")
            stack.callback(log.close)
            # the explorer is written before the manifest so that the manifest lists every page
            write_site(site, root / "site", jobs=jobs, progress=progress, log=log)
            if apart:  # the tables, the card... written beside the pages: done, or soon
                progress.start("release tables, card and annotations", 1)
                beside.result()
                progress.advance()
            else:
                (root / "croissant.json").write_bytes(croissant.result())
            write_manifest(
                root,
                dataset_version=contents.release.version,
                schema_version=SCHEMA_VERSION,
                package_version=__version__,
                commit=source_commit(contents.data_dir),
                dirty=source_tree_dirty(contents.data_dir),
                release=contents.release.model_dump(mode="json", exclude_none=True),
                counts=counts,
                logged=("site", log),
            )
    return counts


def build(
    data_dir: Path,
    out_dir: Path,
    previous: Path | None = None,
    *,
    shard_limits: ShardLimits | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Validate ``data_dir`` and write its release under ``out_dir``; ``executor`` reads the
    annotation files (by default here); ``shard_limits`` is for tests and benchmarks that
    shard a small corpus.

    data/ is read once, a file at a time (bounded memory, parallel): the checks keep each
    record as its release row in a store on disk (store.py), and with no error the release
    is written from the store."""
    progress = progress or Silent()
    with (
        tempfile.TemporaryDirectory(prefix="claimtrack-build-") as scratch,
        RowStore(Path(scratch) / "rows.sqlite") as store,
    ):
        return _build(
            data_dir, out_dir, previous, store, Path(scratch), shard_limits, executor, progress
        )


def _build(
    data_dir: Path,
    out_dir: Path,
    previous: Path | None,
    store: RowStore,
    scratch: Path,
    shard_limits: ShardLimits | None,
    executor: Executor | None,
    progress: Progress,
) -> BuildResult:
    checker = executor if isinstance(executor, DaskExecutor) else None
    spool = scratch / "checks"  # the raw files are read from it to the end
    spool.mkdir()
    issues, held = check_data(data_dir, spool, checker, progress, keep=store)
    card_path = data_dir.parent / "DATA_CARD.md"
    card: str | None = None
    if not card_path.is_file():
        issues.append(
            Issue(
                str(card_path),
                None,
                None,
                "FILE_MISSING",
                "DATA_CARD.md is missing: the release card is rendered from it",
            )
        )
    else:
        card, card_problems = read_card(card_path)
        issues.extend(card_problems)
    if (
        previous is not None
        and not (previous / "manifest.json").is_file()
        and not (previous.is_file() and previous.suffix == ".jsonl")
    ):
        issues.append(
            Issue(
                str(previous),
                None,
                None,
                "FILE_MISSING",
                "--previous must be a release folder (with manifest.json) or a release index "
                "(data/releases/<version>.jsonl)",
            )
        )
    if has_errors(issues) or card is None or held.release is None:
        return BuildResult(issues)
    store.finish()
    contents = Contents(
        data_dir,
        held.release,
        sorted(held.raw_files),
        store,
    )
    version = held.release.version
    index = scratch / INDEX_NAME  # written first: the checks against published releases read it
    write_index(contents, index)
    conflict = published_conflict(data_dir, version, index)
    if conflict is not None:
        return BuildResult([*issues, conflict])
    diff = None
    previous = previous or find_previous(out_dir, version, data_dir)
    if previous is not None:
        try:
            diff, version_issues = compare_with_previous(contents, index, previous)
        except ReleaseReadError as error:
            message = f"the release to compare with does not read: {error.message}"
            issues.append(Issue(error.file, error.line, None, error.code, message))
            return BuildResult(issues)
        issues.extend(version_issues)
        if has_errors(issues):
            return BuildResult(issues, diff=diff)
    final = out_dir / f"claimtrack-{version}"
    temporary = out_dir / f".{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        temporary.mkdir()
        shutil.copyfile(index, temporary / INDEX_NAME)
        counts = write_release(contents, temporary, card, diff, shard_limits, progress)
        if final.exists():
            if _same_tree(temporary, final):
                return BuildResult(issues, final, "unchanged", counts, diff)
            issues.append(
                Issue(
                    str(final),
                    None,
                    None,
                    "RELEASE_CONFLICT",
                    f"a release {version} with different content already exists; "
                    "bump `version` in data/release.yaml (or remove the old folder if it was never published)",
                )
            )
            return BuildResult(issues, diff=diff)
        os.rename(temporary, final)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return BuildResult(issues, final, "written", counts, diff)
