"""A registry file and the raw files' manifest are read a record at a time (the file's tree
is never held whole): the records, their lines and their problems are those of the file
read whole, and a file that fails to parse gives its syntax error and nothing else."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from claimtrack import textfiles
from claimtrack.loading import Corpus, read_registry_file
from claimtrack.models import Agent
from claimtrack.rawfiles import RawFile, RawFileIndex, load_raw
from claimtrack.textfiles import data_file_count, data_file_paths, data_files

AGENTS = (
    "# three agents, the second of an unknown kind\n"
    "- id: first\n"
    "  name: First\n"
    "  kind: person\n"
    "  description: One.\n"
    "- id: second\n"
    "  name: Second\n"
    "  kind: not-a-kind\n"
    "  description: Two.\n"
    "- {id: third, name: Third, kind: organization,\n"
    "   description: Three.}\n"
)


@pytest.fixture(autouse=True, params=["whole", "from the file"])
def yaml_read(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here reads its YAML files from their text, then parsed from the file
    (as files of STREAM_YAML_FROM bytes or more are read a record at a time)."""
    streamed = request.param == "from the file"
    monkeypatch.setattr(textfiles, "STREAM_YAML_FROM", 0 if streamed else 1 << 40)
    return str(request.param)


def _read(tmp_path: Path, text: str, name: str = "all.yaml") -> tuple[list[object], Corpus]:
    data = tmp_path / "data"
    (data / "agents").mkdir(parents=True, exist_ok=True)
    path = data / "agents" / name
    path.write_text(text, encoding="utf-8")
    corpus = Corpus(data_dir=data)
    return list(read_registry_file(corpus, "agents", Agent, path)), corpus


def test_records_lines_and_problems_are_those_of_the_file(tmp_path: Path) -> None:
    loaded, corpus = _read(tmp_path, AGENTS)
    assert [(located.record.id, located.line, located.path) for located in loaded] == [
        ("first", 2, (0,)),
        ("third", 10, (2,)),
    ]
    assert loaded[1].line_at("/description") == 11
    [issue] = corpus.issues
    assert (issue.file, issue.line, issue.pointer, issue.record_id) == (
        "data/agents/all.yaml",
        8,
        "/1/kind",
        "second",
    )
    assert corpus.unloaded == {"agents": {"second"}}
    assert corpus.unread_tables == set()


JSON_AGENTS = (
    '[{"id": "first", "name": "First", "kind": "person", "description": "One."},\n'
    ' {"id": "second", "name": "Second", "kind": "not-a-kind", "description": "Two."}]\n'
)


@pytest.mark.parametrize("streamed", [False, True])
def test_the_same_records_from_json_keep_their_pointers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    """Read whole (orjson) or, from STREAM_JSON_FROM bytes on, a record at a time (ijson)."""
    monkeypatch.setattr(textfiles, "STREAM_JSON_FROM", 0 if streamed else 1 << 40)
    taken: list[int] = []
    original = textfiles._json_list
    monkeypatch.setattr(
        textfiles, "_json_list", lambda path, take: taken.append(1) or original(path, take)
    )
    loaded, corpus = _read(tmp_path, JSON_AGENTS, "all.json")
    assert taken == ([1] if streamed else [])
    assert [(located.record.id, located.line) for located in loaded] == [("first", None)]
    assert loaded[0].line_at("/kind") == 1
    [issue] = corpus.issues
    assert (issue.line, issue.pointer) == (2, "/1/kind")


@pytest.mark.parametrize(
    ("text", "codes", "ids"),
    [
        (JSON_AGENTS[:-2] + ", {]\n", ["JSON_SYNTAX"], []),  # bad JSON after an invalid record
        ('{"agents": []}\n', ["NOT_A_LIST"], []),
        ("\ufeff" + JSON_AGENTS, ["SCHEMA"], ["first"]),  # a BOM: read whole, as before
        (JSON_AGENTS.replace("First", "Fi\x00rst"), ["ENCODING"], []),
    ],
)
def test_a_json_file_that_does_not_stream_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, codes: list[str], ids: list[str]
) -> None:
    monkeypatch.setattr(textfiles, "STREAM_JSON_FROM", 0)
    loaded, corpus = _read(tmp_path, text, "all.json")
    assert [issue.code for issue in corpus.issues] == codes
    assert [located.record.id for located in loaded] == ids


@pytest.mark.parametrize(("tail", "line"), [("- [unclosed\n", 13), ("- {id: x, id: y}\n", 12)])
def test_a_file_that_fails_to_parse_gives_only_that_problem(
    tmp_path: Path, tail: str, line: int
) -> None:
    """The records read before the problem (one of them invalid) are dropped, unreported."""
    loaded, corpus = _read(tmp_path, AGENTS + tail)
    assert loaded == []
    assert [(issue.code, issue.line) for issue in corpus.issues] == [("YAML_SYNTAX", line)]
    assert corpus.unloaded == {}
    assert corpus.unread_tables == {"agents"}


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.replace("First", "Fi\x00rst"),  # a NUL byte
        lambda text: text.replace("One.", "One\x07."),  # a control character
        lambda text: text.replace("Second", "\ufeffSecond"),  # a BOM inside
        lambda text: "\ufeff" + text,  # a BOM first: read as text
        lambda text: text + "- {id: fourth, name: F\u00fcnf, kind: person, description: x}\n",
        lambda text: text.replace("  ", "\t", 1),
        lambda text: text.replace("\n", "\r\n"),
    ],
)
def test_a_file_parsed_as_it_is_read_gives_what_its_text_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[str], str]
) -> None:
    """Parsed from the file or from its text, the same records, lines and problems."""
    found = []
    for limit in (1 << 40, 0):
        monkeypatch.setattr(textfiles, "STREAM_YAML_FROM", limit)
        loaded, corpus = _read(tmp_path / str(limit), damage(AGENTS))
        found.append(
            (
                [(located.record, located.line, located.path) for located in loaded],
                corpus.issues,
                corpus.unloaded,
                corpus.unread_tables,
            )
        )
    assert found[0] == found[1]


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_a_large_file_is_not_read_as_text_unless_it_starts_with_a_bom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, yaml_read: str, bom: str
) -> None:
    texts: list[Path] = []
    read_text = textfiles.read_text
    monkeypatch.setattr(
        textfiles, "read_text", lambda path, *rest: texts.append(path) or read_text(path, *rest)
    )
    loaded, _ = _read(tmp_path, bom + AGENTS)
    assert len(loaded) == 2
    assert len(texts) == (0 if yaml_read == "from the file" and not bom else 1)


def test_bad_bytes_in_a_file_parsed_as_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "data" / "agents" / "all.yaml"
    path.parent.mkdir(parents=True)
    path.write_bytes(AGENTS.encode().replace(b"Third", b"Th\xffird"))
    corpus = Corpus(data_dir=tmp_path / "data")
    assert read_registry_file(corpus, "agents", Agent, path) == []
    assert [(issue.code, issue.line, issue.column) for issue in corpus.issues] == [
        ("ENCODING", 10, 23)
    ]


def test_a_file_that_is_not_a_list(tmp_path: Path) -> None:
    loaded, corpus = _read(tmp_path, "agents:\n  - id: first\n")
    assert loaded == []
    assert [issue.code for issue in corpus.issues] == ["NOT_A_LIST"]


def _raw_folder(tmp_path: Path, manifest: str) -> Path:
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text("one\ntwo\n", encoding="utf-8")
    (raw / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return tmp_path / "data"


@pytest.mark.parametrize("spooled", [False, True])
def test_the_manifest_is_read_an_entry_at_a_time_with_its_lines(
    tmp_path: Path, spooled: bool
) -> None:
    digest = hashlib.sha256(b"one\ntwo\n").hexdigest()
    manifest = (
        "- file: a.txt\n"
        f"  sha256: {digest}\n"
        "  bytes: 9\n"  # the file has 8
        "  received_from: test\n"
        "- file: b.txt\n"  # no sha256 nor bytes: reported, pins nothing
        "  received_from: test\n"
    )
    spool = _spool(tmp_path / "spool") if spooled else None
    raw_files, issues = load_raw(_raw_folder(tmp_path, manifest), spool)
    assert [(issue.code, issue.line, issue.pointer) for issue in issues] == [
        ("MISSING_FIELD", 5, "/1/sha256"),
        ("MISSING_FIELD", 5, "/1/bytes"),
        ("RAW_CHECKSUM", 3, ""),
    ]
    assert raw_files["a.txt"].line_count == 2
    assert raw_files["a.txt"].path == tmp_path / "data" / "raw" / "a.txt"
    spool = _spool(tmp_path / "spool-2") if spooled else None
    # the entry taken before the syntax error pins nothing
    raw_files, issues = load_raw(_raw_folder(tmp_path / "broken", manifest + "- [\n"), spool)
    assert dict(raw_files) == {}
    assert [(issue.code, issue.line) for issue in issues] == [
        ("YAML_SYNTAX", 8),
        ("RAW_FILE_UNPINNED", None),
    ]


def _spool(folder: Path) -> Path:
    folder.mkdir()
    return folder


def test_raw_files_kept_on_disk_are_those_kept_in_memory(tmp_path: Path) -> None:
    """Odd names, a file pinned twice (its last pin counts), one unpinned, one whose text
    does not decode, one changed: the index holds what the dict holds, in name order."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    texts = {
        "b.txt": b"one\ntwo",
        "a b.txt": b"x\n",
        '\u00e9t\u00e9 "1".txt': b"\n\n\n",
        "c\tname.txt": b"tab\n",
        "d.txt": b"\xff\xfe",
        "e.txt": b"changed\n",
        "z.txt": b"unpinned\n",
    }
    lines = []
    for name, content in texts.items():
        (raw / name).write_bytes(content)
        digest = hashlib.sha256(b"other" if name == "e.txt" else content).hexdigest()
        if name != "z.txt":
            pin = f"file: {json.dumps(name)}, sha256: {digest}, bytes: {len(content)}"
            lines.append(f"- {{{pin}, received_from: test}}\n")
    # pinned again below
    lines.insert(0, f"- {{file: b.txt, sha256: {'0' * 64}, bytes: 8, received_from: test}}\n")
    (raw / "manifest.yaml").write_text("".join(lines), encoding="utf-8")
    held, held_issues = load_raw(tmp_path / "data")
    indexed, issues = load_raw(tmp_path / "data", _spool(tmp_path / "spool"))
    assert isinstance(indexed, RawFileIndex)
    assert issues == held_issues
    # names outside [A-Za-z0-9._-] are refused (SCHEMA) and still pin their files
    codes = {"SCHEMA", "RAW_FILE_UNPINNED", "RAW_CHECKSUM", "ENCODING"}
    assert {issue.code for issue in issues} == codes
    assert (
        list(indexed)
        == sorted(held)
        == ["a b.txt", "b.txt", "c\tname.txt", '\u00e9t\u00e9 "1".txt']
    )
    assert dict(indexed) == held
    assert indexed["b.txt"].line_count == 2 and indexed["b.txt"].text == "one\ntwo"
    for missing in ["", "a", "a b.txt ", "b.tx", "zz", "\u00e9"]:
        assert missing not in indexed
        with pytest.raises(KeyError):
            indexed[missing]
    # a forked worker reads it as its parent does; a Dask worker gets it as a dict
    assert pickle.loads(pickle.dumps(indexed)) == held
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_line_counts, (indexed,)) == {n: r.line_count for n, r in held.items()}


def _line_counts(raw_files: Mapping[str, RawFile]) -> dict[str, int]:
    return {name: raw_files[name].line_count for name in raw_files}


def test_data_files_by_name_as_a_glob_finds_them(tmp_path: Path) -> None:
    names = ["b.yaml", "a.json", ".yaml", "..yaml", "c.yml", "d.yaml.bak", "e.YAML", "f.json"]
    for name in names:
        (tmp_path / name).write_text("[]\n", encoding="utf-8")
    (tmp_path / "g.yaml").mkdir()
    globbed = sorted(
        (path for path in tmp_path.glob("*.*") if path.suffix in (".yaml", ".json")),
        key=lambda path: path.name,
    )
    assert data_files(tmp_path) == globbed
    assert data_file_paths(tmp_path) == [str(path) for path in globbed]
    assert data_file_count(tmp_path) == len(globbed)
    assert data_file_count(tmp_path / "missing") == 0
    assert [path.name for path in globbed] == ["..yaml", "a.json", "b.yaml", "f.json", "g.yaml"]


def test_a_tables_files_counted_as_listed(tmp_path: Path) -> None:
    from claimtrack.loading import table_file_count, table_files

    for name in ("links.yaml", "links/b.yaml", "links/a.json", "links/c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("[]\n", encoding="utf-8")
    assert [path.name for path in table_files(tmp_path, "links")] == [
        "links.yaml",
        "a.json",
        "b.yaml",
    ]
    assert table_file_count(tmp_path, "links") == 3
    assert table_file_count(tmp_path, "none") == len(table_files(tmp_path, "none")) == 0
