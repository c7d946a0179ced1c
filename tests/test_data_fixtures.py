"""Whole-data rules: each fixture under tests/fixtures/invalid-data/<CODE>/ reports that code at its line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from claimtrack.checks import run_checks
from claimtrack.loading import load_corpus

from .conftest import FIXTURES

CASES = sorted(path for path in (FIXTURES / "invalid-data").glob("*/*") if path.is_file())


@pytest.mark.parametrize("case", CASES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_data_fixture_reports_its_code_at_its_line(case: Path, tmp_path: Path) -> None:
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    match = re.fullmatch(r"(?P<target>.+)\.line(?P<line>\d+)(?P<suffix>\.\w+)", case.name)
    assert match, case.name
    target = match.group("target").replace("__", "/") + match.group("suffix")
    shutil.copyfile(case, root / target)
    found = {
        (issue.code, issue.file, issue.line) for issue in run_checks(load_corpus(root / "data"))
    }
    assert (case.parent.name, target, int(match.group("line"))) in found, sorted(found)
