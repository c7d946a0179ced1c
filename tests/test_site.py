"""The claims explorer's generator: layout, links, determinism, manifest, splitting, the CLI."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from unittest.mock import patch

import orjson
import pytest

from claimtrack.cli import main
from claimtrack.executors import Processes
from claimtrack.home import SITE_TABLES
from claimtrack.release.build import BuildResult
from claimtrack.release.store import RowStore
from claimtrack.site.generate import PART_SIZES, Limits, generate_site, write_site
from claimtrack.site.release_data import TABLES, ReleaseData, load_release, release_data
from claimtrack.site.writer import SiteWriter, root_of

TWO_MB = 2 * 1024 * 1024
RECORD_TABLES = SITE_TABLES


def _rows(release: Path, table: str) -> list[dict[str, Any]]:
    return [
        orjson.loads(line)
        for line in (release / "jsonl" / f"{table}.jsonl").read_bytes().splitlines()
    ]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


@pytest.fixture(scope="module")
def release(seed_release: BuildResult) -> Path:
    assert seed_release.release_dir is not None
    return seed_release.release_dir


def test_one_page_per_record_at_the_fixed_urls(release: Path) -> None:
    site = release / "site"
    assert (site / "index.html").is_file()
    for table in RECORD_TABLES:
        for row in _rows(release, table):
            assert (site / table / f"{row['id']}.html").is_file(), (table, row["id"])


def test_every_page_declares_utf8_and_every_relative_link_resolves(release: Path) -> None:
    site = release / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 1000
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<meta charset="utf-8">' in html, page
        for target in re.findall(r'(?:href|src)="([^"#:]+)(?:#[^"]*)?"', html):
            assert (page.parent / target).resolve().is_file(), (page, target)


def test_site_is_in_the_manifest_with_checksums(release: Path) -> None:
    files = orjson.loads((release / "manifest.json").read_bytes())["files"]
    site_files = [path for path in (release / "site").rglob("*") if path.is_file()]
    for path in site_files:
        entry = files[str(path.relative_to(release))]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len([name for name in files if name.startswith("site/")]) == len(site_files)


def test_two_generations_are_byte_identical(release: Path, tmp_path: Path) -> None:
    first = generate_site(release, tmp_path / "one")
    second = generate_site(release, tmp_path / "two")

    assert _tree(first) == _tree(second)
    assert _tree(first) == _tree(release / "site")  # the build writes the same site


def test_no_page_over_2_mb_at_seed_size(release: Path) -> None:
    sizes = {path: path.stat().st_size for path in (release / "site").rglob("*") if path.is_file()}
    assert max(sizes.values()) < TWO_MB


def _synthetic(claims: int) -> dict[str, list[dict[str, Any]]]:
    """One document with ``claims`` claims by one agent citing one source, nothing else."""
    sentences = [f"Sentence number {index} says a thing.\n" for index in range(claims)]
    text = "".join(sentences)
    rows: list[dict[str, Any]] = []
    offset = 0
    for index, sentence in enumerate(sentences):
        exact = sentence.rstrip("\n")
        rows.append(
            {
                "id": f"big/claim-{index:06d}",
                "document_id": "big",
                "statement": f"Statement {index}.",
                "claim_type": "empirical",
                "span": {
                    "start": offset,
                    "end": offset + len(exact),
                    "exact": exact,
                    "prefix": None,
                    "suffix": None,
                },
                "attribution": {
                    "claimant_id": "everyone",
                    "mode": "asserts",
                    "document_stance": "endorses",
                    "via": [],
                },
                "modality": {"level": "unmarked", "cue": None},
                "topics": [],
                "entities": [],
                "time": None,
                "citations": [
                    {
                        "source_id": "everywhere",
                        "locator": None,
                        "marker": None,
                        "intent": "cites_as_evidence",
                        "fidelity": "unchecked",
                        "fidelity_note": None,
                        "fidelity_verification": None,
                    }
                ],
                "note": None,
            }
        )
        offset += len(sentence)
    document = {
        "id": "big",
        "title": "Big",
        "text": text,
        "author_ids": ["everyone"],
        "document_type": "essay",
        "published": None,
        "excerpt_of": None,
    }
    return {
        "documents": [document],
        "claims": rows,
        "agents": [
            {
                "id": "everyone",
                "name": "Everyone",
                "kind": "collective",
                "aliases": [],
                "wikidata": None,
            }
        ],
        "sources": [
            {
                "id": "everywhere",
                "type": "book",
                "title": "Everywhere",
                "author": [],
                "issued": "1990",
            }
        ],
        # the one source is also a scholarly work linked to every claim
        "historiography": [
            {
                "id": f"link-{index:06d}",
                "claim_id": claim["id"],
                "source_id": "everywhere",
                "relation": "supports",
                "summary": "It agrees.",
                "locator": None,
                "verification": {"level": "unverified", "evidence_url": None, "checked": None},
            }
            for index, claim in enumerate(rows)
        ],
    }


def test_large_corpus_pages_split_instead_of_growing(tmp_path: Path) -> None:
    limits = Limits(claims_per_document_page=50, rows_per_list_page=60, claims_per_data_chunk=70)
    count = write_site(release_data("9.9.9", _synthetic(300)), tmp_path, limits)
    written = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.*"))
    assert count == len(written)
    document_pages = [path for path in written if path.startswith("documents/big")]
    assert len(document_pages) == 6
    seen: list[str] = []
    for path in document_pages:
        slugs = re.findall(
            r'<mark class="claim[^"]*" data-claim="([^"]+)"', (tmp_path / path).read_text("utf-8")
        )
        assert 0 < len(set(slugs)) <= 50
        seen.extend(set(slugs))
    assert sorted(seen) == [f"claim-{index:06d}" for index in range(300)]
    for base in ("agents/everyone", "sources/everywhere", "works/everywhere"):
        pages = [path for path in written if path == f"{base}.html" or path.startswith(f"{base}/")]
        assert len(pages) == 5, base  # 300 rows, 60 a page
    chunks = [path for path in written if path.startswith("data/claims-")]
    assert len(chunks) == 5  # 300 claims, 70 a chunk
    # what one claim costs a file, times the default limits, stays under 2 MB at any corpus size
    defaults = Limits()
    per_claim_text = max((tmp_path / path).stat().st_size for path in document_pages) / 50
    per_claim_chunk = max((tmp_path / path).stat().st_size for path in chunks) / 70
    assert per_claim_text * defaults.claims_per_document_page < TWO_MB
    assert per_claim_chunk * defaults.claims_per_data_chunk < TWO_MB


def test_site_command_writes_and_reports_bad_input(
    release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["site", str(release), "--out", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert main(["site", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err
    broken = tmp_path / "broken"
    (broken / "jsonl").mkdir(parents=True)
    (broken / "manifest.json").write_text('{"version": "1.0.0"}', encoding="utf-8")
    (broken / "jsonl" / "documents.jsonl").write_text('{"id": "a"}\n{oops\n', encoding="utf-8")
    assert main(["site", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "documents.jsonl:2: not JSON" in err and "Traceback" not in err
    assert not (broken / "site").exists()
    (broken / "jsonl" / "documents.jsonl").write_text('{"id": "a"}\n{"id": "a"}\n', "utf-8")
    for table in TABLES[1:]:
        (broken / "jsonl" / f"{table}.jsonl").write_text("", "utf-8")
    assert main(["site", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "1 record(s) repeat an id of their table" in err and "Traceback" not in err
    assert not (broken / "site").exists()


def test_site_command_with_worker_processes_writes_the_builds_bytes(
    release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`claimtrack site --jobs 2` forks two writers (the seed's 15 documents would get one by
    default): the same files as the build's site/; a count of processes under 1 is refused."""
    out = tmp_path / "site"
    with patch("claimtrack.site.generate.Processes", wraps=Processes) as processes:
        assert main(["site", str(release), "--out", str(out), "--jobs", "2", "--no-progress"]) == 0
    processes.assert_called_once_with(2)

    assert _tree(out) == _tree(release / "site")
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["site", str(release), "--out", str(tmp_path / "other"), "--jobs", "0"])
    assert exited.value.code == 2
    assert "0: not a number of processes (1 or more)" in capsys.readouterr().err
    assert not (tmp_path / "other").exists()


def test_serve_without_a_site_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["serve"]) == 2
    assert "no release folder; run `claimtrack build`" in capsys.readouterr().err
    (tmp_path / "rel").mkdir()
    assert main(["serve", str(tmp_path / "rel")]) == 2
    assert "has no site/" in capsys.readouterr().err


def test_research_status_and_citation_basis_are_shown_when_present(tmp_path: Path) -> None:
    rows = _synthetic(3)
    first = rows["claims"][0]
    first["research"] = {
        "status": "searched",
        "checked": "2026-11-30",
        "note": "Searched two monographs.",
        "contributor": "a reviewer",
    }
    first["citations"][0]["basis"] = "footnote_marker"
    write_site(release_data("9.9.9", rows), tmp_path)
    page = (tmp_path / "claims" / "big" / "claim-000000.html").read_text("utf-8")
    assert "research: searched" in page and "Searched two monographs." in page
    assert "basis: footnote_marker" in page
    other = (tmp_path / "claims" / "big" / "claim-000001.html").read_text("utf-8")
    assert "research: pending" in other and "basis:" not in other
    chunk = (tmp_path / "data" / "claims-00000.js").read_text("utf-8")
    records = orjson.loads(chunk[chunk.index("(", chunk.index("push")) + 1 : chunk.rindex(")")])
    assert [record["r"] for record in records] == ["searched", "pending", "pending"]


def test_pages_written_by_worker_processes_are_the_same_bytes(
    seed_release: BuildResult, tmp_path: Path
) -> None:
    """The pages of documents, claims and links are written by forked processes (the seed's
    15 documents and 798 links, in parts of 8 documents and 100 links), each reading the
    store on disk through its own connection: the same files and bytes as in one process."""
    assert seed_release.release_dir is not None
    sites = {}
    for jobs in (1, 2):
        with RowStore(tmp_path / f"rows-{jobs}.sqlite") as store:
            data = load_release(seed_release.release_dir, store)
            sites[jobs] = tmp_path / f"site-{jobs}"
            with patch.dict(PART_SIZES, {"historiography": 100}):
                count = write_site(data, sites[jobs], jobs=jobs)
        assert count == sum(1 for path in sites[jobs].rglob("*") if path.is_file())
    names = sorted(path.relative_to(sites[1]) for path in sites[1].rglob("*") if path.is_file())
    assert names == sorted(
        path.relative_to(sites[2]) for path in sites[2].rglob("*") if path.is_file()
    )
    assert len([name for name in names if name.parts[0] == "historiography"]) == 798
    for name in names:
        assert (sites[1] / name).read_bytes() == (sites[2] / name).read_bytes(), name
    # and the same as the build's own site
    assert all(
        (sites[2] / name).read_bytes() == (seed_release.release_dir / "site" / name).read_bytes()
        for name in names
    )


def test_pages_looked_up_through_a_cache_of_two_rows_are_the_same_bytes(
    seed_release: BuildResult, tmp_path: Path
) -> None:
    """The registries and documents are looked up through a cache of the last rows read
    (ReleaseData), never held whole: with room for two rows, every page reads its agents,
    sources, topics and documents again, and the site is the build's, byte for byte."""
    assert seed_release.release_dir is not None
    built = seed_release.release_dir / "site"
    with (
        RowStore(tmp_path / "rows.sqlite") as store,
        patch("claimtrack.site.release_data.CACHED_ROWS", 2),
    ):
        data = load_release(seed_release.release_dir, store)
        with patch.object(store, "row", wraps=store.row) as row:
            write_site(data, tmp_path / "site")
        assert row.call_count > 5000
    names = sorted(path.relative_to(built) for path in built.rglob("*") if path.is_file())
    assert names == sorted(
        path.relative_to(tmp_path / "site")
        for path in (tmp_path / "site").rglob("*")
        if path.is_file()
    )
    for name in names:
        assert (tmp_path / "site" / name).read_bytes() == (built / name).read_bytes(), name


def test_a_worker_reads_through_its_own_connection_without_reading_the_registries_again(
    tmp_path: Path,
) -> None:
    """Each part a worker writes reads through a new connection, looking rows up as its
    pages need them: no table is read whole (at a million claims, reading the registries
    for each of some 2,600 parts took half of the workers' time)."""
    with RowStore(tmp_path / "rows.sqlite") as store:
        for table, rows in _synthetic(3).items():
            for row in rows:
                store.add(table, row)
        store.finish(derive=False)
        data = ReleaseData("9.9.9", store)
        other = store.reopen()
        try:
            with patch.object(RowStore, "rows", side_effect=AssertionError("read again")):
                view = data.through(other)
                assert view.store is other and data.store is store
                # the process's cache reads through the worker's connection, once a row
                with patch.object(other, "row", wraps=other.row) as read:
                    assert (view.row("sources", "everywhere") or {})["title"] == "Everywhere"
                    assert view.row("sources", "everywhere") is view.row("sources", "everywhere")
                    assert read.call_count == 1
                assert view.row("agents", "everyone") == data.row("agents", "everyone")
                assert [document["id"] for document in view.authored("everyone")] == ["big"]
                # the rows a page needs come through the new connection
                assert [claim["id"] for claim in view.claims_of("big")] == [
                    f"big/claim-{index:06d}" for index in range(3)
                ]
        finally:
            other.close()


def test_a_fragment_rendered_once_shows_as_if_rendered_on_each_page(tmp_path: Path) -> None:
    # text that looks like the root's stand-in, or holds its NUL, stays as written
    ref = {"id": "doc/claim-1", "statement": "<\x00> a \x00 ../ & <b>"}
    writer = SiteWriter(tmp_path)
    macros = writer.env.get_template("macros.html").module
    fragment = writer.fragment("macros.html", "claim_link", ref)
    for path in ("documents/doc.html", "documents/doc/2.html", "claims/doc/claim-1.html"):
        assert fragment.at(path) == macros.claim_link(root_of(path), ref)
    assert fragment.at("documents/doc.html") == (
        '<a href="../claims/doc/claim-1.html">&lt;\x00&gt; a \x00 ../ &amp; &lt;b&gt;</a>'
    )


def test_a_documents_claims_and_what_they_name_are_read_together(
    seed_release: BuildResult, tmp_path: Path
) -> None:
    """``ReleaseData.near``: within it, each claim's links, relations and proposition and
    the rows of the claims they name are those read one at a time, without reading the
    store again; outside it (and after a nested one) lookups read the store as before."""
    assert seed_release.release_dir is not None
    with RowStore(tmp_path / "rows.sqlite") as store:
        data = load_release(seed_release.release_dir, store)
        documents = [document["id"] for document in data.documents()]
        claims = max((data.claims_of(document) for document in documents), key=len)
        ids = [claim["id"] for claim in claims]

        def lookups() -> list[Any]:
            looked = []
            for claim_id in ids:
                relations, proposition = data.relations_of(claim_id), data.proposition_of(claim_id)
                named = [end for r in relations for end in (r["from_claim_id"], r["to_claim_id"])]
                named += proposition["claim_ids"] if proposition else []
                rows = [data.row("claims", other) for other in named]
                looked.append((data.links_of(claim_id), relations, proposition, rows))
            return looked

        alone = lookups()
        assert any(links for links, *_ in alone) and any(relations for _, relations, *_ in alone)
        assert sum(len(rows) for *_, rows in alone) > len(ids)
        with (
            patch.object(store, "related", side_effect=AssertionError("read again")),
            patch.object(store, "row", side_effect=AssertionError("read again")),
            data.near(claims),
        ):
            with data.near([], named=[]):  # a nested one leaves the outer one's rows
                pass
            assert lookups() == alone
        with patch.object(store, "related", wraps=store.related) as related:
            assert lookups() == alone and related.call_count == 3 * len(ids)
