"""Build a release: validate everything, compare with the previous release, write into a
temporary folder, rename it into place."""

from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimtrack import __version__
from claimtrack.citation import cite, render_cff
from claimtrack.executors import DaskExecutor, Executor
from claimtrack.issues import Issue, has_errors
from claimtrack.loading import Corpus, load_corpus
from claimtrack.lookup import CorpusLookup
from claimtrack.models import SCHEMA_VERSION, TABLE_MODELS
from claimtrack.progress import Progress, Silent
from claimtrack.release.card import front_matter, render_card
from claimtrack.release.croissant import render_croissant
from claimtrack.release.diff import (
    BUMPS,
    ReleaseDiff,
    ReleaseReadError,
    Rows,
    diff_rows,
    read_release,
    render_changelog,
    version_bump,
)
from claimtrack.release.folders import find_previous
from claimtrack.release.index import INDEX_NAME, fingerprint_rows, read_index, render_index
from claimtrack.release.manifest import build_manifest, source_commit, source_tree_dirty
from claimtrack.release.summary import fill, generated_sections, read_card, table_counts
from claimtrack.release.tables import ShardLimits, record_rows, write_table
from claimtrack.release.webannotation import write_annotations
from claimtrack.schemas import SCHEMA_MODELS, render
from claimtrack.site.generate import write_site
from claimtrack.site.release_data import release_data
from claimtrack.validation.streaming import validate_data


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

    def names(root: Path) -> set[Path]:
        return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}

    files = names(first)
    return files == names(second) and all(
        filecmp.cmp(first / name, second / name, shallow=False) for name in sorted(files)
    )


def read_previous(previous: Path) -> tuple[dict[str, Any], Rows]:
    """A previous release's header and rows, from its folder or from its index file."""
    if previous.is_file():
        return read_index(previous)
    return read_release(previous)


def current_rows(corpus: Corpus) -> dict[str, list[dict[str, Any]]]:
    """Every table's records as released: JSON-ready dicts sorted by id."""
    return {
        table: record_rows([located.record for located in corpus.records(table)])
        for table in TABLE_MODELS
    }


def compare_with_previous(
    corpus: Corpus, rows: dict[str, list[dict[str, Any]]], previous: Path
) -> tuple[ReleaseDiff, list[Issue]]:
    """The diff against the previous release, and the problems with removals and the version."""
    assert corpus.release is not None
    manifest, old_rows = read_previous(previous)
    new_rows: Rows = {
        table: {row["id"]: row for row in table_rows} for table, table_rows in rows.items()
    }
    # Compared as field hashes, so that a folder and a published index give the same diff.
    diff = diff_rows(
        fingerprint_rows(old_rows) if previous.is_dir() else old_rows,
        fingerprint_rows(new_rows),
        old_version=manifest["version"],
        new_version=corpus.release.version,
        old_schema_version=manifest["schema_version"],
        new_schema_version=SCHEMA_VERSION,
    )
    diff.tombstones = {
        (stone["table"], stone["id"]): stone for stone in new_rows.get("tombstones", {}).values()
    }
    issues = [
        Issue(
            corpus.shown("tombstones.yaml"),
            None,
            None,
            "ID_REMOVED",
            f"{table} id {record_id!r} was in release {diff.old_version} and is gone; restore it, or add a "
            f"tombstone (id, table, replaced_by, reason, release: {corpus.release.version}) to data/tombstones.yaml",
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
                corpus.shown("release.yaml"),
                None,
                None,
                "VERSION_BUMP",
                f"the changes since {diff.old_version} need a {required} version bump, but {diff.new_version} is "
                f"{'lower' if actual == 'lower' else 'a ' + actual + ' bump'}; set `version` in data/release.yaml "
                "(major: an id removed or a field broken; minor: records added; patch: corrections)",
            )
        )
    return diff, issues


def published_conflict(
    data_dir: Path, version: str, rows: dict[str, list[dict[str, Any]]]
) -> Issue | None:
    """RELEASE_CONFLICT when ``data/releases/<version>.jsonl`` records a published release of
    this version whose records differ from the data: a published version is never rebuilt
    with other content."""
    path = data_dir / "releases" / f"{version}.jsonl"
    if not path.is_file():
        return None
    try:
        _, published = read_index(path)
    except ReleaseReadError as error:
        return Issue(error.file, error.line, None, error.code, error.message)
    current = fingerprint_rows({t: {row["id"]: row for row in r} for t, r in rows.items()})
    if all(published.get(table, {}) == current.get(table, {}) for table in TABLE_MODELS):
        return None
    return Issue(
        "data/release.yaml",
        None,
        None,
        "RELEASE_CONFLICT",
        f"release {version} was published (data/releases/{version}.jsonl) with other records; "
        "set a new `version` in data/release.yaml",
    )


def write_release(
    corpus: Corpus,
    rows: dict[str, list[dict[str, Any]]],
    root: Path,
    card_template: str,
    diff: ReleaseDiff | None,
    limits: ShardLimits | None = None,
) -> dict[str, int]:
    """Write every release file of ``corpus`` (its ``rows``) under ``root`` (which must not exist),
    each table in shards cut at ``limits`` (by default ``tables.SHARD_LIMITS``)."""
    assert corpus.release is not None
    root.mkdir(parents=True)
    counts = table_counts(corpus)
    written = {
        table: write_table(table, rows[table], model, root, limits)
        for table, model in TABLE_MODELS.items()
    }
    (root / "schema").mkdir()
    for name, model in SCHEMA_MODELS.items():
        (root / "schema" / name).write_bytes(render(model))
    body = fill(card_template, generated_sections(corpus))
    (root / "README.md").write_text(
        render_card(front_matter(corpus.release, written), body), encoding="utf-8"
    )
    (root / "CITATION.cff").write_text(render_cff(corpus.release), encoding="utf-8")
    changelog = render_changelog(diff, corpus.release.version, corpus.release.date_released, counts)
    (root / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    (root / INDEX_NAME).write_bytes(
        render_index(corpus.release.version, SCHEMA_VERSION, {t: rows[t] for t in TABLE_MODELS})
    )
    parquet = {table: item.parquet for table, item in written.items()}
    (root / "croissant.json").write_bytes(
        render_croissant(
            root, corpus.release, parquet, cite(CorpusLookup(corpus), "release", "bibtex")
        )
    )
    write_annotations(rows, root)
    # the explorer is written before the manifest so that the manifest lists every page
    write_site(release_data(corpus.release.version, rows), root / "site")
    manifest = build_manifest(
        root,
        dataset_version=corpus.release.version,
        schema_version=SCHEMA_VERSION,
        package_version=__version__,
        commit=source_commit(corpus.data_dir),
        dirty=source_tree_dirty(corpus.data_dir),
        release=corpus.release.model_dump(mode="json", exclude_none=True),
        counts=counts,
    )
    (root / "manifest.json").write_bytes(manifest)
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
    shard a small corpus."""
    progress = progress or Silent()
    # Checked first one file at a time (bounded memory, parallel): data/ with problems is
    # reported at any size; only valid data is then read whole to be written.
    checker = executor if isinstance(executor, DaskExecutor) else None
    issues = validate_data(data_dir, executor=checker, progress=progress)
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
    if has_errors(issues) or card is None:
        return BuildResult(issues)
    corpus = load_corpus(data_dir, executor=executor, progress=progress)
    if corpus.release is None:  # reported above: without it there is no error-free data/
        return BuildResult(issues)
    diff = None
    rows = current_rows(corpus)  # dumped once: compared with the previous release, then written
    conflict = published_conflict(data_dir, corpus.release.version, rows)
    if conflict is not None:
        return BuildResult([*issues, conflict])
    previous = previous or find_previous(out_dir, corpus.release.version, data_dir)
    if previous is not None:
        try:
            diff, version_issues = compare_with_previous(corpus, rows, previous)
        except ReleaseReadError as error:
            message = f"the release to compare with does not read: {error.message}"
            issues.append(Issue(error.file, error.line, None, error.code, message))
            return BuildResult(issues)
        issues.extend(version_issues)
        if has_errors(issues):
            return BuildResult(issues, diff=diff)
    final = out_dir / f"claimtrack-{corpus.release.version}"
    temporary = out_dir / f".{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        progress.start("writing the release", 1)
        counts = write_release(corpus, rows, temporary, card, diff, shard_limits)
        progress.advance()
        if final.exists():
            if _same_tree(temporary, final):
                return BuildResult(issues, final, "unchanged", counts, diff)
            issues.append(
                Issue(
                    str(final),
                    None,
                    None,
                    "RELEASE_CONFLICT",
                    f"a release {corpus.release.version} with different content already exists; "
                    "bump `version` in data/release.yaml (or remove the old folder if it was never published)",
                )
            )
            return BuildResult(issues, diff=diff)
        os.rename(temporary, final)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return BuildResult(issues, final, "written", counts, diff)
