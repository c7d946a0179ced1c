"""Build a release: validate everything, write into a temporary folder, rename it into place."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from claimtrack import __version__
from claimtrack.checks import run_checks
from claimtrack.issues import Issue, has_errors
from claimtrack.loading import Corpus, load_corpus
from claimtrack.models import SCHEMA_VERSION, TABLE_MODELS
from claimtrack.release.card import front_matter, render_card
from claimtrack.release.manifest import build_manifest, source_commit
from claimtrack.release.summary import fill, generated_sections, table_counts
from claimtrack.release.tables import write_table
from claimtrack.schemas import SCHEMA_MODELS, render


@dataclass
class BuildResult:
    issues: list[Issue]
    release_dir: Path | None = None
    status: str = "failed"
    """``written``, ``unchanged`` (an identical release existed) or ``failed``."""
    counts: dict[str, int] = field(default_factory=dict)


def _same_tree(first: Path, second: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {
            str(path.relative_to(root)): path.read_bytes()
            for path in root.rglob("*")
            if path.is_file()
        }

    return files(first) == files(second)


def write_release(corpus: Corpus, root: Path, card_template: str) -> dict[str, int]:
    """Write every release file of ``corpus`` under ``root`` (which must not exist)."""
    assert corpus.release is not None
    root.mkdir(parents=True)
    counts = table_counts(corpus)
    written = {
        table: write_table(
            table, [located.record for located in corpus.records(table)], model, root
        )
        for table, model in TABLE_MODELS.items()
    }
    for name, model in SCHEMA_MODELS.items():
        (root / "schema").mkdir(exist_ok=True)
        (root / "schema" / name).write_bytes(render(model))
    body = fill(card_template, generated_sections(corpus))
    card = render_card(front_matter(corpus.release, written), body)
    (root / "README.md").write_text(card, encoding="utf-8")
    manifest = build_manifest(
        root,
        dataset_version=corpus.release.version,
        schema_version=SCHEMA_VERSION,
        package_version=__version__,
        commit=source_commit(corpus.data_dir),
        counts=counts,
    )
    (root / "manifest.json").write_bytes(manifest)
    return counts


def build(data_dir: Path, out_dir: Path) -> BuildResult:
    corpus = load_corpus(data_dir)
    issues = run_checks(corpus)
    card_path = data_dir.parent / "DATA_CARD.md"
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
    if has_errors(issues) or corpus.release is None:
        return BuildResult(issues)
    final = out_dir / f"claimtrack-{corpus.release.version}"
    temporary = out_dir / f".{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        counts = write_release(corpus, temporary, card_path.read_text(encoding="utf-8"))
        if final.exists():
            if _same_tree(temporary, final):
                return BuildResult(issues, final, "unchanged", counts)
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
            return BuildResult(issues)
        os.rename(temporary, final)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return BuildResult(issues, final, "written", counts)
