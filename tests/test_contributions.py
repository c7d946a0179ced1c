"""`claimtrack validate PATH`: every invalid fixture reports the code its folder names, at its line."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import orjson
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.cli import main
from claimtrack.issues import CATALOGUE, Level
from claimtrack.loading import load_corpus
from claimtrack.record_files import infer_table, line_aligned_ranges
from claimtrack.validation import bulk, validate_contributions
from claimtrack.validation.checker import ContributionChecker
from claimtrack.validation.jsonl import check_jsonl

from .conftest import FIXTURES
from .mutations import json_values, mutate

CASES = sorted((FIXTURES / "invalid").glob("*/*"))
FIXTURE_DATA = FIXTURES / "valid" / "data"


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    return load_corpus(FIXTURE_DATA)


#: Codes that only the whole data/ folder can raise (files, raw texts, segmentation, releases).
DATA_ONLY_CODES = {
    "FILE_MISSING",
    "RAW_FILE_UNPINNED",
    "RAW_CHECKSUM",
    "SEGMENT_OUT_OF_RANGE",
    "SEGMENT_GAP",
    "RELEASE_CONFLICT",
    "CARD_SECTION",
    "ID_REMOVED",
    "VERSION_BUMP",
    "FOOTNOTE_UNCITED",
    "UNCITED_SOURCE",
    "RESEARCH_CONFLICT",
    "EVIDENCE_HOST",
    "EVALUATIVE_TERM",
}


def test_every_contribution_code_has_a_fixture_folder() -> None:
    folders = {path.parent.name for path in CASES}
    assert folders == set(CATALOGUE) - DATA_ONLY_CODES


@pytest.mark.parametrize("case", CASES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_fixture_reports_its_code_at_its_line(case: Path, corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code = case.parent.name
    match = re.search(r"\.line(\d+)\.", case.name)
    assert match, f"name the case <case>.line<N>.<table>.<ext>: {case.name}"
    line = int(match.group(1))
    copy = tmp_path / case.name
    shutil.copyfile(case, copy)
    before = copy.read_bytes()
    issues = validate_contributions([copy], None, corpus)
    assert (code, line) in {(issue.code, issue.line) for issue in issues}, [
        issue.as_text() for issue in issues
    ]
    assert copy.read_bytes() == before
    expected_exit = 1 if CATALOGUE[code].level is Level.ERROR else 0
    assert main(["validate", "--data", str(FIXTURE_DATA), str(copy)]) == expected_exit


def test_valid_contribution_passes_with_computed_offsets(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    record = {
        "id": "second-piece/clinic-visits",
        "document_id": "second-piece",
        "span": {"exact": "1750 visits daily"},
        "statement": "The clinic served 1750 visits a day.",
        "claim_type": "quantitative",
        "attribution": {
            "claimant_id": "note-author",
            "mode": "asserts",
            "document_stance": "neutral",
        },
    }
    agent = {
        "id": "new-agent",
        "name": "New Agent",
        "kind": "person",
        "description": "Added with the claim.",
    }
    (tmp_path / "a.agents.jsonl").write_bytes(orjson.dumps(agent) + b"\n")
    record["entities"] = [{"agent_id": "new-agent", "role": "subject"}]
    (tmp_path / "claims.jsonl").write_bytes(orjson.dumps(record) + b"\n")
    # the claim refers to an agent defined in the same contribution
    assert (
        validate_contributions(
            [tmp_path / "claims.jsonl", tmp_path / "a.agents.jsonl"], None, corpus
        )
        == []
    )


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("claims.jsonl", "claims"),
        ("pr-12.claims.jsonl", "claims"),
        ("claims.yaml", "claims"),
        ("x.sources.yml", "sources"),
    ],
)
def test_table_is_inferred_from_the_name(name: str, table: str) -> None:
    assert infer_table(Path(name), None) == table


@pytest.mark.parametrize(
    "argv", [["nope.jsonl"], ["--table", "bogus"], ["--table", "claims", "README.md"]]
)
def test_usage_problems_exit_2(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "README.md").write_text("x")
    paths = [str(tmp_path / arg) if arg.endswith((".jsonl", ".md")) else arg for arg in argv]
    if "--table" in argv and "README.md" not in argv:
        paths.append(str(FIXTURES / "invalid" / "SCHEMA" / "bad-enum.line1.claims.jsonl"))
    assert main(["validate", "--data", str(FIXTURE_DATA), *paths]) == 2
    assert "claimtrack validate:" in capsys.readouterr().err


def test_unnamed_table_needs_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "records.jsonl"
    path.write_bytes(b"{}\n")
    assert main(["validate", "--data", str(FIXTURE_DATA), str(path)]) == 2
    assert "pass --table" in capsys.readouterr().err
    assert main(["validate", "--data", str(FIXTURE_DATA), "--table", "agents", str(path)]) == 1


_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _run_on(tmp_path: Path, name: str, content: bytes, corpus) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(content)
    issues = validate_contributions([path], None, corpus)
    assert all(issue.code in CATALOGUE for issue in issues)
    assert path.read_bytes() == content


@_SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(tmp_path: Path, corpus, data: bytes) -> None:  # type: ignore[no-untyped-def]
    _run_on(tmp_path, "claims.jsonl", data, corpus)
    _run_on(tmp_path, "claims.yaml", data, corpus)


@_SETTINGS
@given(st.lists(json_values, max_size=4))
def test_random_json_values_never_crash(tmp_path: Path, corpus, values: list[object]) -> None:  # type: ignore[no-untyped-def]
    content = b"".join(orjson.dumps(value) + b"\n" for value in values)
    for table in ("claims", "sources", "documents", "historiography"):
        _run_on(tmp_path, f"{table}.jsonl", content, corpus)


VALID_CLAIM = {
    "id": "short-note/mutated",
    "document_id": "short-note",
    "span": {"exact": "Historians probably agree", "start": 43, "end": 68},
    "statement": "Historians agree.",
    "claim_type": "historiographical",
    "attribution": {
        "claimant_id": "historians",
        "mode": "reports",
        "document_stance": "endorses",
        "via": [{"agent_id": "note-author", "mode": "reports"}],
    },
    "modality": {"level": "probable", "cue": "probably"},
    "topics": [],
    "entities": [],
    "citations": [],
    "time": None,
}


@_SETTINGS
@given(st.data())
def test_mutated_valid_records_never_crash(tmp_path: Path, corpus, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    record = mutate(VALID_CLAIM, data)
    _run_on(tmp_path, "claims.jsonl", orjson.dumps(record) + b"\n", corpus)


@pytest.mark.parametrize(
    "table", ["documents", "agents", "sources", "topics", "historiography", "tombstones"]
)
@_SETTINGS
@given(data=st.data())
def test_mutated_records_of_every_table_never_crash(  # type: ignore[no-untyped-def]
    tmp_path: Path, corpus, table: str, data: st.DataObject
) -> None:
    """A record of the fixture data/, mutated, as JSONL and as YAML (where YAML can hold it)."""
    record = mutate(corpus.records(table)[0].record.model_dump(mode="json", by_alias=True), data)
    _run_on(tmp_path, f"{table}.jsonl", orjson.dumps(record) + b"\n", corpus)
    try:
        text = yaml.safe_dump([record], allow_unicode=True)
    except yaml.YAMLError:  # e.g. a lone surrogate
        return
    _run_on(tmp_path, f"{table}.yaml", text.encode("utf-8", "surrogatepass"), corpus)


def test_the_unmutated_record_is_valid(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "claims.jsonl"
    path.write_bytes(orjson.dumps(VALID_CLAIM) + b"\n")
    assert validate_contributions([path], None, corpus) == []


def test_parallel_chunks_report_what_one_process_reports(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Problems near and across chunk borders: repeated ids, bad lines, unknown references."""
    good = orjson.dumps(VALID_CLAIM)
    lines = []
    for index in range(60):
        record = orjson.loads(good)
        record["id"] = f"short-note/c{index}"
        if index % 7 == 0:
            record["attribution"]["claimant_id"] = f"nobody-{index}"
        if index in (13, 41):
            record["id"], record["statement"] = (
                "short-note/c1",
                f"Changed {index}.",
            )  # id of line 2, other content
        lines.append(orjson.dumps(record))
        if index % 17 == 0:
            lines.append(b'{"broken": ')
            lines.append(b"")
    path = tmp_path / "claims.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    one = validate_contributions([path], None, corpus, jobs=1)
    for jobs in (2, 3, 5):
        assert validate_contributions([path], None, corpus, jobs=jobs) == one
    codes = {issue.code for issue in one}
    assert {"DUPLICATE_ID", "JSON_SYNTAX", "UNKNOWN_REFERENCE"} <= codes


def test_each_later_chunk_is_checked_in_a_process_of_its_own(  # type: ignore[no-untyped-def]
    corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that checked two chunks would check the second against the first's ids and
    report a repeat there, at a line counted from the first chunk's start (a pool's worker
    did so when it took two chunks, as a loaded machine made it): one process a chunk."""
    checked = tmp_path / "pids"
    check_chunk = bulk._check_chunk

    def recorded(*arguments):  # type: ignore[no-untyped-def]
        with checked.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return check_chunk(*arguments)

    monkeypatch.setattr(bulk, "_check_chunk", recorded)
    path = tmp_path / "claims.jsonl"
    records = [{**VALID_CLAIM, "id": f"short-note/c{index}"} for index in range(60)]
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    later_chunks = len(line_aligned_ranges(path, 5)) - 1
    assert later_chunks > 1
    assert validate_contributions([path], None, corpus, jobs=5) == []
    pids = checked.read_text(encoding="utf-8").split()
    assert len(pids) == len(set(pids)) == later_chunks
    assert str(os.getpid()) not in pids


def test_jobs_never_split_a_yaml_file(corpus) -> None:  # type: ignore[no-untyped-def]
    example = FIXTURES.parent.parent / "examples" / "claims.yaml"
    assert (
        validate_contributions(
            [example], None, load_corpus(FIXTURES.parent.parent / "data"), jobs=3
        )
        == []
    )


def _claim_variant(draw: st.DrawFn) -> dict[str, object]:
    """A claim that passes the schema and may break any rule the fast path decides on."""
    record: dict[str, object] = orjson.loads(orjson.dumps(VALID_CLAIM))
    record["id"] = draw(
        st.sampled_from(
            [
                "short-note/a",
                "short-note/b",
                "short-note/bloc-formed-1932",  # in data/: a change to report
                "short-note/bloc-founded",  # tombstoned
                "second-piece/a",  # another document's prefix
                "short-notes/a",
            ]
        )
    )
    record["document_id"] = draw(
        st.sampled_from(["short-note", "short-note", "second-piece", "gone"])
    )
    span = {"exact": "Historians probably agree"}
    offsets = draw(
        st.sampled_from([(43, 68), (43, 68), (44, 69), (None, None), (43, None), (43.0, 68.0)])
    )
    if offsets[0] is not None:
        span["start"] = offsets[0]
    if offsets[1] is not None:
        span["end"] = offsets[1]
    for key, options in (
        ("prefix", [None, "bloc was formed. ", "nowhere"]),
        ("suffix", [None, " that", "x"]),
    ):
        choice = draw(st.sampled_from(options))
        if choice is not None:
            span[key] = choice
    record["span"] = span
    attribution = record["attribution"]
    assert isinstance(attribution, dict)
    attribution["claimant_id"] = draw(st.sampled_from(["historians", "note-author", "nobody"]))
    attribution["mode"] = draw(st.sampled_from(["reports", "asserts"]))
    attribution["via"] = draw(
        st.sampled_from(
            [
                [],
                [{"agent_id": "note-author", "mode": "reports"}],
                [{"agent_id": "historians", "mode": "reports"}],
            ]
        )
    )
    record["modality"] = draw(
        st.sampled_from(
            [
                {"level": "probable", "cue": "probably"},
                {"level": "probable", "cue": "PROBABLY"},
                {"level": "probable", "cue": "surely"},
                {"level": "unmarked"},
            ]
        )
    )
    record["time"] = draw(st.sampled_from([None, "1932", "1932-21", "1932-13", "193X"]))
    record["topics"] = draw(st.sampled_from([[], ["opposition-bloc-1932"], ["no-such-topic"]]))
    record["citations"] = draw(
        st.sampled_from(
            [
                [],
                [
                    {
                        "source_id": "broue-1980-bloc",
                        "intent": "cites_as_evidence",
                        "basis": "footnote_marker",
                    }
                ],
                [{"source_id": "nothing", "intent": "cites_as_evidence"}],
            ]
        )
    )
    return record


@_SETTINGS
@given(st.lists(st.composite(_claim_variant)(), min_size=1, max_size=6))
def test_the_fast_path_agrees_with_the_full_check(
    tmp_path: Path, corpus, records: list[dict[str, object]]
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "claims.jsonl"
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    outcomes = []
    for fast in (True, False):
        checker = ContributionChecker(corpus, fast=fast)
        check_jsonl(checker, "claims", path, "claims.jsonl")
        checker.finish()
        outcomes.append((sorted(checker.issues), checker.seen["claims"], checker.known["claims"]))
    assert outcomes[0] == outcomes[1]


def test_the_fast_path_clears_a_clean_claim_and_only_that(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clean = orjson.loads(orjson.dumps(VALID_CLAIM))
    unanchored = {**clean, "id": "short-note/other", "span": {"exact": clean["span"]["exact"]}}
    path = tmp_path / "claims.jsonl"
    path.write_bytes(orjson.dumps(clean) + b"\n" + orjson.dumps(unanchored) + b"\n")
    checker = ContributionChecker(corpus)
    check_jsonl(checker, "claims", path, "claims.jsonl")
    assert (checker.cleared, checker.issues) == (1, [])
    assert set(checker.seen["claims"]) == {"short-note/mutated", "short-note/other"}


def test_the_fast_path_sees_ids_added_after_its_first_use(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    claim = orjson.loads(orjson.dumps(VALID_CLAIM))
    claim["attribution"]["claimant_id"] = "new-person"
    agent = {"id": "new-person", "name": "New Person", "kind": "person", "description": "Test."}
    claims, agents = tmp_path / "claims.jsonl", tmp_path / "agents.jsonl"
    claims.write_bytes(orjson.dumps(claim) + b"\n")
    agents.write_bytes(orjson.dumps(agent) + b"\n")
    checker = ContributionChecker(corpus)
    check_jsonl(checker, "claims", claims, "claims.jsonl")
    assert checker.cleared == 0  # the agent is unknown so far: deferred by the full check
    check_jsonl(checker, "agents", agents, "agents.jsonl")
    claim["id"] = "short-note/again"
    claims.write_bytes(orjson.dumps(claim) + b"\n")
    check_jsonl(checker, "claims", claims, "claims.jsonl")
    checker.finish()
    assert (checker.cleared, checker.issues) == (1, [])


def test_a_bom_blank_lines_and_crlf_are_accepted(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The BOM only opens a file; a record repeated with another line ending is the same."""
    record = orjson.dumps(VALID_CLAIM)
    path = tmp_path / "claims.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + record + b"\r\n\n   \n" + record + b"\n")
    assert validate_contributions([path], None, corpus) == []
    path.write_bytes(record + b"\n\xef\xbb\xbf" + record + b"\n")
    issues = validate_contributions([path], None, corpus)
    assert [(issue.code, issue.line) for issue in issues] == [("JSON_SYNTAX", 2)]


def test_offsets_written_as_floats_are_integers(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """JSON Schema's integer admits 43.0: the claim is valid and nothing crashes."""
    record = orjson.loads(orjson.dumps(VALID_CLAIM))
    record["span"].update(start=43.0, end=68.0)
    path = tmp_path / "claims.jsonl"
    path.write_bytes(orjson.dumps(record) + b"\n")
    assert validate_contributions([path], None, corpus) == []
    record["span"].update(start=44.0, end=69.0)
    path.write_bytes(orjson.dumps(record) + b"\n")
    codes = [issue.code for issue in validate_contributions([path], None, corpus)]
    assert codes == ["OFFSETS_MISMATCH"]


def test_yaml_numbers_are_read_by_the_model(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """YAML scalars stay strings (no tag resolution): `start: 43` is an integer because the
    model says so, as when data/ is loaded."""
    path = tmp_path / "claims.yaml"
    path.write_text(
        "- id: short-note/yaml-offsets\n"
        "  document_id: short-note\n"
        "  span: {exact: Historians probably agree, start: 43, end: 68}\n"
        "  statement: Historians agree.\n"
        "  claim_type: historiographical\n"
        "  attribution: {claimant_id: historians, mode: reports, document_stance: endorses,\n"
        "    via: [{agent_id: note-author, mode: reports}]}\n"
        "  modality: {level: probable, cue: probably}\n"
        "  time: 1932\n",
        encoding="utf-8",
    )
    assert validate_contributions([path], None, corpus) == []


def test_jobs_on_a_one_line_file(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "claims.jsonl"
    path.write_bytes(orjson.dumps(VALID_CLAIM) + b"\n")
    assert validate_contributions([path], None, corpus, jobs=4) == []


def test_problems_loading_data_are_reported_with_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record of data/ that does not load is missing from what the files are checked
    against: its problem is reported, once, where it fails (not again as a missing
    reference of the contribution), and the exit code says so."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    agents = data / "agents" / "all.yaml"
    agents.write_text(
        agents.read_text(encoding="utf-8").replace("kind: collective", "kind: crowd"),
        encoding="utf-8",
    )
    path = tmp_path / "claims.jsonl"
    path.write_bytes(orjson.dumps(VALID_CLAIM) + b"\n")  # its claimant is the broken agent
    assert main(["validate", "--data", str(data), "--format", "json", str(path)]) == 1
    report = orjson.loads(capsys.readouterr().out)
    found = {(issue["file"], issue["code"]) for issue in report["issues"]}
    assert found == {("data/agents/all.yaml", "SCHEMA")}


@pytest.mark.parametrize("key", sorted(VALID_CLAIM))
@pytest.mark.parametrize("deep", ["[" * 1000 + "]" * 1000, '{"a":' * 1000 + "1" + "}" * 1000])
def test_deeply_nested_values_are_reported_not_raised(  # type: ignore[no-untyped-def]
    corpus, tmp_path: Path, key: str, deep: str
) -> None:
    """orjson reads 1,000 levels; the model would recurse past Python's limit on them."""
    text = orjson.dumps({**VALID_CLAIM, key: "DEEP"}).decode().replace('"DEEP"', deep)
    path = tmp_path / "claims.jsonl"
    path.write_text(text + "\n", encoding="utf-8")
    issues = validate_contributions([path], None, corpus)
    assert [(issue.code, issue.line) for issue in issues] == [("SCHEMA", 1)]


def test_a_document_with_integers_written_as_floats(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Offsets into the raw file, written 0.0: read as integers, no change to report."""
    document = corpus.documents[0].record.model_dump(mode="json", by_alias=True)
    document["origin"] = {
        key: float(value) if isinstance(value, int) else value
        for key, value in document["origin"].items()
    }
    path = tmp_path / "documents.jsonl"
    path.write_bytes(orjson.dumps(document) + b"\n")
    assert b".0," in path.read_bytes()
    assert validate_contributions([path], None, corpus) == []


def test_contributed_relations_meet_those_of_data(tmp_path: Path) -> None:
    """The rules run over data/'s relations and the contributed ones together: a
    contradiction inside a data/ proposition is reported on the contributed line; a
    contributed relation with a data/ id replaces it (an edit, not a repeat)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    same = (
        "- {id: r1, from_claim_id: short-note/bloc-formed-1932, to_claim_id: "
        "short-note/historians-agree-bloc-existed, relation: same_proposition, contributor: t}\n"
    )
    (data / "claim_relations.yaml").write_text(same, encoding="utf-8")
    corpus = load_corpus(data)
    contradicts = tmp_path / "claim_relations.yaml"
    contradicts.write_text(
        "- {id: r9, from_claim_id: short-note/historians-agree-bloc-existed,\n"
        "   to_claim_id: short-note/bloc-formed-1932, relation: contradicts, contributor: t}\n",
        encoding="utf-8",
    )
    issues = validate_contributions([contradicts], None, corpus)
    assert [(issue.code, issue.file, issue.line) for issue in issues] == [
        ("RELATION_CONFLICT", str(contradicts), 2)
    ]
    edit = tmp_path / "edit.claim_relations.yaml"
    edit.write_text(same.replace("contributor: t", "contributor: u"), encoding="utf-8")
    codes = [issue.code for issue in validate_contributions([edit], None, corpus)]
    assert codes == ["CHANGED_RECORD"]


def test_relations_checked_in_parallel_chunks_report_what_one_process_reports(  # type: ignore[no-untyped-def]
    corpus, tmp_path: Path
) -> None:
    claims = ("short-note/bloc-formed-1932", "short-note/historians-agree-bloc-existed")
    lines = [
        orjson.dumps(
            {
                "id": f"r{index}",
                "from_claim_id": claims[index % 2],
                "to_claim_id": claims[1 - index % 2],
                "relation": ("same_proposition", "contradicts", "elaborates")[index % 3],
                "contributor": "t",
            }
        )
        for index in range(30)
    ]
    path = tmp_path / "claim_relations.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    one = validate_contributions([path], None, corpus, jobs=1)
    assert {"RELATION_DUPLICATE", "RELATION_CONFLICT"} <= {issue.code for issue in one}
    for jobs in (2, 3):
        assert validate_contributions([path], None, corpus, jobs=jobs) == one


def test_a_self_relation_is_one_problem(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "claim_relations.jsonl"
    claim = "short-note/bloc-formed-1932"
    relation = {"id": "r1", "from_claim_id": claim, "to_claim_id": claim}
    path.write_bytes(
        orjson.dumps({**relation, "relation": "same_proposition", "contributor": "t"}) + b"\n"
    )
    issues = validate_contributions([path], None, corpus)
    assert [(issue.code, issue.pointer) for issue in issues] == [("SCHEMA", "/to_claim_id")]
