"""Whole-data rules: each fixture under tests/fixtures/invalid-data/<CODE>/ reports that code at its line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.issues import CATALOGUE
from claimtrack.yamlio import load_yaml, to_plain

from .conftest import FIXTURES
from .mutations import mutate
from .test_streaming_validation import same_problems

CASES = sorted(path for path in (FIXTURES / "invalid-data").glob("*/*") if path.is_file())


@pytest.mark.parametrize("case", CASES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_data_fixture_reports_its_code_at_its_line(case: Path, tmp_path: Path) -> None:
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    match = re.fullmatch(r"(?P<target>.+)\.line(?P<line>\d+)(?P<suffix>\.\w+)", case.name)
    assert match, case.name
    target = match.group("target").replace("__", "/") + match.group("suffix")
    shutil.copyfile(case, root / target)
    # checked both ways: whole (run_checks) and one file at a time (validate without paths)
    found = {(issue.code, issue.file, issue.line) for issue in same_problems(root / "data")}
    assert (case.parent.name, target, int(match.group("line"))) in found, sorted(found)


DATA_FILES = sorted(
    path.relative_to(FIXTURES / "valid") for path in (FIXTURES / "valid" / "data").rglob("*.yaml")
)


@pytest.mark.parametrize("relative", DATA_FILES, ids=str)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mutated_data_files_never_crash(
    tmp_path_factory: pytest.TempPathFactory, relative: Path, data: st.DataObject
) -> None:
    """A file of data/ with fields deleted or replaced: problems, never an exception, and the
    same problems whether data/ is checked whole or one file at a time."""
    root = tmp_path_factory.mktemp("data")
    shutil.copytree(FIXTURES / "valid", root, dirs_exist_ok=True)
    original = to_plain(load_yaml((root / relative).read_text(encoding="utf-8")))
    content = mutate(original, data)
    try:
        text = yaml.safe_dump(content, allow_unicode=True)
    except yaml.YAMLError:
        return
    (root / relative).write_text(text, encoding="utf-8", errors="surrogatepass")
    issues = same_problems(root / "data")
    assert all(issue.code in CATALOGUE for issue in issues)
