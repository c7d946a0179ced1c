"""`claimtrack validate` over all of data/ checks one file at a time (validation/streaming.py):
it must find exactly the problems the whole-corpus checks find, lines and order included."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from claimtrack.issues import Issue, has_errors
from claimtrack.loading import load_corpus
from claimtrack.release.build import build
from claimtrack.release.store import RowStore
from claimtrack.validation import idindex, run_checks
from claimtrack.validation.streaming import Kept, check_data, validate_data
from claimtrack.yamlio import load_yaml, to_plain

from .conftest import REPO
from .corpus_copies import grown_fixture

Edit = Callable[[Path], None]


def same_problems(data: Path, workers: int = 1) -> list[Issue]:
    """The problems of data/, found both ways (the test fails unless they are the same);
    with ``workers``, the annotation files are checked by that many processes."""
    whole = run_checks(load_corpus(data))
    assert validate_data(data, jobs=workers) == whole
    return whole


def _replace(relative: str, old: str, new: str, count: int = 1) -> Edit:
    def edit(data: Path) -> None:
        path = data / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return edit


def _append(relative: str, text: str) -> Edit:
    def edit(data: Path) -> None:
        path = data / relative
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(before + text, encoding="utf-8")

    return edit


LINK = (
    "- id: {id}\n  claim_id: {claim}\n  source_id: broue-1980-bloc\n  relation: supports\n"
    "  summary: A summary.\n  contributor: test\n  verification: {{level: unverified}}\n"
    '  added: "2026-01-02"\n'
)
RESEARCH = (
    "- claim_id: {claim}\n  status: searched\n  checked: 2026-01-03\n"
    "  note: Looked for scholarship on it.\n  contributor: test\n"
)

#: Each edit of the grown fixture, and a code the checks must report for it.
CASES: dict[str, tuple[list[Edit], str]] = {
    "claim id twice in one document": (
        [
            _replace(
                "documents/short-note-2.yaml",
                "short-note-2/historians-agree-bloc-existed",
                "short-note-2/bloc-formed-1932",
            )
        ],
        "DUPLICATE_ID",
    ),
    "link id twice, in two files": (
        [
            _append(
                "historiography/more.yaml",
                LINK.format(id="broue-on-bloc-1", claim="short-note/bloc-formed-1932"),
            )
        ],
        "DUPLICATE_ID",
    ),
    "relation id twice": (
        [
            _append(
                "claim_relations.yaml",
                "- {id: same-1, from_claim_id: short-note/bloc-formed-1932, to_claim_id: second-piece/bloc-formed-1932, relation: same_proposition, contributor: test}\n",
            )
        ],
        "DUPLICATE_ID",
    ),
    "relations: repeats either way round, a cycle, a conflict, in two files": (
        [
            _append(
                "claim_relations.yaml",
                "- {id: zz-1, from_claim_id: short-note-2/bloc-formed-1932, to_claim_id: short-note-2/historians-agree-bloc-existed, relation: same_proposition, contributor: test}\n"
                "- {id: zz-2, from_claim_id: short-note-2/historians-agree-bloc-existed, to_claim_id: second-piece-2/visits-daily, relation: same_proposition, contributor: test}\n"
                "- {id: zz-5, from_claim_id: second-piece-2/visits-daily, to_claim_id: short-note-2/bloc-formed-1932, relation: contradicts, contributor: test}\n",
            ),
            _append(
                "claim_relations/more.yaml",
                "- {id: zz-3, from_claim_id: second-piece-2/visits-daily, to_claim_id: short-note-2/bloc-formed-1932, relation: same_proposition, contributor: test}\n"
                "- {id: zz-4, from_claim_id: short-note-2/historians-agree-bloc-existed, to_claim_id: short-note-2/bloc-formed-1932, relation: same_proposition, contributor: test}\n"
                "- {id: zz-6, from_claim_id: short-note-2/bloc-formed-1932, to_claim_id: second-piece-2/visits-daily, relation: contradicts, contributor: test}\n"
                "- {id: zz-0, from_claim_id: short-note-2/bloc-formed-1932, to_claim_id: second-piece-2/visits-daily, relation: elaborates, contributor: test}\n"
                "- {id: zz-7, from_claim_id: second-piece-2/visits-daily, to_claim_id: short-note-2/bloc-formed-1932, relation: elaborates, contributor: test}\n",
            ),
        ],
        "RELATION_CONFLICT",
    ),
    "link to a claim that does not exist": (
        [
            _append(
                "historiography/more.yaml",
                LINK.format(id="new-link", claim="short-note-1/bloc-formed-1933"),
            )
        ],
        "UNKNOWN_REFERENCE",
    ),
    "claim naming an unknown agent": (
        [
            _replace(
                "documents/short-note-1.yaml", "claimant_id: historians", "claimant_id: historianz"
            )
        ],
        "UNKNOWN_REFERENCE",
    ),
    "research record twice, in two files": (
        [
            _append("research/a.yaml", RESEARCH.format(claim="second-piece/bloc-formed-1932")),
            _append("research/b.yaml", RESEARCH.format(claim="second-piece/bloc-formed-1932")),
            _append("research/b.yaml", RESEARCH.format(claim="short-note/bloc-formed-1932")),
        ],
        "RESEARCH_CONFLICT",
    ),
    "a source no record cites": (
        [
            _append(
                "sources/all.yaml",
                "- id: uncited-work\n  type: book\n  title: A Work Nobody Cites\n"
                '  author: [{family: Nobody, given: Anne}]\n  issued: "1999"\n',
            )
        ],
        "UNCITED_SOURCE",
    ),
    "a document that does not parse": (
        [_append("documents/short-note-4.yaml", "claims: [unclosed\n")],
        "YAML_SYNTAX",
    ),
    "two documents on the same lines": (
        [_replace("documents/second-piece-1.yaml", "first_line: 6", "first_line: 4")],
        "SEGMENT_OVERLAP",
    ),
    "an agent that does not load, named by a claim": (
        [
            _replace(
                "agents/all.yaml",
                "{id: note-author-2, name: Note Author 2, kind: anonymous,",
                "{id: note-author-2, name: Note Author 2, kind: not-a-kind,",
            )
        ],
        "SCHEMA",
    ),
    "an agent id twice": (
        [
            _append(
                "agents/all.yaml",
                "- {id: note-author-3, name: Someone Else, kind: anonymous, description: Again.}\n",
            )
        ],
        "DUPLICATE_ID",
    ),
    "two agents of one name": (
        [
            _append(
                "agents/all.yaml",
                "- {id: note-author-2b, name: Note Author 2, kind: anonymous, description: Again.}\n",
            )
        ],
        "LIKELY_DUPLICATE",
    ),
    "agents and topics: repeats across files (one JSON), tombstoned, a name folded": (
        [
            _append(
                "agents/more.yaml",
                "- {id: note-author-2, name: Someone Else, kind: anonymous, description: Again.}\n"
                "- {id: note-author-9, name: '  pierre BROUE ', kind: person, description: Again.}\n",
            ),
            _append(
                "agents/zz.json",
                '[{"id": "note-author-3", "name": "Note Author 4", "kind": "anonymous",'
                ' "description": "Again."}]',
            ),
            _append(
                "topics/more.yaml", "- {id: soviet-health-care, label: Again, description: A.}\n"
            ),
            _append(
                "tombstones.yaml",
                '- id: historians\n  table: agents\n  reason: Gone.\n  release: "1.2.0"\n'
                '- id: opposition-bloc-1932\n  table: topics\n  reason: Gone.\n  release: "1.2.0"\n',
            ),
        ],
        "ID_TOMBSTONED",
    ),
    "an agents file that does not parse after a repeated id and name": (
        [
            _append(
                "agents/broken.yaml",
                "- {id: note-author-2, name: Note Author, kind: anonymous, description: A.}\n"
                "- [unclosed\n",
            )
        ],
        "YAML_SYNTAX",
    ),
    "a tombstoned id in use": (
        [
            _append(
                "tombstones.yaml",
                '- id: short-note-2/bloc-formed-1932\n  table: claims\n  reason: Gone.\n  release: "1.2.0"\n',
            )
        ],
        "ID_TOMBSTONED",
    ),
}


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return grown_fixture(tmp_path_factory.mktemp("grown"), 5)


def test_the_seed_and_the_fixture_have_no_problems_either_way(grown: Path) -> None:
    assert same_problems(REPO / "data") == []
    assert same_problems(grown / "data") == []


@pytest.mark.parametrize("name", CASES)
def test_a_damaged_corpus_gives_the_same_problems(
    name: str, grown: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edits, code = CASES[name]
    root = tmp_path / "corpus"
    shutil.copytree(grown, root)
    for edit in edits:
        edit(root / "data")
    assert code in {issue.code for issue in same_problems(root / "data")}
    assert code in {issue.code for issue in same_problems(root / "data", workers=2)}
    # the id indexes sorted in many buckets and read in many blocks, as a large corpus's are
    monkeypatch.setattr(idindex, "BUFFERED", 2)  # 15 claims: 8 buckets
    monkeypatch.setattr(idindex, "BLOCK", 2)
    monkeypatch.setattr(idindex, "CACHED_BLOCKS", 2)
    assert code in {issue.code for issue in same_problems(root / "data", workers=2)}


@pytest.mark.parametrize("name", CASES)
def test_the_build_reports_what_validate_reports_and_writes_nothing(
    name: str, grown: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build keeps rows as the checks read them, written to its store a row at a time
    here (so that a repeated id reaches the store): its problems are validate's, nothing is
    raised, and with an error nothing is written."""
    from claimtrack.release import store

    monkeypatch.setattr(store, "BATCH", 1)
    edits, code = CASES[name]
    root = tmp_path / "corpus"
    shutil.copytree(grown, root)
    for edit in edits:
        edit(root / "data")
    result = build(root / "data", tmp_path / "dist")
    problems = validate_data(root / "data")
    assert result.issues == problems
    assert code in {issue.code for issue in result.issues}
    if has_errors(problems):
        assert result.status == "failed"
        assert not (tmp_path / "dist").exists()
    else:  # a warning does not stop a release
        assert result.status == "written"


def test_a_registry_file_read_twice_counts_once(
    grown: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON file that stops streaming after some records is read again whole: the
    records it gave the indexes the first time are taken back (no DUPLICATE_ID nor
    LIKELY_DUPLICATE for an agent against itself)."""
    from claimtrack import textfiles

    root = tmp_path / "corpus"
    shutil.copytree(grown, root)
    agents = root / "data" / "agents"
    records = load_yaml((agents / "all.yaml").read_text(encoding="utf-8"))
    (agents / "all.yaml").unlink()
    (agents / "all.json").write_bytes(orjson.dumps(to_plain(records)))
    streamed = textfiles._json_list

    def stops_at_the_end(path: Path, take: Callable[[textfiles.Item], object]) -> None:
        assert streamed(path, take)  # every record taken, then it "fails"
        return None

    monkeypatch.setattr(textfiles, "STREAM_JSON_FROM", 0)
    monkeypatch.setattr(textfiles, "_json_list", stops_at_the_end)
    assert validate_data(root / "data") == []
    (agents / "more.json").write_text(
        '[{"id": "note-author-2", "name": "X", "kind": "anonymous", "description": "A."}]',
        encoding="utf-8",
    )
    assert [issue.code for issue in validate_data(root / "data")] == ["DUPLICATE_ID"]


def test_the_checks_hold_the_sources_as_ids_once_a_build_has_kept_their_rows(
    tmp_path: Path,
) -> None:
    """The rules over the registries see the sources whole; from then on a build's checks
    hold their ids and lines only (as ``validate``'s), their rows already in the store."""
    corpus = load_corpus(REPO / "data")
    expected = {
        located.record.id: located.record.model_dump(mode="json", by_alias=True)
        for located in corpus.records("sources")
    }
    with RowStore() as store:
        issues, held = check_data(REPO / "data", tmp_path, jobs=1, keep=store)
        assert not has_errors(issues)
        kept = held.tables["sources"]
        assert all(isinstance(located.record, Kept) for located in kept)
        assert [located.record.id for located in kept] == list(expected)
        assert [located.line for located in kept] == [
            located.line for located in corpus.records("sources")
        ]
        store.finish()
        assert {row["id"]: row for row in store.rows("sources")} == expected
