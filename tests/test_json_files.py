"""Annotation and registry files written as JSON (for files a program writes): the same
records, releases and problems as YAML, located by line."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from claimtrack.cli import main
from claimtrack.loading import load_corpus
from claimtrack.release.build import BuildResult, build
from claimtrack.release.manifest import release_files
from claimtrack.validation import run_checks
from claimtrack.validation.streaming import validate_data
from claimtrack.yamlio import load_yaml, to_plain

from .conftest import REPO

#: The folders whose files may be JSON.
JSON_FOLDERS = ("documents", "historiography", "claim_relations", "research", "agents", "sources")


def as_json(path: Path) -> Path:
    """Write a YAML file of data/ as JSON beside it (indented, one field a line), remove the
    YAML file, and give the JSON file's path."""
    value = to_plain(load_yaml(path.read_text(encoding="utf-8")))
    target = path.with_suffix(".json")
    target.write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2))
    path.unlink()
    return target


def _copy(root: Path, folders: tuple[str, ...] = JSON_FOLDERS) -> Path:
    shutil.copytree(REPO / "data", root / "data")
    shutil.copy(REPO / "DATA_CARD.md", root / "DATA_CARD.md")
    for folder in folders:
        for path in sorted((root / "data" / folder).glob("*.yaml")):
            as_json(path)
    return root / "data"


def test_the_seed_written_as_json_gives_the_same_release(
    seed_release: BuildResult, tmp_path: Path
) -> None:
    data = _copy(tmp_path)
    assert not list((data / "documents").glob("*.yaml"))
    assert validate_data(data) == []
    result = build(data, tmp_path / "dist")
    assert result.status == "written", result.issues
    assert result.release_dir is not None and seed_release.release_dir is not None
    names = list(release_files(result.release_dir))
    assert names == list(release_files(seed_release.release_dir))
    for name in names:
        new = (result.release_dir / name).read_bytes()
        assert new == (seed_release.release_dir / name).read_bytes(), name
    # the manifest differs only where the copy is not a git checkout
    built = orjson.loads((result.release_dir / "manifest.json").read_bytes())
    seed = orjson.loads((seed_release.release_dir / "manifest.json").read_bytes())
    for manifest in (built, seed):
        del manifest["source_commit"], manifest["source_tree_dirty"]
    assert built == seed


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_a_problem_in_a_json_file_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _copy(tmp_path, ("documents", "historiography"))
    document = data / "documents" / "stalin-anti-semitism.json"
    record = orjson.loads(document.read_bytes())
    record["claims"][3]["time"] = "19xx-99"
    document.write_bytes(orjson.dumps(record, option=orjson.OPT_INDENT_2))
    links = sorted((data / "historiography").glob("*.json"))[0]
    items = orjson.loads(links.read_bytes())
    items[2]["claim_id"] = "no-such-document/no-such-claim"
    links.write_bytes(orjson.dumps(items, option=orjson.OPT_INDENT_2))
    problems = run_checks(load_corpus(data))
    assert validate_data(data) == problems  # the streaming checks agree, lines included
    located = {(issue.code, issue.file, issue.line) for issue in problems}
    assert (
        "INVALID_EDTF",
        "data/documents/stalin-anti-semitism.json",
        _line_of(document, '      "time": "19xx-99",'),
    ) in located
    assert (
        "UNKNOWN_REFERENCE",
        f"data/historiography/{links.name}",
        _line_of(links, '    "claim_id": "no-such-document/no-such-claim",'),
    ) in located
    # the annotation file alone, as a contribution checked against data/
    assert main(["validate", "--data", str(data), "--format", "json", str(document)]) == 1
    alone = orjson.loads(capsys.readouterr().out)
    assert {
        (item["code"], item["line"])
        for item in alone["issues"]
        if item["file"].endswith(document.name)
    } == {("INVALID_EDTF", _line_of(document, '      "time": "19xx-99",'))}


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ('{"id": "x",\n  "title": }\n', "JSON_SYNTAX", 2, 12),
        ("", "JSON_SYNTAX", 1, 1),
        ('["a list", "not a mapping"]', "SCHEMA", 1, 1),
    ],
)
def test_a_json_file_that_does_not_read_is_reported_not_raised(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    code: str,
    line: int,
    column: int,
) -> None:
    data = _copy(tmp_path, ())
    (data / "documents" / "broken.json").write_text(text, encoding="utf-8")
    problems = validate_data(data)
    assert problems == run_checks(load_corpus(data))
    assert (code, "data/documents/broken.json", line, column) in {
        (issue.code, issue.file, issue.line, issue.column) for issue in problems
    }
    assert main(["validate", "--data", str(data)]) == 1
    err = capsys.readouterr()
    assert "Traceback" not in err.out + err.err


def test_a_json_value_of_the_wrong_type_is_a_schema_problem(tmp_path: Path) -> None:
    """YAML reads every scalar as text; JSON keeps its types, so a field read as text must
    be a JSON string: a number there is a problem of the record, with its line."""
    data = _copy(tmp_path, ("documents",))
    document = data / "documents" / "stalin-anti-semitism.json"
    record = orjson.loads(document.read_bytes())
    record["claims"][0]["statement"] = 1932
    document.write_bytes(orjson.dumps(record, option=orjson.OPT_INDENT_2))
    problems = validate_data(data)
    assert problems == run_checks(load_corpus(data))
    wrong = [issue for issue in problems if issue.file.endswith("stalin-anti-semitism.json")]
    assert wrong and wrong[0].line == _line_of(document, '      "statement": 1932,')
