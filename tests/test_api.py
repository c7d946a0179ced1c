"""claimtrack.open(): the README's worked research questions run verbatim and checked against the
JSONL read by hand; typed records, claim context, frames; what `import claimtrack` loads."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import pyarrow.dataset as pads
import pytest

import claimtrack
from claimtrack.models import Claim, Source
from claimtrack.release.build import BuildResult

from .conftest import REPO, modules_imported


def _jsonl(root: Path, table: str) -> list[dict[str, Any]]:
    return [
        orjson.loads(line) for line in (root / "jsonl" / f"{table}.jsonl").read_bytes().splitlines()
    ]


def _readme_api_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API") :]
    section = section[: section.index("\n## ", 1)]
    return re.findall(r"```python\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def readme_results(
    seed_release: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The README's API blocks, executed in order as written, from a folder whose
    dist/claimtrack-<version> is the seed release built by the tests."""
    assert seed_release.release_dir is not None
    here = tmp_path_factory.mktemp("readme")
    (here / "dist").mkdir()
    (here / "dist" / seed_release.release_dir.name).symlink_to(seed_release.release_dir)
    namespace: dict[str, Any] = {}
    blocks = _readme_api_blocks()
    assert len(blocks) == 4
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(here)
        for block in blocks:
            exec(compile(block, "README.md", "exec"), namespace)
    namespace["root"] = seed_release.release_dir
    return namespace


def test_all_claims_through_a_person(readme_results: dict[str, Any]) -> None:
    claims = _jsonl(readme_results["root"], "claims")
    expected = sorted(
        claim["id"]
        for claim in claims
        if claim["attribution"]["claimant_id"] == "pierre-broue"
        or "pierre-broue" in [hop["agent_id"] for hop in claim["attribution"]["via"]]
    )
    frame = readme_results["through_broue"]
    assert isinstance(frame, pd.DataFrame)
    assert frame["claim_id"].tolist() == expected and len(expected) >= 2
    by_id = {claim["id"]: claim for claim in claims}
    for row in frame.itertuples():
        via = [hop["agent_id"] for hop in by_id[row.claim_id]["attribution"]["via"]]
        assert len(row.via_names) == len(via)
        assert "Pierre Broué" in [row.claimant_name, *row.via_names]


def test_claims_the_scholarship_contradicts(readme_results: dict[str, Any]) -> None:
    root = readme_results["root"]
    document_of = {claim["id"]: claim["document_id"] for claim in _jsonl(root, "claims")}
    titles = {document["id"]: document["title"] for document in _jsonl(root, "documents")}
    works = {source["id"]: source["title"] for source in _jsonl(root, "sources")}
    claims, cited = defaultdict(set), defaultdict(set)
    for link in _jsonl(root, "historiography"):
        if link["relation"] == "contradicts":
            title = titles[document_of[link["claim_id"]]]
            claims[title].add(link["claim_id"])
            cited[title].add(works[link["source_id"]])
    expected = sorted(
        ((title, len(ids), sorted(cited[title])) for title, ids in claims.items()),
        key=lambda row: (-row[1], row[0]),
    )
    assert [tuple(row) for row in readme_results["contradicted"]] == [
        tuple(row) for row in expected
    ]
    assert expected


def test_one_proposition_across_documents(readme_results: dict[str, Any]) -> None:
    root = readme_results["root"]
    claims = {claim["id"]: claim for claim in _jsonl(root, "claims")}
    spread = {
        proposition["id"]: len(
            {claims[claim_id]["document_id"] for claim_id in proposition["claim_ids"]}
        )
        for proposition in _jsonl(root, "propositions")
    }
    expected = sorted(
        ((pid, count) for pid, count in spread.items() if count > 1),
        key=lambda row: (-row[1], row[0]),
    )
    assert [tuple(row) for row in readme_results["clusters"]] == expected
    proposition = next(
        p for p in _jsonl(root, "propositions") if p["id"] == readme_results["proposition_id"]
    )
    statements = sorted(
        (claims[claim_id]["document_id"], claim_id, claims[claim_id]["statement"])
        for claim_id in proposition["claim_ids"]
    )
    assert [row[3] for row in readme_results["side_by_side"]] == [row[2] for row in statements]
    relations = [
        relation
        for relation in _jsonl(root, "claim_relations")
        if proposition["id"] in (relation["from_claim_id"], relation["to_claim_id"])
    ]
    assert sorted(readme_results["related"]) == sorted(
        (
            "outgoing" if relation["from_claim_id"] == proposition["id"] else "incoming",
            relation["relation"],
            relation["to_claim_id"]
            if relation["from_claim_id"] == proposition["id"]
            else relation["from_claim_id"],
        )
        for relation in relations
    )


def test_a_claim_with_its_context(seed_release: BuildResult) -> None:
    root = seed_release.release_dir
    assert root is not None
    release = claimtrack.open(root)
    links = _jsonl(root, "historiography")
    claim_id = Counter(link["claim_id"] for link in links).most_common(1)[0][0]
    context = release.claim(claim_id)
    row = next(claim for claim in _jsonl(root, "claims") if claim["id"] == claim_id)
    assert isinstance(context.claim, Claim) and context.claim.id == claim_id
    assert context.document.id == row["document_id"]
    assert context.claimant.id == row["attribution"]["claimant_id"]
    assert [agent.id for agent in context.via] == [
        hop["agent_id"] for hop in row["attribution"]["via"]
    ]
    assert [item.source.id for item in context.citations] == [
        c["source_id"] for c in row["citations"]
    ]
    assert sorted(item.link.id for item in context.scholarship) == sorted(
        link["id"] for link in links if link["claim_id"] == claim_id
    )
    assert all(item.work.id == item.link.source_id for item in context.scholarship)
    with pytest.raises(KeyError, match="no claims record"):
        release.claim("no-such/claim")


def test_tables_records_and_frames(seed_release: BuildResult) -> None:
    root = seed_release.release_dir
    assert root is not None
    release = claimtrack.open(root)
    assert isinstance(release, claimtrack.Release)
    getty = release.record("sources", "getty-origins-of-the-great-purges")
    assert isinstance(getty, Source) and getty.issued == "1985"
    one = release.table(
        "claims", columns=["id"], where=pads.field("document_id") == "clark-socialism-bureaucracy"
    )
    assert one.column_names == ["id"]
    assert one.num_rows == sum(
        1 for c in _jsonl(root, "claims") if c["document_id"] == "clark-socialism-bureaucracy"
    )
    for table, count in release.counts.items():
        assert release.table(table).num_rows == count
        assert len(release.to_pandas(table)) == count
        assert release.to_polars(table).height == count
    assert release.to_polars("tombstones").columns == release.table("tombstones").column_names


def test_open_builds_a_checkout_and_refuses_other_folders(
    fixture_root: Path, tmp_path: Path
) -> None:
    release = claimtrack.open(fixture_root / "data")
    assert release.version == "1.2.3"
    assert release.sql("SELECT count(*) FROM claims_context").fetchall() == [
        (release.counts["claims"],)
    ]
    with pytest.raises(claimtrack.ReleaseOpenError, match="not a release folder"):
        claimtrack.open(tmp_path)


def test_import_claimtrack_stays_light() -> None:
    heavy = ("pyarrow", "duckdb", "pandas", "datasets", "claimtrack.api.release")
    assert modules_imported("import claimtrack", heavy) == []


def test_the_readme_examples_type_check(tmp_path: Path) -> None:
    """The API is typed for its users (py.typed, `open` exported): mypy --strict accepts the
    README's examples and sees a Release, not Any."""
    from mypy import api

    script = tmp_path / "readme_api.py"
    script.write_text("\n".join(_readme_api_blocks()) + "reveal_type(release)\n")
    out, err, status = api.run(
        ["--strict", "--cache-dir", str(tmp_path / "cache"), "--no-error-summary", str(script)]
    )
    assert status == 0, out + err
    assert 'Revealed type is "claimtrack.api.release.Release"' in out
