"""Where a release lives, in every output: known (a fixture home) or unknown (the seed, which has
none); and the manifest's honest source commit."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import mlcroissant as mlc
import orjson
import pytest
import yaml

from claimtrack.home import UNKNOWN_HOME
from claimtrack.release.build import BuildResult, build

from .conftest import FIXTURES

CFF_SCHEMA = json.loads((Path(__file__).parent / "data" / "cff-1.2.0" / "schema.json").read_text())
SITE = "https://example.org/claimtrack"


def test_a_known_home_is_in_every_output(homed_release: Path) -> None:
    assert "no public home" not in (homed_release / "CITATION.cff").read_text()
    cff = yaml.safe_load((homed_release / "CITATION.cff").read_text())
    jsonschema.validate(cff, CFF_SCHEMA)
    assert cff["url"] == f"{SITE}/"
    assert cff["repository-artifact"] == "https://huggingface.co/datasets/example-org/claimtrack"
    croissant = orjson.loads((homed_release / "croissant.json").read_bytes())
    mlc.Dataset(jsonld=str(homed_release / "croissant.json"))
    assert croissant["url"] == f"{SITE}/"
    assert croissant["sameAs"] == "https://huggingface.co/datasets/example-org/claimtrack"
    card = (homed_release / "README.md").read_text()
    assert (
        f"Where it lives: Site: {SITE}; Hugging Face Hub: https://huggingface.co/datasets/example-org/claimtrack."
        in card
    )
    manifest = orjson.loads((homed_release / "manifest.json").read_bytes())
    assert manifest["release"]["site_url"] == SITE
    assert manifest["release"]["hub_repository"] == "example-org/claimtrack"


def test_an_unknown_home_is_omitted_and_said(seed_release: BuildResult) -> None:
    root = seed_release.release_dir
    assert root is not None
    cff_text = (root / "CITATION.cff").read_text()
    assert "# No url, repository-artifact or doi: the release has no public home yet" in cff_text
    assert not {"url", "repository-artifact", "identifiers", "doi"} & set(yaml.safe_load(cff_text))
    croissant = orjson.loads((root / "croissant.json").read_bytes())
    assert "url" not in croissant and "sameAs" not in croissant
    assert "huggingface.co" not in (root / "croissant.json").read_text()
    assert f"Where it lives: {UNKNOWN_HOME}" in (root / "README.md").read_text()
    manifest = orjson.loads((root / "manifest.json").read_bytes())
    assert not {"hub_repository", "homepage", "site_url", "doi"} & set(manifest["release"])


def test_a_doi_goes_into_the_cff_and_croissant(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(FIXTURES / "valid", root)
    release_yaml = root / "data" / "release.yaml"
    # FIXTURE ONLY: an invented DOI under the 10.5555 test prefix
    release_yaml.write_text(release_yaml.read_text() + "doi: 10.5555/claimtrack-fixture\n")
    result = build(root / "data", tmp_path / "dist")
    assert result.release_dir is not None
    cff = yaml.safe_load((result.release_dir / "CITATION.cff").read_text())
    jsonschema.validate(cff, CFF_SCHEMA)
    assert cff["identifiers"] == [
        {
            "type": "doi",
            "value": "10.5555/claimtrack-fixture",
            "description": "The dataset (all versions)",
        }
    ]
    croissant = orjson.loads((result.release_dir / "croissant.json").read_bytes())
    assert croissant["sameAs"] == "https://doi.org/10.5555/claimtrack-fixture"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.parametrize("change", ["edit", "untracked"])
def test_the_manifest_marks_a_build_from_a_changed_tree(tmp_path: Path, change: str) -> None:
    root = tmp_path / "checkout"
    shutil.copytree(FIXTURES / "valid", root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "fixture")
    head = _git(root, "rev-parse", "HEAD")
    clean = build(root / "data", tmp_path / "clean")
    assert clean.release_dir is not None
    manifest = orjson.loads((clean.release_dir / "manifest.json").read_bytes())
    assert (manifest["source_commit"], manifest["source_tree_dirty"]) == (head, False)
    if change == "edit":
        card = root / "DATA_CARD.md"
        card.write_text(card.read_text() + "\nAn uncommitted line.\n")
    else:
        (root / "notes.txt").write_text("not committed\n")
    dirty = build(root / "data", tmp_path / "dirty")
    assert dirty.release_dir is not None
    manifest = orjson.loads((dirty.release_dir / "manifest.json").read_bytes())
    assert (manifest["source_commit"], manifest["source_tree_dirty"]) == (head, True)


def test_outside_git_the_manifest_says_nothing_of_a_commit(fixture_release: BuildResult) -> None:
    assert fixture_release.release_dir is not None
    manifest = orjson.loads((fixture_release.release_dir / "manifest.json").read_bytes())
    # tmp_path is outside any checkout
    assert (manifest["source_commit"], manifest["source_tree_dirty"]) == (None, None)
