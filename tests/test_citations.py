"""Citations parsed back and rendered by real consumers, with the release's home unknown (the
seed) and known (a fixture home); `cite` from any copy of a release."""

from __future__ import annotations

import shutil
from pathlib import Path

import bibtexparser
import orjson
import pytest
import rispy

from claimtrack.api.release import Release
from claimtrack.cli import main
from claimtrack.home import UNKNOWN_HOME, record_url
from claimtrack.models import ReleaseInfo
from claimtrack.release.build import BuildResult

from .citation_consumers import STYLE_NAMES, citeproc_py, entry_with, pandoc

GETTY = "getty-origins-of-the-great-purges"
CLAIM = "cumings-north-korea-another-country/recent-famine-in-dprk"
RECORD_TABLES = (
    "claims",
    "documents",
    "agents",
    "historiography",
    "claim_relations",
    "topics",
    "propositions",
)


def _cite(
    capsys: pytest.CaptureFixture[str], release: Path, record_id: str, output_format: str
) -> str:
    assert main(["cite", record_id, "--release", str(release), "--format", output_format]) == 0
    return capsys.readouterr().out


def _version(release: Path) -> str:
    """The dataset version of a built release, from its manifest (not assumed)."""
    version = orjson.loads((release / "manifest.json").read_bytes())["version"]
    assert isinstance(version, str)
    return version


def _seed_ids(release: Release) -> dict[str, str]:
    """One record id per citable table (the first), the issue's claim and the Getty book."""
    ids = {table: release.ids(table)[0] for table in RECORD_TABLES}
    return {**ids, "claims": CLAIM, "sources": GETTY}


def test_every_kind_renders_with_its_persistent_id_in_every_style(
    seed_release: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """citeproc-py and pandoc (from the CSL-JSON and from the BibTeX) in APA, Chicago and
    Vancouver: a record's title says what it is, its persistent id and container are printed;
    the home is unknown, so no URL is."""
    root = seed_release.release_dir
    assert root is not None
    release = Release(root)
    ids = _seed_ids(release)
    items, bibtex = [], []
    for table, record_id in ids.items():
        persistent = f"claimtrack:{table}/{record_id}"
        items += orjson.loads(_cite(capsys, root, persistent, "csl-json"))
        bibtex.append(_cite(capsys, root, persistent, "bibtex"))
    library = bibtexparser.parse_string("\n".join(bibtex))
    assert len(library.entries) == len(ids) and not library.failed_blocks
    (tmp_path / "items.json").write_bytes(orjson.dumps(items))
    (tmp_path / "items.bib").write_text("\n".join(bibtex))
    document_title = release.row("documents", CLAIM.split("/")[0])
    assert document_title is not None
    statement = release.row("claims", CLAIM)
    assert statement is not None
    for style in STYLE_NAMES:
        renders = {
            "citeproc-py": citeproc_py(items, style),
            "pandoc CSL-JSON": pandoc(tmp_path / "items.json", style),
            "pandoc BibTeX": pandoc(tmp_path / "items.bib", style),
        }
        for consumer, entries in renders.items():
            assert len(entries) == len(ids), (consumer, style, entries)
            for table, record_id in ids.items():
                if table == "sources":
                    continue
                entry = entry_with(entries, f"claimtrack:{table}/{record_id}")
                assert f"claimtrack, version {_version(root)}" in entry, (consumer, style, entry)
                assert "http" not in entry, (consumer, style, entry)
            claim = entry_with(entries, f"claimtrack:claims/{CLAIM}")
            # Chicago prints a repeated author as a 3-em dash
            assert claim.startswith(("The claimtrack contributors", "———")), (style, claim)
            assert f"Claim claimtrack:claims/{CLAIM} in" in claim
            # the document's title keeps its capitals (BibTeX braces, CSL as written)
            assert document_title["title"] in claim.replace("‘", "“").replace("’", "”")
            assert statement["statement"] not in claim
            getty = entry_with(entries, "Origins of the Great Purges")
            assert "Getty" in getty and "1985" in getty and "Soviet Communist Party" in getty
            assert "claimtrack contributors" not in getty and "2026" not in getty


def test_ris_parses_back(
    seed_release: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """RIS read back by rispy: one entry per record, the id and the record named in the title,
    the source cited as itself."""
    root = seed_release.release_dir
    assert root is not None
    ids = _seed_ids(Release(root))
    ris = "".join(
        _cite(capsys, root, f"claimtrack:{table}/{record_id}", "ris")
        for table, record_id in ids.items()
    )
    entries = rispy.loads(ris)
    assert [entry["id"] for entry in entries] == [f"claimtrack:{t}/{i}" for t, i in ids.items()]
    getty = next(entry for entry in entries if entry["id"].endswith(GETTY))
    assert (getty["type_of_reference"], getty["authors"], getty["year"]) == (
        "BOOK",
        ["Getty, J. Arch"],
        "1985",
    )
    for entry in entries:
        if entry is not getty:
            assert entry["type_of_reference"] == "DATA" and entry["edition"] == _version(root)
            assert entry["id"] in entry["title"]  # the title names the record


def test_a_source_is_cited_as_itself(
    seed_release: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    root = seed_release.release_dir
    assert root is not None
    library = bibtexparser.parse_string(_cite(capsys, root, GETTY, "bibtex"))
    (entry,) = library.entries
    fields = {name: field.value for name, field in entry.fields_dict.items()}
    assert entry.entry_type == "book"
    assert fields["author"] == "Getty, J. Arch"
    assert (fields["year"], fields["publisher"]) == ("1985", "Cambridge University Press")
    assert fields["title"].startswith("{The} {Origins} of the {Great} {Purges}:")
    assert f"claimtrack:sources/{GETTY}" in fields["note"]
    (item,) = orjson.loads(_cite(capsys, root, GETTY, "csl-json"))
    assert item["author"] == [{"family": "Getty", "given": "J. Arch"}]
    assert item["issued"] == {"date-parts": [[1985]]}
    text = _cite(capsys, root, GETTY, "text")
    assert "APA: Getty, J. A. (1985). The Origins of the Great Purges" in text
    assert f"Found in claimtrack, version {_version(root)}, as claimtrack:sources/{GETTY}." in text


def test_bibtex_protects_capitals_and_names(
    seed_release: BuildResult, fixture_release: BuildResult, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The issue's examples: pandoc printed "pierre broué" and "the DPRK and cuba"."""
    assert seed_release.release_dir is not None and fixture_release.release_dir is not None
    release_bib = _cite(capsys, seed_release.release_dir, "release", "bibtex")
    agent_bib = _cite(capsys, fixture_release.release_dir, "pierre-broue", "bibtex")
    assert "{DPRK} and {Cuba}" in release_bib and "{Pierre} {Broué}" in agent_bib
    (tmp_path / "two.bib").write_text(release_bib + "\n" + agent_bib)
    for style in STYLE_NAMES:
        for entries in (pandoc(tmp_path / "two.bib", style),):
            release_entry = entry_with(entries, "the DPRK and Cuba")
            assert f"(version {_version(seed_release.release_dir)})" in release_entry.lower(), (
                style,
                release_entry,
            )
            assert ": Pierre Broué" in entry_with(entries, "claimtrack:agents/pierre-broue")


def test_with_a_home_every_record_has_its_url_in_every_style(
    homed_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = "https://example.org/claimtrack"
    expected = {
        "short-note/bloc-formed-1932": f"{site}/claims/short-note/bloc-formed-1932.html",
        "second-piece": f"{site}/documents/second-piece.html",
        "pierre-broue": f"{site}/agents/pierre-broue.html",
        "broue-on-bloc": f"{site}/historiography/broue-on-bloc.html",
    }
    items = []
    for record_id, url in expected.items():
        (item,) = orjson.loads(_cite(capsys, homed_release, record_id, "csl-json"))
        assert item["URL"] == url
        items.append(item)
        assert f"URL: {url}" in _cite(capsys, homed_release, record_id, "text")
    (tmp_path / "homed.json").write_bytes(orjson.dumps(items))
    for style in STYLE_NAMES:
        for entries in (
            citeproc_py(items, style),
            pandoc(tmp_path / "homed.json", style),
        ):
            for url in expected.values():
                entry_with(entries, url)
    release_text = _cite(capsys, homed_release, "release", "text")
    assert f"URL: {site}/" in release_text
    assert "datasets.load_dataset('example-org/claimtrack', 'claims')" in release_text


def test_record_urls_follow_the_home() -> None:
    base = {
        "version": "1.0.0",
        "date_released": "2026-01-01",
        "pretty_name": "p",
        "title": "t",
        "description": "d",
        "license": "CC-BY-4.0",
        "authors": [{"name": "n"}],
    }
    nothing = ReleaseInfo.model_validate(base)
    hub = ReleaseInfo.model_validate({**base, "hub_repository": "example-org/claimtrack"})
    site = ReleaseInfo.model_validate({**base, "site_url": "https://example.org/c/"})
    assert record_url(nothing, "claims", "a/b") is None
    assert record_url(site, "claims", "a/b") == "https://example.org/c/claims/a/b.html"
    assert record_url(site, "claim_relations", "rel-1") is None  # the site has no such page
    assert record_url(hub, "claims", "a/b'c") == (
        "https://datasets-server.huggingface.co/filter?dataset=example-org%2Fclaimtrack"
        "&config=claims&split=train&where=%22id%22%3D%27a%2Fb%27%27c%27"
    )


def test_cite_from_a_release_copy_outside_any_checkout(
    seed_release: BuildResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every table's ids cite from a copied release with no git and no data/ around; the
    default release is the newest under dist/."""
    assert seed_release.release_dir is not None
    copy = tmp_path / "dist" / seed_release.release_dir.name
    shutil.copytree(seed_release.release_dir, copy)
    monkeypatch.chdir(tmp_path)
    release = Release(copy)
    for table in (*RECORD_TABLES, "sources"):
        for record_id in release.ids(table)[:3]:
            for output_format in ("text", "bibtex", "csl-json"):
                assert (
                    main(["cite", f"claimtrack:{table}/{record_id}", "--format", output_format])
                    == 0
                )
            assert capsys.readouterr().err == ""
    proposition = release.ids("propositions")[0]
    assert main(["cite", proposition]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"Claim claimtrack:claims/{proposition} in")
    assert f"cite claimtrack:propositions/{proposition} for that record" in captured.err
    assert main(["cite", "release"]) == 0
    assert UNKNOWN_HOME in capsys.readouterr().out


def test_cite_without_a_release_or_data_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["cite", "x"]) == 2
    assert "give --release PATH" in capsys.readouterr().err
    assert main(["cite", "x", "--release", str(tmp_path)]) == 2
    assert "not a release folder" in capsys.readouterr().err


def test_cite_from_data_and_unknown_and_tombstoned_ids(
    fixture_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(fixture_root / "data")
    assert main(["cite", "short-note/bloc-formed-1932", "--data", data]) == 0
    assert "Claim claimtrack:claims/short-note/bloc-formed-1932 in “A Short Note”" in (
        capsys.readouterr().out
    )
    assert main(["cite", "short-note/bloc-formed-1923", "--data", data]) == 1
    assert "closest ids: short-note/bloc-formed-1932" in capsys.readouterr().err
    assert main(["cite", "short-note/bloc-founded", "--data", data]) == 1
    err = capsys.readouterr().err
    assert "removed in release 1.2.0" in err and "cite short-note/bloc-formed-1932 instead" in err
    monkeypatch.chdir(fixture_root)  # no dist/ here: the default is data/
    assert main(["cite", "pierre-broue"]) == 0
    assert capsys.readouterr().out.startswith("Agent claimtrack:agents/pierre-broue: Pierre Broué")


def test_a_tombstoned_id_names_its_replacement_from_a_release(
    fixture_release: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fixture_release.release_dir is not None
    release = str(fixture_release.release_dir)
    assert main(["cite", "short-note/bloc-founded", "--release", release]) == 1
    err = capsys.readouterr().err
    assert "removed in release 1.2.0" in err and "cite short-note/bloc-formed-1932 instead" in err
    assert (
        main(["cite", "claimtrack:tombstones/short-note/bloc-founded", "--release", release]) == 1
    )
    assert "no table 'tombstones'" in capsys.readouterr().err
