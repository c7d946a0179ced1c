"""Published release indexes: a fresh clone (no dist/) still compares with the last release."""

from __future__ import annotations

import shutil
from pathlib import Path

from claimtrack.release.build import build
from claimtrack.release.diff import diff_releases

from .test_releases import _remove_visits_claim, _set_version, _tombstone_visits_claim


def _publish(release_dir: Path, data: Path, version: str) -> Path:
    """What publishing a release commits: its index under data/releases/."""
    target = data / "releases" / f"{version}.jsonl"
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(release_dir / "index.jsonl", target)
    return target


def test_a_removal_is_caught_from_the_published_index_alone(
    fixture_root: Path, tmp_path: Path
) -> None:
    first = build(fixture_root / "data", tmp_path / "first")
    assert first.release_dir is not None
    _publish(first.release_dir, fixture_root / "data", "1.2.3")
    _remove_visits_claim(fixture_root)
    _set_version(fixture_root, "2.0.0")
    fresh = tmp_path / "fresh-clone-dist"  # no release folder to compare with
    refused = build(fixture_root / "data", fresh)
    assert [issue.code for issue in refused.issues if issue.level.value == "error"] == [
        "ID_REMOVED"
    ]
    assert not fresh.exists() or not any(fresh.iterdir())
    _tombstone_visits_claim(fixture_root)
    second = build(fixture_root / "data", fresh)
    assert second.status == "written", [issue.as_text() for issue in second.issues]
    assert second.release_dir is not None
    changelog = (second.release_dir / "CHANGELOG.md").read_text()
    assert "Compared with 1.2.3; this change requires a major version bump." in changelog
    assert (
        "- `second-piece/visits-daily` — Split differently. "
        "(replaced by `second-piece/piece-was-new`)" in changelog
    )
    assert "Added (1): `second-piece/piece-was-new`" in changelog


def test_the_index_gives_the_same_diff_as_the_release_folder(
    fixture_root: Path, tmp_path: Path
) -> None:
    first = build(fixture_root / "data", tmp_path / "dist")
    assert first.release_dir is not None
    published = _publish(first.release_dir, tmp_path, "1.2.3")
    note = fixture_root / "data" / "documents" / "short-note.yaml"
    note.write_text(note.read_text().replace("bloc was formed in 1932.", "bloc formed in 1932."))
    _set_version(fixture_root, "1.2.4")
    by_folder = build(fixture_root / "data", tmp_path / "dist")
    by_index = build(fixture_root / "data", tmp_path / "other", previous=published)
    assert by_folder.diff is not None and by_index.diff is not None
    assert by_index.diff.as_dict() == by_folder.diff.as_dict()
    assert by_index.diff.tables["claims"].changed == {"short-note/bloc-formed-1932": ["statement"]}
    assert by_folder.release_dir is not None
    assert diff_releases(first.release_dir, by_folder.release_dir).required_bump() == "patch"


def test_a_published_version_is_never_rebuilt_with_other_content(
    fixture_root: Path, tmp_path: Path
) -> None:
    first = build(fixture_root / "data", tmp_path / "dist")
    assert first.release_dir is not None
    _publish(first.release_dir, fixture_root / "data", "1.2.3")
    # the same data rebuilds (into another folder) without complaint
    assert build(fixture_root / "data", tmp_path / "again").status == "written"
    note = fixture_root / "data" / "documents" / "short-note.yaml"
    note.write_text(note.read_text().replace("bloc was formed in 1932.", "bloc formed in 1932."))
    refused = build(fixture_root / "data", tmp_path / "changed")
    assert [issue.code for issue in refused.issues] == ["RELEASE_CONFLICT"]
    assert refused.release_dir is None and not (tmp_path / "changed").exists()


def test_the_seed_data_is_compared_with_its_published_releases() -> None:
    from .conftest import REPO

    published = sorted((REPO / "data" / "releases").glob("*.jsonl"))
    assert published, "data/releases/ holds the index of every published release"
    assert all(path.read_bytes().startswith(b'{"schema_version":') for path in published)


def test_a_removal_without_replacement_names_none() -> None:
    from claimtrack.release.diff import ReleaseDiff, TableDiff, render_changelog

    diff = ReleaseDiff(
        "1.2.3",
        "2.0.0",
        {"claims": TableDiff(removed=["a/gone", "a/moved"])},
        {
            ("claims", "a/gone"): {"reason": "Not a claim.", "replaced_by": None},
            ("claims", "a/moved"): {"reason": "Merged.", "replaced_by": "a/kept"},
        },
        "1.1.0",
        "1.1.0",
    )
    changelog = render_changelog(diff, "2.0.0", "2026-12-04", {})
    assert "- `a/gone` — Not a claim.\n" in changelog
    assert "- `a/moved` — Merged. (replaced by `a/kept`)\n" in changelog
