"""benchmarks/synthetic.py: the scale benchmark's corpus is valid, shaped as it says, and
the same for the same seed."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from claimtrack.loading import load_corpus
from claimtrack.release.build import build
from claimtrack.release.manifest import release_files
from claimtrack.validation.streaming import validate_data

from .conftest import REPO

CLAIMS = 3000


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(_generator().write_corpus(tmp_path_factory.mktemp("synthetic"), CLAIMS))


def test_the_corpus_has_no_problem(corpus: Path) -> None:
    assert [issue.as_text() for issue in validate_data(corpus)] == []


def test_the_corpus_has_the_seed_shape(corpus: Path) -> None:
    shape = _generator().Shape()
    loaded = load_corpus(corpus)
    claims = [located.record for located in loaded.claims]
    assert len(claims) == CLAIMS
    per_document = Counter(claim.document_id for claim in claims)
    assert set(per_document.values()) <= {75, 76, 77}
    citations = sum(len(claim.citations) for claim in claims)
    hops = Counter(len(claim.attribution.via) for claim in claims)
    links = loaded.records("historiography")
    relations = [located.record for located in loaded.records("claim_relations")]
    document_of = {claim.id: claim.document_id for claim in claims}
    across = sum(document_of[r.from_claim_id] != document_of[r.to_claim_id] for r in relations)
    linked = {located.record.claim_id for located in links}
    researched = len(loaded.records("research"))

    def near(value: float, target: float, tolerance: float = 0.03) -> bool:
        return abs(value - target) <= tolerance

    assert near(citations / CLAIMS, shape.citing * (1 + shape.second_citation))
    assert near(hops[1] / CLAIMS, shape.one_hop) and near(hops[2] / CLAIMS, shape.two_hops, 0.01)
    assert near(sum(claim.time is not None for claim in claims) / CLAIMS, shape.dated)
    assert near(len(linked) / CLAIMS, shape.linked)
    assert near(len(links) / CLAIMS, shape.linked * (1 + shape.second_link))
    assert near(researched / (CLAIMS - len(linked)), shape.researched)
    assert near(len(relations) / CLAIMS, shape.relations, 0.02)
    assert near(across / len(relations), shape.across, 0.05)


def test_the_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    generator = _generator()
    first = generator.write_corpus(tmp_path / "a", 400, seed=3)
    second = generator.write_corpus(tmp_path / "b", 400, seed=3)
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file())
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files)


def test_its_json_copy_builds_the_same_release(corpus: Path, tmp_path: Path) -> None:
    """The scale benchmark's JSON input (benchmarks/scale.py: json_corpus) holds the same
    records: the same release, every file and the manifest."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location("scale", REPO / "benchmarks" / "scale.py")
        assert spec is not None and spec.loader is not None
        scale = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(scale)
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    json_data = scale.json_corpus(corpus, tmp_path / "json")
    assert not list((json_data / "documents").glob("*.yaml"))
    assert validate_data(json_data) == []
    yaml_release = build(corpus, tmp_path / "yaml-out").release_dir
    json_release = build(json_data, tmp_path / "json-out").release_dir
    assert yaml_release is not None and json_release is not None
    names = list(release_files(yaml_release))
    assert names == list(release_files(json_release))
    for name in [*names, "manifest.json"]:
        assert (yaml_release / name).read_bytes() == (json_release / name).read_bytes(), name


def test_the_cards_counts_per_document_are_the_claims(corpus: Path) -> None:
    """The card's per-document table (counted one document at a time) against counts made
    from the loaded claims: distinct sources cited, distinct agents of attributions and
    entities, research statuses."""
    from claimtrack.release.contents import contents_of
    from claimtrack.release.summary import claim_tally, per_document_counts

    loaded = load_corpus(corpus)
    claims: Counter[str] = Counter()
    citations: Counter[str] = Counter()
    sources: dict[str, set[str]] = {}
    agents: dict[str, set[str]] = {}
    for located in loaded.claims:
        claim = located.record
        claims[claim.document_id] += 1
        citations[claim.document_id] += len(claim.citations)
        sources.setdefault(claim.document_id, set()).update(c.source_id for c in claim.citations)
        named = agents.setdefault(claim.document_id, set())
        named.add(claim.attribution.claimant_id)
        named.update(hop.agent_id for hop in claim.attribution.via)
        named.update(entity.agent_id for entity in claim.entities)
    with contents_of(loaded) as contents:
        tally = claim_tally(contents)
        rows = per_document_counts(contents, tally)
    assert len(rows) == len(claims) > 30
    in_documents = Counter(agent for named in agents.values() for agent in named)
    assert max(in_documents.values()) > 1, "an agent named in two documents counts in both"
    for row in rows:
        document = str(row["document"])
        assert (row["claims"], row["citations"]) == (claims[document], citations[document])
        assert row["sources"] == len(sources.get(document, set()))
        assert row["agents"] == len(agents[document])
    statuses = Counter(
        status for document in tally.documents.values() for status in document.statuses.elements()
    )
    assert sum(statuses.values()) == CLAIMS and statuses["linked"] > 0


def test_a_tally_refuses_a_documents_claims_apart(corpus: Path) -> None:
    from claimtrack.release.contents import contents_of
    from claimtrack.release.summary import ClaimTally

    with contents_of(load_corpus(corpus)) as contents:
        rows = contents.store.rows("claims")
        first = next(rows)
        other = next(row for row in rows if row["document_id"] != first["document_id"])
    tally = ClaimTally()
    tally.add(first)
    tally.add(other)
    with pytest.raises(ValueError, match="do not come together"):
        tally.add(first)
