"""Shared fixtures: offline Hugging Face settings, the repo's data, a tiny valid corpus, built releases."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Nothing downloads at test time; set before datasets is imported anywhere.
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

from claimtrack.release.build import BuildResult, build

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_hf_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf-home")))


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/valid (data/ and DATA_CARD.md)."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    return root


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The repo's own data/ built once into a temporary folder."""
    out = tmp_path_factory.mktemp("dist")
    result = build(REPO / "data", out)
    assert result.status == "written", [issue.as_text() for issue in result.issues]
    return result


@pytest.fixture(scope="session")
def fixture_release(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("fixture-src")
    shutil.copytree(FIXTURES / "valid", root, dirs_exist_ok=True)
    result = build(root / "data", tmp_path_factory.mktemp("fixture-dist"))
    assert result.status == "written", [issue.as_text() for issue in result.issues]
    return result


# FIXTURE ONLY: an invented home, so every output is tested with a home known. claimtrack
# itself has none (data/release.yaml leaves these unset).
FIXTURE_HOME = "hub_repository: example-org/claimtrack\nsite_url: https://example.org/claimtrack\n"


@pytest.fixture(scope="session")
def homed_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid fixture built with FIXTURE_HOME added to its release.yaml."""
    root = tmp_path_factory.mktemp("homed-src")
    shutil.copytree(FIXTURES / "valid", root, dirs_exist_ok=True)
    release_yaml = root / "data" / "release.yaml"
    release_yaml.write_text(release_yaml.read_text() + FIXTURE_HOME)
    result = build(root / "data", tmp_path_factory.mktemp("homed-dist"))
    assert result.release_dir is not None, [issue.as_text() for issue in result.issues]
    return result.release_dir


def modules_imported(statement: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter holds once it has run ``statement``."""
    code = f"import sys\n{statement}\nprint(sorted(set({modules!r}) & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return list(ast.literal_eval(result.stdout.strip()))
