"""The build: segmentation, anchoring, determinism, atomic and conflict-safe writing."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

import claimtrack.release.build as build_module
from claimtrack.cli import main
from claimtrack.loading import load_corpus
from claimtrack.release.build import BuildResult, build
from claimtrack.release.manifest import FileLog, release_files, write_manifest

from .conftest import REPO


def _jsonl(release: Path, table: str) -> list[dict[str, object]]:
    return [
        orjson.loads(line)
        for line in (release / "jsonl" / f"{table}.jsonl").read_bytes().splitlines()
    ]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_raw_file_is_the_seed_compilation_byte_for_byte() -> None:
    raw = (REPO / "data" / "raw" / "000_25aba9feea8b5b0e.txt").read_bytes()
    assert (
        hashlib.sha256(raw).hexdigest()
        == "0aad782e184c61f7a038aa96d2bc6ca683ab412c1bcca57ade3e23e73f069881"
    )
    shared = REPO.parent / "shared" / "corpus" / "000_25aba9feea8b5b0e.txt"
    if (
        shared.is_file()
    ):  # beside a checkout in this workplace; the pinned hash above holds everywhere
        assert shared.read_bytes() == raw


def test_segmentation_loses_no_text(seed_release: BuildResult) -> None:
    """Whatever data/ holds: one released document per annotation file, and every raw file is
    its documents' texts joined in line order, no line left out or given twice."""
    assert seed_release.release_dir is not None
    documents = _jsonl(seed_release.release_dir, "documents")
    assert len(documents) == len(list((REPO / "data" / "documents").glob("*.yaml")))
    by_raw: dict[str, list[dict[str, Any]]] = {}
    for document in documents:
        origin = document["origin"]
        assert isinstance(origin, dict)
        by_raw.setdefault(origin["raw_file"], []).append(document)
    pinned = yaml.safe_load((REPO / "data" / "raw" / "manifest.yaml").read_text(encoding="utf-8"))
    assert set(by_raw) == {entry["file"] for entry in pinned}
    for name, covering in by_raw.items():
        raw = (REPO / "data" / "raw" / name).read_text(encoding="utf-8")
        covering.sort(key=lambda doc: doc["origin"]["start"])
        assert "".join(str(doc["text"]) for doc in covering) == raw
        expected_line = 1
        for document in covering:
            origin = document["origin"]
            assert origin["first_line"] == expected_line
            expected_line = origin["last_line"] + 1
            assert raw[origin["start"] : origin["end"]] == document["text"]
            digest = hashlib.sha256(str(document["text"]).encode()).hexdigest()
            assert digest == document["text_sha256"]
        assert expected_line - 1 == raw.count("\n") + (0 if raw.endswith("\n") else 1)


@pytest.mark.parametrize("release", ["seed_release", "fixture_release"])
def test_every_span_is_its_quote(release: str, request: pytest.FixtureRequest) -> None:
    result: BuildResult = request.getfixturevalue(release)
    assert result.release_dir is not None
    texts = {doc["id"]: doc["text"] for doc in _jsonl(result.release_dir, "documents")}
    for claim in _jsonl(result.release_dir, "claims"):
        span = claim["span"]
        assert isinstance(span, dict)
        text = str(texts[claim["document_id"]])
        assert text[span["start"] : span["end"]] == span["exact"]
        assert text[: span["start"]].endswith(span["prefix"])
        assert text[span["end"] :].startswith(span["suffix"])


def test_second_build_is_byte_identical(fixture_root: Path, tmp_path: Path) -> None:
    first = build(fixture_root / "data", tmp_path / "one")
    second = build(fixture_root / "data", tmp_path / "two")
    assert first.release_dir is not None and second.release_dir is not None
    assert _tree(first.release_dir) == _tree(second.release_dir)


def test_release_folder_layout(fixture_release: BuildResult) -> None:
    root = fixture_release.release_dir
    assert root is not None and root.name == "claimtrack-1.2.3"
    files = set(_tree(root))
    assert {
        "README.md",
        "manifest.json",
        "jsonl/claims.jsonl",
        "jsonl/claim_relations.jsonl",
        "data/claims/train-00000-of-00001.parquet",
        "schema/claims.schema.json",
    } <= files
    assert (
        "data/claim_relations/train-00000-of-00001.parquet" not in files
    )  # empty: no Parquet, no config
    manifest = orjson.loads((root / "manifest.json").read_bytes())
    assert manifest["version"] == "1.2.3"
    assert manifest["records"]["claims"] == 3 and manifest["records"]["claim_relations"] == 0
    for name, entry in manifest["files"].items():
        data = (root / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert set(manifest["files"]) == files - {"manifest.json"}
    # written an entry at a time: the bytes of one indented, key-sorted dump of the whole
    indented = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    assert (root / "manifest.json").read_bytes() == orjson.dumps(manifest, option=indented) + b"\n"


def test_release_files_come_in_the_order_of_their_paths(tmp_path: Path) -> None:
    """A folder sorts as its name and a slash: the walk gives the paths in string order
    (the manifest's keys), one folder listed at a time."""
    for name in ("a/x", "a-b/x", "a.html", "a/b/c", "ab", "a/b.html", "b/manifest.json", "z"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    walked = list(release_files(tmp_path))
    assert walked == ["a-b/x", "a.html", "a/b.html", "a/b/c", "a/x", "ab", "z"]
    assert walked == sorted(walked)


def test_a_manifest_from_a_folders_log_is_the_manifest_of_its_files(tmp_path: Path) -> None:
    """The build logs the explorer's pages as it writes them; the manifest merges the log
    with the other files, in path order (non-ASCII names and the folder's neighbours too)."""
    names = ("site-a/x", "site.html", "sitez", "a", "site/é.html", "site/a-b/c", "site/a.html")
    names += ("site/a/b", "site/z/ü/1.html", "site/Z.html")
    log = FileLog(tmp_path / "log.sqlite")
    for name in names:
        path = tmp_path / "release" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode() * 3)
        if name.startswith("site/"):
            log.add(
                [(name[5:], hashlib.sha256(name.encode() * 3).hexdigest(), len(name.encode()) * 3)]
            )
    manifests = []
    for logged in (None, ("site", log)):
        write_manifest(
            tmp_path / "release",
            dataset_version="1.0.0",
            schema_version="1",
            package_version="0",
            commit=None,
            dirty=None,
            release={},
            counts={},
            logged=logged,
        )
        manifests.append((tmp_path / "release" / "manifest.json").read_bytes())
    log.close()
    assert manifests[0] == manifests[1]
    listed = list(orjson.loads(manifests[1])["files"])
    assert listed == sorted(names) and len(listed) == len(names)


def test_jsonl_is_sorted_and_not_ascii_escaped(fixture_release: BuildResult) -> None:
    assert fixture_release.release_dir is not None
    raw = (fixture_release.release_dir / "jsonl" / "sources.jsonl").read_text(encoding="utf-8")
    assert "Broué" in raw and "\\u00e9" not in raw
    for table in ("claims", "sources", "agents"):
        ids = [row["id"] for row in _jsonl(fixture_release.release_dir, table)]
        assert ids == sorted(ids)
        for line in (
            (fixture_release.release_dir / "jsonl" / f"{table}.jsonl").read_bytes().splitlines()
        ):
            record = orjson.loads(line)
            assert list(record) == sorted(record)


def test_unchanged_rebuild_and_conflicting_rebuild(fixture_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(fixture_root / "data", out).status == "written"
    assert build(fixture_root / "data", out).status == "unchanged"
    before = _tree(out / "claimtrack-1.2.3")
    claims = fixture_root / "data" / "documents" / "second-piece.yaml"
    claims.write_text(claims.read_text().replace("1750 visits a day", "1,750 visits a day"))
    result = build(fixture_root / "data", out)
    assert result.status == "failed"
    assert [issue.code for issue in result.issues] == ["RELEASE_CONFLICT"]
    assert _tree(out / "claimtrack-1.2.3") == before
    assert sorted(path.name for path in out.iterdir()) == ["claimtrack-1.2.3"]  # no temporary left


def test_invalid_data_writes_nothing_and_names_file_and_line(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = fixture_root / "data" / "documents" / "short-note.yaml"
    document.write_text(
        document.read_text().replace("In 1932 the bloc was formed.", "In 1933 the bloc was formed.")
    )
    out = tmp_path / "dist"
    code = main(["build", "--data", str(fixture_root / "data"), "--out", str(out)])
    assert code == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "data/documents/short-note.yaml:11: error QUOTE_NOT_FOUND" in err
    assert "nothing was written" in err


@pytest.mark.parametrize("broken", [False, True])
def test_the_build_reads_each_file_once_and_never_data_whole(
    fixture_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: bool
) -> None:
    """The build reads data/ once, a file at a time: the checks keep each record as its
    release row and the release is written from those rows, so data/ is never loaded whole
    (which a corpus too large for memory could not be), with or without an error."""
    from claimtrack import loading
    from claimtrack.validation import document_check

    document = fixture_root / "data" / "documents" / "short-note.yaml"
    if broken:
        document.write_text(document.read_text().replace("time: 1932", "time: 19xx-99", 1))
    reads: Counter[str] = Counter()
    read = document_check.read_document_file

    def counting(path: Path, *args: Any) -> Any:
        reads[path.name] += 1
        return read(path, *args)

    def load_whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("the build loaded data/ whole")

    monkeypatch.setattr(document_check, "read_document_file", counting)
    monkeypatch.setattr(loading, "_load_corpus", load_whole)
    result = build_module.build(fixture_root / "data", tmp_path / "dist")
    files = sorted(path.name for path in (fixture_root / "data" / "documents").glob("*.yaml"))
    assert sorted(reads.elements()) == files
    if broken:
        assert result.status == "failed"
        assert "INVALID_EDTF" in {issue.code for issue in result.issues}
    else:
        assert result.status == "written", result.issues
        assert result.counts["documents"] == len(files)


def test_changed_raw_file_fails_the_build(fixture_root: Path, tmp_path: Path) -> None:
    raw = fixture_root / "data" / "raw" / "sample.txt"
    raw.write_bytes(raw.read_bytes().replace(b"1750", b"1760"))
    result = build(fixture_root / "data", tmp_path / "dist")
    assert result.status == "failed"
    assert "RAW_CHECKSUM" in {issue.code for issue in result.issues}
    assert not (tmp_path / "dist").exists()


def test_segment_gap_and_overlap_are_reported(fixture_root: Path) -> None:
    second = fixture_root / "data" / "documents" / "second-piece.yaml"
    second.write_text(
        second.read_text().replace("first_line: 6, last_line: 8", "first_line: 7, last_line: 8")
    )
    issues = load_and_check(fixture_root)
    assert ("SEGMENT_GAP", "data/raw/sample.txt", 6) in issues
    second.write_text(second.read_text().replace("first_line: 7", "first_line: 5"))
    assert ("SEGMENT_OVERLAP", "data/documents/second-piece.yaml", 1) in load_and_check(
        fixture_root
    )


def load_and_check(root: Path) -> set[tuple[str, str, int | None]]:
    from claimtrack.validation import run_checks

    return {
        (issue.code, issue.file, issue.line) for issue in run_checks(load_corpus(root / "data"))
    }


@pytest.mark.parametrize(
    ("edit", "code", "line"),
    [
        (("time: 1932\n", "time: 1932-13\n"), "INVALID_EDTF", 16),
        (
            ("claimant_id: note-author, mode: asserts", "claimant_id: nobody, mode: asserts"),
            "UNKNOWN_REFERENCE",
            14,
        ),
        (("claim_type: empirical", "claim_typ: empirical"), "UNKNOWN_FIELD", 13),
        (("id: short-note/bloc-formed-1932", "id: short-note/Bloc"), "INVALID_ID", 10),
        (("cue: probably", "cue: perhaps"), "CUE_NOT_IN_SPAN", 26),
        (
            ("id: short-note/historians-agree-bloc-existed", "id: short-note/bloc-formed-1932"),
            "DUPLICATE_ID",
            17,
        ),
        (
            ("id: short-note/historians-agree-bloc-existed", "id: other-note/historians"),
            "CLAIM_ID_PREFIX",
            17,
        ),
        (
            ("exact: In 1932 the bloc was formed.", "exact: In 1932 the bloc was founded."),
            "QUOTE_NOT_FOUND",
            11,
        ),
    ],
)
def test_problems_are_coded_and_located(
    fixture_root: Path, edit: tuple[str, str], code: str, line: int
) -> None:
    document = fixture_root / "data" / "documents" / "short-note.yaml"
    text = document.read_text()
    assert edit[0] in text
    document.write_text(text.replace(edit[0], edit[1], 1))
    assert (code, "data/documents/short-note.yaml", line) in load_and_check(fixture_root)


def test_all_problems_are_reported_not_only_the_first(fixture_root: Path) -> None:
    document = fixture_root / "data" / "documents" / "short-note.yaml"
    text = (
        document.read_text()
        .replace("time: 1932\n", "time: soon\n")
        .replace("claimant_id: historians", "claimant_id: nobody")
    )
    document.write_text(text)
    codes = [
        code for code, file, _ in load_and_check(fixture_root) if file.endswith("short-note.yaml")
    ]
    assert sorted(codes) == ["INVALID_EDTF", "UNKNOWN_REFERENCE"]


def test_cli_build_prints_the_release(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist"
    assert main(["build", "--data", str(fixture_root / "data"), "--out", str(out)]) == 0
    assert f"written: {out / 'claimtrack-1.2.3'}" in capsys.readouterr().out
    shutil.rmtree(out)


def test_the_seed_data_has_no_problem_at_all() -> None:
    """Errors and warnings alike: every source cited, every footnote cited, no likely duplicate."""
    from claimtrack.validation import run_checks

    issues = run_checks(load_corpus(REPO / "data"))
    assert [issue.as_text() for issue in issues] == []


def test_uncited_footnote_and_likely_duplicates(fixture_root: Path) -> None:
    document = fixture_root / "data" / "documents" / "short-note.yaml"
    document.write_text(document.read_text().replace('marker: "[1]", ', ""))
    agents = fixture_root / "data" / "agents" / "all.yaml"
    agents.write_text(
        agents.read_text()
        + "- {id: p-broue, name: Pierre Broue, kind: person, description: Same man.}\n"
    )
    sources = fixture_root / "data" / "sources" / "all.yaml"
    sources.write_text(
        sources.read_text()
        + '- {id: broue-again, type: article-journal, title: "Trotsky et le bloc des oppositions de 1932.", author: [{family: Broue}], issued: "1980", container-title: Cahiers Léon Trotsky}\n'
    )
    found = load_and_check(fixture_root)
    assert ("FOOTNOTE_UNCITED", "data/raw/sample.txt", 3) in found
    assert ("LIKELY_DUPLICATE", "data/agents/all.yaml", 4) in found
    assert ("LIKELY_DUPLICATE", "data/sources/all.yaml", 12) in found
    assert ("UNCITED_SOURCE", "data/sources/all.yaml", 12) in found


RELATIONS = """\
- {id: r1, from_claim_id: short-note/bloc-formed-1932, to_claim_id: short-note/historians-agree-bloc-existed, relation: same_proposition, contributor: t}
- {id: r2, from_claim_id: short-note/historians-agree-bloc-existed, to_claim_id: second-piece/visits-daily, relation: same_proposition, contributor: t}
"""


def test_relation_rules_and_proposition_clusters(fixture_root: Path, tmp_path: Path) -> None:
    relations = fixture_root / "data" / "claim_relations.yaml"
    relations.write_text(RELATIONS)
    corpus = load_corpus(fixture_root / "data")
    (cluster,) = corpus.propositions()
    assert cluster.id == "second-piece/visits-daily"
    assert cluster.claim_ids == [
        "second-piece/visits-daily",
        "short-note/bloc-formed-1932",
        "short-note/historians-agree-bloc-existed",
    ]
    assert cluster.document_ids == ["second-piece", "short-note"]
    assert cluster.historiography_ids == ["broue-on-bloc"]
    assert not {code for code, _, _ in load_and_check(fixture_root) if code.startswith("RELATION")}
    relations.write_text(
        RELATIONS
        + "- {id: r3, from_claim_id: second-piece/visits-daily, to_claim_id: short-note/bloc-formed-1932, relation: same_proposition, contributor: t}\n"
        + "- {id: r4, from_claim_id: short-note/historians-agree-bloc-existed, to_claim_id: short-note/bloc-formed-1932, relation: same_proposition, contributor: t}\n"
        + "- {id: r5, from_claim_id: second-piece/visits-daily, to_claim_id: short-note/bloc-formed-1932, relation: contradicts, contributor: t}\n"
    )
    found = load_and_check(fixture_root)
    assert ("RELATION_CYCLE", "data/claim_relations.yaml", 3) in found
    assert ("RELATION_DUPLICATE", "data/claim_relations.yaml", 4) in found
    assert ("RELATION_CONFLICT", "data/claim_relations.yaml", 5) in found
    result = build(fixture_root / "data", tmp_path / "dist")
    assert result.status == "failed"  # the conflict is an error; the cycle alone would be a warning


@pytest.mark.parametrize(
    ("card", "line", "problem"),
    [
        ("<!-- generated:counts -->\nold\n", 1, "not closed"),
        ("<!-- generated:count -->\nold\n<!-- /generated:count -->\n", 1, "unknown"),
        ("text\n<!-- /generated:counts -->\n", 2, "closes no open section"),
        ("<!-- generated:counts --> old <!-- /generated:counts -->\n", 1, "stands alone"),
    ],
)
def test_a_card_marker_fill_would_skip_fails_the_build(
    fixture_root: Path, tmp_path: Path, card: str, line: int, problem: str
) -> None:
    (fixture_root / "DATA_CARD.md").write_text(card, encoding="utf-8")
    result = build(fixture_root / "data", tmp_path / "dist")
    assert result.status == "failed"
    [issue] = [issue for issue in result.issues if issue.code == "CARD_SECTION"]
    assert (issue.line, problem in issue.message) == (line, True)
    assert (
        main(["card", str(fixture_root / "DATA_CARD.md"), "--data", str(fixture_root / "data")])
        == 1
    )


def test_a_card_that_is_not_utf8_is_reported(
    fixture_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = fixture_root / "DATA_CARD.md"
    card.write_bytes(b"# Card\n\xff\n")
    assert main(["card", str(card), "--data", str(fixture_root / "data")]) == 1
    assert f"{card}:2:1: error ENCODING" in capsys.readouterr().err
