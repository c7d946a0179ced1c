"""The intake commands: a document added from a web page end to end (add-raw, new-document,
find, locate, release, then validate, build, diff and cite), and each command's own rules."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.anchoring import anchor_quote
from claimtrack.cli import main
from claimtrack.intake.cards import counted_text
from claimtrack.intake.edits import EditError, append_records, dump_yaml, set_scalars
from claimtrack.intake.locate import places, proposed_claim_id
from claimtrack.intake.raw import IntakeError, add_raw
from claimtrack.issues import has_errors
from claimtrack.loading import load_corpus
from claimtrack.validation import run_checks
from claimtrack.yamlio import load_yaml, to_plain

from .conftest import REPO

#: Written for this test; not a real publication.
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Notes on a Test Archive</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article>
<h1>Notes on a Test Archive</h1>
<p>The test archive was opened to readers in 1991, and its catalogue lists 412 folders.</p>
<p>In fact, the curator’s report says that most folders were probably never read before 1992.</p>
<p>The report calls the catalogue “incomplete but honest”.</p>
</article>
<footer>Copyright notice of the test site</footer>
</body></html>
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A tmp copy of the repo's data/ and generated files, as a contributor's checkout."""
    root = tmp_path / "checkout"
    root.mkdir()
    shutil.copytree(REPO / "data", root / "data")
    for name in ("DATA_CARD.md", "README.md", "CITATION.cff"):
        shutil.copy(REPO / name, root / name)
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_document_from_a_web_page_to_a_built_release(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, dist = str(checkout / "data"), str(checkout / "dist")
    cards = [str(checkout / "DATA_CARD.md"), str(checkout / "README.md")]
    assert _run(capsys, "build", "--data", data, "--out", dist)[0] == 0
    (previous,) = (checkout / "dist").iterdir()
    old_version = yaml.safe_load((checkout / "data" / "release.yaml").read_text())["version"]
    manifest_before = (checkout / "data" / "raw" / "manifest.yaml").read_text(encoding="utf-8")

    page = checkout / "notes-on-a-test-archive.html"
    page.write_text(PAGE, encoding="utf-8")
    code, out, _ = _run(
        capsys, "add-raw", str(page), "--url", "https://example.org/notes",
        "--received-from", "A page written for the tests, saved from a browser.",
        "--date", "2026-12-01", "--data", data,
    )  # fmt: skip
    assert code == 0, out
    manifest_text = (checkout / "data" / "raw" / "manifest.yaml").read_text(encoding="utf-8")
    assert manifest_text.startswith(manifest_before)  # comments and entries kept as they were
    entry = yaml.safe_load(manifest_text)[-1]
    raw_path = checkout / "data" / "raw" / entry["file"]
    raw_bytes = raw_path.read_bytes()
    assert entry["sha256"] == hashlib.sha256(raw_bytes).hexdigest()
    assert entry["bytes"] == len(raw_bytes)
    assert entry["converted_from"] == {
        "sha256": hashlib.sha256(PAGE.encode()).hexdigest(),
        "bytes": len(PAGE.encode()),
        "media_type": "text/html",
        "tool": f"trafilatura {version('trafilatura')}",
    }
    assert (entry["url"], entry["received"]) == ("https://example.org/notes", "2026-12-01")
    raw_text = raw_bytes.decode()
    assert "412 folders" in raw_text and "Copyright notice" not in raw_text
    lines = raw_text.count("\n")

    # pinned, but no document covers it yet
    code, out, _ = _run(capsys, "validate", "--data", data, "--format", "json")
    assert code == 1
    assert {issue["code"] for issue in orjson.loads(out)["issues"]} == {"SEGMENT_GAP"}

    code, out, _ = _run(
        capsys, "new-document", "--raw", entry["file"], "--lines", f"1-{lines}",
        "--author", "Test Curator", "--author-kind", "person",
        "--author-description", "The invented author of a test page.",
        "--type", "article", "--rights", "Written for the tests.", "--published", "2026-11",
        "--venue", "The Test Site",
        "--data", data,
    )  # fmt: skip
    assert code == 0, out
    document_path = checkout / "data" / "documents" / "notes-on-a-test-archive.yaml"
    document = yaml.safe_load(document_path.read_text(encoding="utf-8"))
    assert document["url"] == "https://example.org/notes"
    assert document["publication"] == {"venue": "The Test Site"}
    assert document["origin"] == {"raw_file": entry["file"], "first_line": 1, "last_line": lines}
    assert _run(capsys, "validate", "--data", data)[0] == 0

    code, out, _ = _run(capsys, "find", "test curator", "--data", data)
    assert code == 0 and out.split()[:2] == ["agents", "test-curator"]

    quote = "most folders were probably never read before 1992"
    code, out, _ = _run(capsys, "locate", "notes-on-a-test-archive", quote, "--data", data)
    assert code == 0
    claim_id = out.split("proposed id: ")[1].split()[0]
    assert claim_id.startswith("notes-on-a-test-archive/")

    with document_path.open("a", encoding="utf-8") as file:
        file.write(
            f"""  - id: {claim_id}
    span: {{exact: "{quote}"}}
    statement: "Most folders of the test archive were never read before 1992."
    claim_type: empirical
    attribution:
      claimant_id: test-curator
      mode: asserts
      document_stance: endorses
    modality: {{level: probable, cue: probably}}
    time: "../1992"
"""
        )
    document_path.write_text(
        document_path.read_text(encoding="utf-8").replace("claims: []\n", "claims:\n"),
        encoding="utf-8",
    )
    assert _run(capsys, "validate", str(document_path), "--data", data)[0] == 0
    assert _run(capsys, "validate", "--data", data)[0] == 0

    code, out, err = _run(
        capsys, "release", *cards, "--data", data, "--out", dist, "--date", "2026-12-02"
    )
    assert code == 0, err
    release = yaml.safe_load((checkout / "data" / "release.yaml").read_text(encoding="utf-8"))
    major, minor, _ = (int(part) for part in old_version.split("."))
    assert (release["version"], release["date_released"]) == (
        f"{major}.{minor + 1}.0",
        "2026-12-02",
    )
    assert "the changes need a minor bump" in out
    assert _run(capsys, "card", *cards, "--data", data, "--check")[0] == 0

    assert _run(capsys, "build", "--data", data, "--out", dist)[0] == 0
    new = checkout / "dist" / f"claimtrack-{release['version']}"
    code, out, _ = _run(capsys, "diff", str(previous), str(new), "--format", "json")
    assert code == 0
    tables = orjson.loads(out)["tables"]
    assert tables["documents"]["added"] == ["notes-on-a-test-archive"]
    assert tables["claims"]["added"] == [claim_id]
    assert tables["agents"]["added"] == ["test-curator"]
    code, out, _ = _run(capsys, "cite", claim_id, "--data", data)
    assert code == 0 and claim_id in out


def test_add_raw_files_a_text_as_received_and_refuses_it_twice(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = checkout / "Letter to the Editor (draft).txt"
    text.write_bytes(b"A letter written for the tests.\r\nIt has CRLF line ends.\r\n")
    data = str(checkout / "data")
    args = ["add-raw", str(text), "--received-from", "Written for the tests.", "--data", data]
    assert _run(capsys, *args, "--date", "2026-12-01")[0] == 0
    entry = yaml.safe_load((checkout / "data" / "raw" / "manifest.yaml").read_text())[-1]
    assert entry["file"].endswith("_letter-to-the-editor-draft.txt")
    assert (checkout / "data" / "raw" / entry["file"]).read_bytes() == text.read_bytes()
    assert "converted_from" not in entry
    code, _, err = _run(capsys, *args, "--date", "2026-12-01")
    assert code == 1 and f"already pinned as {entry['file']}" in err
    code, _, err = _run(capsys, *args, "--url", "not a url", "--date", "2026-12-01")
    assert code == 1


def test_add_raw_refuses_bytes_that_are_not_utf8(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = checkout / "latin1.txt"
    latin.write_bytes("first line\ncaf\xe9\n".encode("latin-1"))
    before = sorted((checkout / "data" / "raw").iterdir())
    code, _, err = _run(
        capsys, "add-raw", str(latin), "--received-from", "x", "--data", str(checkout / "data")
    )
    assert code == 1 and "latin1.txt:2: byte 0xe9 is not UTF-8" in err
    assert sorted((checkout / "data" / "raw").iterdir()) == before


def test_new_document_finds_an_existing_author_by_alias(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = checkout / "data"
    agents = [
        agent
        for path in sorted((data / "agents").glob("*.yaml"))
        for agent in yaml.safe_load(path.read_text(encoding="utf-8")) or []
    ]

    def names(agent: dict[str, Any]) -> set[str]:
        return {str(name).casefold() for name in [agent["name"], *agent.get("aliases", [])]}

    agent = next(  # an alias that names one agent only
        agent
        for agent in agents
        if agent.get("aliases")
        and sum(str(agent["aliases"][0]).casefold() in names(other) for other in agents) == 1
    )
    text = checkout / "note.txt"
    text.write_text("A Note\nOne line of text.\n", encoding="utf-8")
    assert _run(capsys, "add-raw", str(text), "--received-from", "t", "--data", str(data))[0] == 0
    name = yaml.safe_load((data / "raw" / "manifest.yaml").read_text())[-1]["file"]
    code, out, err = _run(
        capsys, "new-document", "--raw", name, "--lines", "1-2", "--author", agent["aliases"][0],
        "--type", "essay", "--rights", "t", "--data", str(data),
    )  # fmt: skip
    assert code == 0, err
    assert f"author: {agent['id']} (found in data/)" in out
    document = yaml.safe_load((data / "documents" / "a-note.yaml").read_text())
    assert document["author_ids"] == [agent["id"]] and document["title"] == "A Note"
    code, _, err = _run(
        capsys, "new-document", "--raw", name, "--lines", "1-9", "--author", agent["id"],
        "--type", "essay", "--rights", "t", "--id", "other", "--data", str(data),
    )  # fmt: skip
    assert code == 1 and "has 2 lines" in err
    code, _, err = _run(
        capsys, "new-document", "--raw", name, "--lines", "2-2", "--author", agent["id"],
        "--type", "essay", "--rights", "t", "--id", "other", "--data", str(data),
    )  # fmt: skip
    assert code == 1 and "lines 2-2 of" in err and "'a-note'" in err
    assert not (data / "documents" / "other.yaml").exists()


TEXT = "the bloc met. The bloc met again; then the bloc met once more, and the bloc"


@pytest.mark.parametrize("quote", ["the bloc", "bloc met", "the bloc met", "once more"])
def test_locate_gives_context_that_anchors_each_occurrence_alone(quote: str) -> None:
    found = places(TEXT, quote)
    assert [place.start for place in found] == [
        index for index in range(len(TEXT)) if TEXT.startswith(quote, index)
    ]
    for place in found:
        anchor = anchor_quote(TEXT, quote, place.prefix, place.suffix)
        assert (getattr(anchor, "start", None), getattr(anchor, "end", None)) == (
            place.start,
            place.end,
        )
        if place.prefix is not None:  # shortest: one character less is ambiguous
            assert not hasattr(anchor_quote(TEXT, quote, place.prefix[1:] or None), "start")


def test_proposed_claim_id_is_free_and_valid() -> None:
    taken = {"doc/the-bloc-met-again"}
    assert proposed_claim_id("doc", "The bloc met again!", taken) == "doc/the-bloc-met-again-2"
    assert proposed_claim_id("doc", "Дом", set()) == "doc/claim"


def test_locate_says_where_a_quote_differs(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = checkout / "data"
    shutil.rmtree(data)
    shutil.copytree(REPO / "tests" / "fixtures" / "valid" / "data", data)
    code, out, _ = _run(
        capsys, "locate", "short-note", "In 1932 the blok was formed.", "--data", str(data)
    )
    assert code == 1
    assert "they agree for 15 characters" in out and "U+006B" in out and "U+0063" in out


def test_append_keeps_every_byte_and_the_list_indent(tmp_path: Path) -> None:
    path = tmp_path / "agents.yaml"
    original = "# a comment kept\n  - id: a   # trailing comment\n    name: A\n"
    path.write_text(original, encoding="utf-8")
    append_records(path, [{"id": "b", "name": "no"}])
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original)
    assert yaml.safe_load(text) == [{"id": "a", "name": "A"}, {"id": "b", "name": "no"}]


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
            _TEXT | st.integers(0, 10**9),
            min_size=1,
        ),
        min_size=1,
    ),
    st.sampled_from([0, 2]),
)
def test_written_records_read_back_as_written(
    records: list[dict[str, object]], indent: int
) -> None:
    """What the intake commands write reads back (as data/ is read) to the same strings,
    whatever the text: quotes, YAML keywords (no, null), control characters, U+0085."""
    expected = [{key: str(value) for key, value in record.items()} for record in records]
    assert to_plain(load_yaml(dump_yaml(records, indent))) == expected


def test_an_edit_that_would_not_parse_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "release.yaml"
    original = 'version: "0.1.0"\nversion_note: x\n'
    path.write_text(original + "bad: [\n", encoding="utf-8")
    with pytest.raises(EditError):
        set_scalars(path, {"version": "0.2.0"})
    assert path.read_text(encoding="utf-8") == original + "bad: [\n"
    path.write_text(
        "# kept\n" + original + "date: 2020-01-01  # a comment kept\n", encoding="utf-8"
    )
    set_scalars(path, {"version": "0.2.0", "date": 'a "quoted" \\ value'})
    assert path.read_text(encoding="utf-8") == (
        '# kept\nversion: "0.2.0"\nversion_note: x\ndate: "a \\"quoted\\" \\\\ value"  # a comment kept\n'
    )
    assert sorted(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_counted_text_skips_generated_sections(tmp_path: Path) -> None:
    card = tmp_path / "card.md"
    card.write_text(
        "One seed compilation: fifteen pieces.\n<!-- generated:counts -->\n15 documents\n"
        "<!-- /generated:counts -->\nA 1935 article; two or more claims; a UTF-8 text.\n",
        encoding="utf-8",
    )
    assert counted_text(card) == [(1, "One seed compilation"), (1, "fifteen pieces")]


def test_release_without_changes_keeps_the_version(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, dist = str(checkout / "data"), str(checkout / "dist")
    cards = [str(checkout / "DATA_CARD.md"), str(checkout / "README.md")]
    assert _run(capsys, "build", "--data", data, "--out", dist)[0] == 0
    before = yaml.safe_load((checkout / "data" / "release.yaml").read_text())
    code, out, _ = _run(
        capsys, "release", *cards, "--data", data, "--out", dist, "--date", before["date_released"]
    )
    assert code == 0 and "nothing changed that needs a version bump" in out
    assert yaml.safe_load((checkout / "data" / "release.yaml").read_text()) == before


def test_the_cli_starts_without_the_release_libraries() -> None:
    """Every command starts fast: datasets is imported only by the commands that write."""
    script = "import sys, claimtrack.cli; print('datasets' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_new_document_asks_for_the_id_when_a_name_is_ambiguous(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = checkout / "data"
    append_records(
        data / "agents" / "common.yaml",
        [
            {"id": "jan-novak-1", "name": "Jan Novak", "kind": "person", "description": "One."},
            {"id": "jan-novak-2", "name": "J. Novak", "kind": "person", "description": "Two.",
             "aliases": ["Jan Novak"]},
        ],
    )  # fmt: skip
    text = checkout / "note.txt"
    text.write_text("A Note\n", encoding="utf-8")
    assert _run(capsys, "add-raw", str(text), "--received-from", "t", "--data", str(data))[0] == 0
    name = yaml.safe_load((data / "raw" / "manifest.yaml").read_text())[-1]["file"]
    code, _, err = _run(
        capsys, "new-document", "--raw", name, "--lines", "1-1", "--author", "jan novak",
        "--type", "essay", "--rights", "t", "--data", str(data),
    )  # fmt: skip
    assert code == 1 and "names jan-novak-1, jan-novak-2; give the id" in err
    assert not (data / "documents" / "a-note.yaml").exists()


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["page.html", "text.txt"]))
def test_add_raw_never_crashes_on_any_bytes(content: bytes, name: str) -> None:
    """Any file gets an entry or an IntakeError; a failed intake writes nothing."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(REPO / "tests" / "fixtures" / "valid" / "data", data)
        given_file = Path(folder) / name
        given_file.write_bytes(content)
        before = {path.name: path.read_bytes() for path in (data / "raw").iterdir()}
        try:
            entry = add_raw(data, given_file, "t", "2026-12-01")
        except IntakeError:
            assert {path.name: path.read_bytes() for path in (data / "raw").iterdir()} == before
            return
        assert (data / "raw" / entry.file).is_file()
        assert not has_errors(
            [issue for issue in run_checks(load_corpus(data)) if issue.code != "SEGMENT_GAP"]
        )
