"""release: work out the version bump the changes since the newest release need (the
build's own comparison, release/diff.py), set version and date_released in
data/release.yaml, refresh the generated card sections, and list hand-written text that
names counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.intake.cards import CardRefresh, counted_text, refresh_cards
from claimtrack.intake.edits import set_scalars
from claimtrack.issues import Issue, has_errors
from claimtrack.loading import load_corpus
from claimtrack.release.build import compare_corpus
from claimtrack.release.diff import BUMPS, ReleaseDiff, version_bump
from claimtrack.release.folders import find_previous
from claimtrack.validation import run_checks


@dataclass
class ReleasePlan:
    previous: Path | None
    old_version: str | None
    required: str
    version: str
    date_released: str
    diff: ReleaseDiff | None
    cards: CardRefresh = field(default_factory=CardRefresh)
    counted: list[tuple[Path, int, str]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """data/ has errors: nothing was written."""
        return has_errors(self.issues)


def bumped(version: str, bump: str) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def plan_release(
    data_dir: Path, out_dir: Path, previous: Path | None, date: str, cards: list[Path]
) -> ReleasePlan:
    """Prepare data/ for a release; with errors in data/ nothing is written (see ``issues``)."""
    corpus = load_corpus(data_dir)
    issues = run_checks(corpus)
    if has_errors(issues) or corpus.release is None:
        return ReleasePlan(None, None, "none", "", date, None, issues=issues)
    current = corpus.release.version
    # The newest release built or published, whatever its version: the changes since it count.
    previous = previous or find_previous(out_dir, "", data_dir)
    diff, required, version, old_version = None, "none", current, None
    if previous is not None:
        diff, _ = compare_corpus(corpus, previous)
        old_version, required = diff.old_version, diff.required_bump()
        actual = version_bump(old_version, current)
        if actual == "lower" or actual == "none" or BUMPS.index(actual) < BUMPS.index(required):
            version = bumped(old_version, required)
    changes = {"version": version, "date_released": date}
    if {key: getattr(corpus.release, key) for key in changes} != changes:
        set_scalars(data_dir / "release.yaml", changes)
        corpus = load_corpus(data_dir)
    plan = ReleasePlan(previous, old_version, required, version, date, diff, issues=issues)
    plan.cards = refresh_cards(corpus, cards, check=False)
    for path in [*cards, data_dir / "release.yaml"]:
        plan.counted.extend((path, line, phrase) for line, phrase in counted_text(path))
    return plan
