"""Messages that point at the fix: each case of issue 14 on a tmp copy of the fixture data/,
asserting the exact problems reported (codes, files, pointers, and the fix in the words)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import orjson
import pytest

from claimtrack.anchoring import not_found_message
from claimtrack.cli import main
from claimtrack.edtf_hints import edtf_fix
from claimtrack.issues import Issue
from claimtrack.loading import load_corpus
from claimtrack.models.common import edtf_error
from claimtrack.validation import run_checks, validate_contributions

from .conftest import FIXTURES

VALID = FIXTURES / "valid" / "data"
INVALID = FIXTURES / "invalid"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(VALID, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _issues(data: Path) -> list[Issue]:
    return run_checks(load_corpus(data))


def _codes(issues: list[Issue]) -> list[str]:
    return [issue.code for issue in issues]


def test_the_fixture_data_is_clean() -> None:
    assert _issues(VALID) == []


def test_a_document_file_that_does_not_parse_is_one_problem(data: Path) -> None:
    """Its claims are referred to by a historiography link, and its lines are in the raw
    file: neither is reported again as missing."""
    _edit(
        data / "documents" / "short-note.yaml",
        "title: A Short Note\n",
        "title: A Short Note\n  author_ids: [x]\n",
    )
    issues = _issues(data)
    assert _codes(issues) == ["YAML_SYNTAX"]
    assert issues[0].file == "data/documents/short-note.yaml"


def test_a_registry_file_that_does_not_parse_is_one_problem(data: Path) -> None:
    """Every agent is in that file: no claim is reported for naming an unknown agent."""
    _edit(data / "agents" / "all.yaml", "- {id: historians", "  - {id: historians")
    assert _codes(_issues(data)) == ["YAML_SYNTAX"]


def test_a_claim_with_a_bad_date_is_reported_once_not_as_a_missing_reference(data: Path) -> None:
    _edit(data / "documents" / "short-note.yaml", "    time: 1932\n", "    time: Oct 1932\n")
    issues = _issues(data)
    assert _codes(issues) == ["INVALID_EDTF"]
    assert "write '1932-10'" in issues[0].message
    assert issues[0].pointer == "/claims/0/time"


def test_all_of_a_records_problems_at_once_root_cause_first(data: Path) -> None:
    path = data / "documents" / "short-note.yaml"
    _edit(path, "    time: 1932\n", "    time: c. 1932\n    tme: x\n")
    _edit(path, "claim_type: empirical", "claim_type: empiricl")
    _edit(
        path, "{claimant_id: note-author, mode: asserts", "{claimant_id: note-autor, mode: asserts"
    )
    _edit(
        path,
        "span: {exact: In 1932 the bloc was formed.}",
        "span: {exact: In 1932 the blok was formed.}",
    )
    issues = _issues(data)
    assert sorted(_codes(issues)) == [
        "INVALID_EDTF", "QUOTE_NOT_FOUND", "SCHEMA", "UNKNOWN_FIELD", "UNKNOWN_REFERENCE"
    ]  # fmt: skip
    by_code = {issue.code: issue for issue in issues}
    assert "write '1932~'" in by_code["INVALID_EDTF"].message
    assert "(did you mean 'time'?)" in by_code["UNKNOWN_FIELD"].message
    assert "(did you mean 'empirical'?)" in by_code["SCHEMA"].message
    assert "(did you mean 'note-author'?)" in by_code["UNKNOWN_REFERENCE"].message
    assert all(issue.pointer.startswith("/claims/0/") for issue in issues)


def test_an_unknown_claimant_is_the_root_cause_not_the_chain(data: Path) -> None:
    _edit(
        data / "documents" / "short-note.yaml",
        "{claimant_id: note-author, mode: asserts",
        "{claimant_id: nobody-known, mode: asserts",
    )
    issues = _issues(data)
    assert _codes(issues) == ["UNKNOWN_REFERENCE"]
    assert issues[0].pointer == "/claims/0/attribution/claimant_id"


def test_unknown_claim_reference_names_where_claims_live(data: Path) -> None:
    _edit(
        data / "historiography.yaml",
        "claim_id: short-note/bloc-formed-1932",
        "claim_id: short-note/bloc-formed-1933",
    )
    issues = _issues(data)
    assert _codes(issues) == ["UNKNOWN_REFERENCE"]
    message = issues[0].message
    assert "data/documents/<document id>.yaml" in message and "data/claims" not in message
    assert "(did you mean 'short-note/bloc-formed-1932'?)" in message
    assert issues[0].pointer == "/0/claim_id"


def test_raw_checksum_names_both_hashes_and_both_sides(data: Path) -> None:
    actual = hashlib.sha256((data / "raw" / "sample.txt").read_bytes()).hexdigest()
    typo = ("0" if actual[0] != "0" else "1") + actual[1:]
    _edit(data / "raw" / "manifest.yaml", actual, typo)
    issues = [issue for issue in _issues(data) if issue.code == "RAW_CHECKSUM"]
    assert len(issues) == 1
    message = issues[0].message
    assert actual in message and typo in message
    assert "the manifest entry is wrong" in message and "restore it exactly as received" in message


def _pin_extra_raw_file(data: Path) -> None:
    extra = data / "raw" / "extra.txt"
    extra.write_text("one line\ntwo lines\n", encoding="utf-8")
    digest = hashlib.sha256(extra.read_bytes()).hexdigest()
    with (data / "raw" / "manifest.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write(f"- {{file: extra.txt, sha256: {digest}, bytes: 19, received_from: t}}\n")


def test_paths_are_named_under_the_data_folder_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    probe = tmp_path / "probe"
    shutil.copytree(VALID, probe)
    _pin_extra_raw_file(probe)
    assert main(["validate", "--data", str(probe), "--format", "json"]) == 1
    issues = orjson.loads(capsys.readouterr().out)["issues"]
    assert [(issue["code"], issue["file"], issue["line"]) for issue in issues] == [
        ("SEGMENT_GAP", "probe/raw/extra.txt", 1)
    ]


def test_a_pinned_raw_file_no_document_covers_is_a_gap(data: Path) -> None:
    _pin_extra_raw_file(data)
    issues = _issues(data)
    assert [(issue.code, issue.file, issue.line) for issue in issues] == [
        ("SEGMENT_GAP", "data/raw/extra.txt", 1)
    ]
    assert "lines 1-2 belong to no document" in issues[0].message


def test_a_cue_is_matched_as_printed(data: Path) -> None:
    _edit(data / "documents" / "short-note.yaml", "cue: probably}", "cue: Probably}")
    issues = _issues(data)
    assert _codes(issues) == ["CUE_NOT_IN_SPAN"]
    assert "printed 'probably'" in issues[0].message
    assert issues[0].pointer == "/claims/1/modality/cue"


def test_a_straight_apostrophe_for_a_curly_one_is_located() -> None:
    text = "First line.\nThe author’s view was firm.\n"
    message = not_found_message(text, "The author's view")
    assert "line 2, column 1" in message and "column 11 of the quote" in message
    assert "U+0027" in message and "U+2019" in message


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("Oct 1917", "1917-10"),
        ("October 1917", "1917-10"),
        ("7 November 1917", "1917-11-07"),
        ("November 7, 1917", "1917-11-07"),
        ("c. 1925", "1925~"),
        ("circa 1925", "1925~"),
        ("1920s", "192X"),
        ("1917-18", "1917/1918"),
        ("1938-07–1939-11", "1938-07/1939-11"),
        ("before 1939", "../1939"),
        ("1917-10-5", "1917-10-05"),
    ],
)
def test_edtf_fix_for_common_forms(written: str, fixed: str) -> None:
    assert edtf_error(written) is not None
    assert edtf_fix(written) == fixed
    assert edtf_error(fixed) is None


@pytest.mark.parametrize("value", ["1917", "1917-12", "Foo 1917", "sometime"])
def test_no_edtf_fix_is_invented(value: str) -> None:
    assert edtf_fix(value) is None


def test_one_annotation_file_validates_on_its_own(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    in_place = data / "documents" / "short-note.yaml"
    assert main(["validate", "--data", str(data), str(in_place)]) == 0
    outside = tmp_path / "short-note.yaml"  # not in a documents/ folder: told by its keys
    outside.write_text(
        in_place.read_text(encoding="utf-8").replace("cue: probably}", "cue: perhaps}"),
        encoding="utf-8",
    )
    capsys.readouterr()
    for extra in ([], ["--table", "documents"]):
        assert (
            main(["validate", "--data", str(data), "--format", "json", *extra, str(outside)]) == 1
        )
        issues = orjson.loads(capsys.readouterr().out)["issues"]
        # named as every file is: relative to the folder that holds data/
        assert [(issue["code"], issue["file"]) for issue in issues] == [
            ("CUE_NOT_IN_SPAN", str(outside.relative_to(data.parent)))
        ]


def test_contributed_yaml_pointers_run_from_the_files_root(tmp_path: Path) -> None:
    case = INVALID / "UNKNOWN_REFERENCE" / "misspelt-claimant-no-chain-error.line1.claims.jsonl"
    record = orjson.loads(case.read_bytes())
    path = tmp_path / "claims.yaml"
    path.write_text("- " + orjson.dumps(record).decode() + "\n", encoding="utf-8")
    issues = validate_contributions([path], None, load_corpus(VALID))
    assert [(issue.code, issue.pointer) for issue in issues] == [
        ("UNKNOWN_REFERENCE", "/0/attribution/claimant_id")
    ]
    jsonl = validate_contributions([case], None, load_corpus(VALID))
    assert [(issue.code, issue.pointer) for issue in jsonl] == [
        ("UNKNOWN_REFERENCE", "/attribution/claimant_id")
    ]


def test_every_pointer_of_a_document_file_starts_at_its_root(data: Path) -> None:
    path = data / "documents" / "second-piece.yaml"
    _edit(path, "topics: [soviet-health-care]", "topics: [soviet-helth-care]")
    issues = _issues(data)
    assert [(issue.code, issue.pointer) for issue in issues] == [
        ("UNKNOWN_REFERENCE", "/claims/0/topics/0")
    ]
    assert re.search(r"did you mean 'soviet-health-care'", issues[0].message)
