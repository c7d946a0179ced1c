"""Citable releases: version rules, tombstones, changelog and diff, CITATION.cff, Croissant, cite, readers."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import jsonschema
import mlcroissant as mlc
import orjson
import pandas as pd
import pytest
import yaml

from claimtrack.cli import main
from claimtrack.loading import load_corpus
from claimtrack.models import TABLE_MODELS
from claimtrack.release.build import BuildResult, build
from claimtrack.release.diff import diff_releases

from .conftest import REPO

CFF_SCHEMA = json.loads((Path(__file__).parent / "data" / "cff-1.2.0" / "schema.json").read_text())
NEW_CLAIM = """\
  - id: second-piece/piece-was-new
    span: {exact: "It was\\u00a0new."}
    statement: The clinic was new.
    claim_type: empirical
    attribution: {claimant_id: note-author, mode: asserts, document_stance: neutral}
"""


def _set_version(root: Path, version: str) -> None:
    release = root / "data" / "release.yaml"
    text = release.read_text()
    release.write_text(text.replace('version: "1.2.3"', f'version: "{version}"'))


def _remove_visits_claim(root: Path) -> None:
    document = root / "data" / "documents" / "second-piece.yaml"
    text = document.read_text()
    document.write_text(text[: text.index("  - id: second-piece/visits-daily")] + NEW_CLAIM)


def _tombstone_visits_claim(root: Path) -> None:
    tombstones = root / "data" / "tombstones.yaml"
    tombstones.write_text(
        tombstones.read_text()
        + "- {id: second-piece/visits-daily, table: claims, replaced_by: second-piece/piece-was-new, "
        + 'reason: Split differently., release: "2.0.0"}\n'
    )


def test_two_releases_give_a_changelog_and_a_diff(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist"
    assert build(fixture_root / "data", out).status == "written"
    assert "First release" in (out / "claimtrack-1.2.3" / "CHANGELOG.md").read_text()
    note = fixture_root / "data" / "documents" / "short-note.yaml"
    note.write_text(
        note.read_text().replace(
            "The opposition bloc was formed in 1932.", "The bloc was formed in 1932."
        )
    )
    _remove_visits_claim(fixture_root)
    _tombstone_visits_claim(fixture_root)
    _set_version(fixture_root, "2.0.0")
    second = build(fixture_root / "data", out)
    assert second.status == "written", [issue.as_text() for issue in second.issues]
    changelog = (out / "claimtrack-2.0.0" / "CHANGELOG.md").read_text()
    assert "Compared with 1.2.3; this change requires a major version bump." in changelog
    assert "Added (1): `second-piece/piece-was-new`" in changelog
    assert (
        "- `second-piece/visits-daily` — Split differently. (replaced by `second-piece/piece-was-new`)"
        in changelog
    )
    assert "- `short-note/bloc-formed-1932`: statement" in changelog
    diff = diff_releases(out / "claimtrack-1.2.3", out / "claimtrack-2.0.0").as_dict()
    assert diff["required_bump"] == "major"
    claims = diff["tables"]["claims"]
    assert claims["added"] == ["second-piece/piece-was-new"]
    assert claims["removed"][0]["tombstone"]["reason"] == "Split differently."
    assert claims["changed"] == [{"id": "short-note/bloc-formed-1932", "fields": ["statement"]}]
    assert diff["tables"]["tombstones"]["added"] == ["second-piece/visits-daily"]
    assert (
        main(
            [
                "diff",
                str(out / "claimtrack-1.2.3"),
                str(out / "claimtrack-2.0.0"),
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert orjson.loads(capsys.readouterr().out) == diff
    assert main(["diff", str(out / "claimtrack-1.2.3"), str(out / "claimtrack-2.0.0")]) == 0
    assert "Added (1)" in capsys.readouterr().out


def test_removing_an_id_without_a_tombstone_fails(fixture_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(fixture_root / "data", out).status == "written"
    _remove_visits_claim(fixture_root)
    _set_version(fixture_root, "2.0.0")
    result = build(fixture_root / "data", out)
    assert result.status == "failed"
    messages = [issue.message for issue in result.issues if issue.code == "ID_REMOVED"]
    assert messages == [
        "claims id 'second-piece/visits-daily' was in release 1.2.3 and is gone; restore it, "
        "or add a tombstone (id, table, replaced_by, reason, release: 2.0.0) to data/tombstones.yaml"
    ]
    assert not (out / "claimtrack-2.0.0").exists()


@pytest.mark.parametrize(
    ("version", "ok"), [("1.2.4", False), ("1.3.0", True), ("2.0.0", True), ("1.2.2", False)]
)
def test_adding_records_needs_a_minor_bump(
    fixture_root: Path, tmp_path: Path, version: str, ok: bool
) -> None:
    out = tmp_path / "dist"
    assert build(fixture_root / "data", out).status == "written"
    document = fixture_root / "data" / "documents" / "second-piece.yaml"
    document.write_text(document.read_text() + NEW_CLAIM)
    _set_version(fixture_root, version)
    result = build(fixture_root / "data", out)
    assert (result.status == "written") is ok
    assert ("VERSION_BUMP" in {issue.code for issue in result.issues}) is not ok


def test_a_release_with_no_record_changed_says_no_bump_is_required(
    fixture_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    assert build(fixture_root / "data", out).status == "written"
    _set_version(fixture_root, "1.2.4")
    result = build(fixture_root / "data", out)
    assert result.status == "written" and result.release_dir is not None
    changelog = (result.release_dir / "CHANGELOG.md").read_text()
    assert "Compared with 1.2.3; this change requires no version bump." in changelog
    assert "No record changed." in changelog


def test_citation_cff_is_valid_and_matches_the_release(seed_release: BuildResult) -> None:
    assert seed_release.release_dir is not None
    repo_cff = (REPO / "CITATION.cff").read_text()
    assert (seed_release.release_dir / "CITATION.cff").read_text() == repo_cff
    cff = yaml.safe_load(repo_cff)
    jsonschema.validate(cff, CFF_SCHEMA)
    release = yaml.safe_load((REPO / "data" / "release.yaml").read_text())
    assert (cff["version"], cff["date-released"]) == (release["version"], release["date_released"])
    card = (seed_release.release_dir / "README.md").read_text()
    assert f"Version {release['version']}, released {release['date_released']}" in card


def test_croissant_validates_and_reads_every_table(seed_release: BuildResult) -> None:
    root = seed_release.release_dir
    assert root is not None
    dataset = mlc.Dataset(jsonld=str(root / "croissant.json"))
    metadata = orjson.loads((root / "croissant.json").read_bytes())
    assert metadata["conformsTo"].startswith("http://mlcommons.org/croissant/1.")
    manifest = orjson.loads((root / "manifest.json").read_bytes())
    for item in metadata["distribution"]:
        assert item["sha256"] == manifest["files"][item["contentUrl"]]["sha256"]
    for table in TABLE_MODELS:
        if seed_release.counts[table] == 0:
            continue
        records = list(dataset.records(table))
        assert len(records) == seed_release.counts[table]
        ids = sorted(record[f"{table}/id"].decode() for record in records)
        jsonl_ids = [
            orjson.loads(line)["id"]
            for line in (root / "jsonl" / f"{table}.jsonl").read_bytes().splitlines()
        ]
        assert ids == jsonl_ids


def test_parquet_reads_with_duckdb_and_pandas(seed_release: BuildResult) -> None:
    root = seed_release.release_dir
    assert root is not None
    for table, count in seed_release.counts.items():
        files = sorted((root / "data" / table).glob("*.parquet"))
        if count == 0:
            assert files == []
            continue
        frame = pd.concat([pd.read_parquet(file) for file in files])
        assert len(frame) == count and frame["id"].is_monotonic_increasing
        query = f"select count(*) from read_parquet('{root / 'data' / table}/*.parquet')"
        assert duckdb.sql(query).fetchall() == [(count,)]
    claim = duckdb.sql(
        f"select span.exact, attribution.claimant_id from read_parquet('{root / 'data/claims'}/*.parquet') "
        "where id = 'furr-bloc-archival-evidence/getty-discovered-trotsky-letters'"
    ).fetchall()
    assert len(claim) == 1 and "Getty" in claim[0][0]


def test_card_lists_the_bibliography_rendered_by_citeproc() -> None:
    card = (REPO / "DATA_CARD.md").read_text()
    sources = len(load_corpus(REPO / "data").records("sources"))
    assert f"{sources} works, formatted by citeproc-py" in card
    assert "- Cumings, B. (2003) North Korea: Another Country. New York: The New Press." in card


@pytest.mark.parametrize(
    ("damage", "code", "line"),
    [
        (("manifest.json", b"{broken"), "JSON_SYNTAX", 1),
        (("manifest.json", b"[]"), "SCHEMA", None),
        (("jsonl/claims.jsonl", b'{"id": "a/b"}\n{"id": '), "JSON_SYNTAX", 2),
        (("jsonl/agents.jsonl", b'{"name": "no id"}\n'), "SCHEMA", 1),
    ],
)
def test_a_damaged_release_is_reported_not_raised(  # type: ignore[no-untyped-def]
    fixture_root: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage: tuple[str, bytes],
    code: str,
    line: int | None,
) -> None:
    """`diff` exits 2 naming the file; `build` against it fails with a located problem."""
    out = tmp_path / "dist"
    first = build(fixture_root / "data", out).release_dir
    assert first is not None
    (first / damage[0]).write_bytes(damage[1])
    assert main(["diff", str(first), str(first)]) == 2
    assert str(first / damage[0]) in capsys.readouterr().err
    _set_version(fixture_root, "1.3.0")
    result = build(fixture_root / "data", out, previous=first)
    assert result.status == "failed"
    assert [(issue.code, issue.file, issue.line) for issue in result.issues] == [
        (code, str(first / damage[0]), line)
    ]
