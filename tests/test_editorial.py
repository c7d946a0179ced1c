"""Research status, evidence hosts and loaded terms: derived statuses and the warnings' edges."""

from __future__ import annotations

from pathlib import Path

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.loading import load_corpus
from claimtrack.models.editorial import EvaluativeTerm
from claimtrack.release.build import build
from claimtrack.validation import run_checks
from claimtrack.validation.checks.editorial import (
    TermPatterns,
    outside_quotes,
    term_pattern,
    unquoted_terms,
)
from claimtrack.yamlio import load_yaml, to_plain

from .conftest import REPO


def _patterns(*terms: str) -> TermPatterns:
    return TermPatterns.of(EvaluativeTerm(term=term, why="test") for term in terms)


def test_quoted_terms_are_the_texts_words() -> None:
    patterns = _patterns("lie*", "cover-up")
    assert unquoted_terms("Furr calls them 'Trotsky's lies'.", patterns) == []
    assert unquoted_terms('Furr calls them "Trotsky\'s lies".', patterns) == []
    assert unquoted_terms("Furr calls them “Trotsky’s lies”.", patterns) == []
    assert unquoted_terms("Rogovin joined the ‘cover-up’.", patterns) == []
    # an apostrophe is no quotation mark: the term after it is in the dataset's voice
    assert unquoted_terms("Trotsky's lies fooled many.", patterns) == ["lies"]
    assert unquoted_terms("Rogovin joined the cover-up of it.", patterns) == ["cover-up"]
    # whole words only: 'lie' does not match inside 'believe' or 'earlier'
    assert unquoted_terms("He believed it earlier.", patterns) == []
    assert unquoted_terms("He LIED.", patterns) == ["LIED"]


def test_no_terms_listed_finds_none() -> None:
    assert unquoted_terms("Trotsky's lies fooled many.", _patterns()) == []


SEED_TERMS = [
    EvaluativeTerm.model_validate(to_plain(record))
    for record in load_yaml((REPO / "data" / "evaluative_terms.yaml").read_text(encoding="utf-8"))
]
# pieces of the terms, their neighbours in words, quotation marks, and characters whose case
# folding is not one to one (long s, Kelvin sign, dotted and dotless i, sharp s)
PIECES = st.sampled_from(
    [term.term.removesuffix("*") for term in SEED_TERMS]
    + ["LIE", "Lie", "s", "d", "-", " ", "'", '"', "“", "”", "‘", "’", ".", "be", "un", "_", "7"]
    + ["ſ", "K", "İ", "ı", "ß", "ﬁ", "É"]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(PIECES, max_size=12).map("".join),
    st.lists(st.integers(0, len(SEED_TERMS) - 1), max_size=8),
)
def test_one_search_first_finds_what_a_search_a_term_finds(
    statement: str, picks: list[int]
) -> None:
    """The prefilter changes the work, never the result: against a search for every term of
    the seed's list (and of random sublists, in their order)."""
    for terms in (SEED_TERMS, [SEED_TERMS[pick] for pick in picks]):
        bare = outside_quotes(statement)
        expected = [match.group() for term in terms if (match := term_pattern(term).search(bare))]
        assert unquoted_terms(statement, TermPatterns.of(terms)) == expected


def _with_research(fixture_root: Path, records: str) -> Path:
    (fixture_root / "data" / "research.yaml").write_text(records, encoding="utf-8")
    return fixture_root / "data"


def test_research_status_is_derived_from_links_and_records(fixture_root: Path) -> None:
    data = _with_research(
        fixture_root,
        '- claim_id: second-piece/visits-daily\n  status: searched\n  checked: "2026-12-04"\n'
        '  note: "Searched two catalogues."\n  contributor: test\n',
    )
    corpus = load_corpus(data)
    research = {located.record.id: located.record.research for located in corpus.claims}
    linked = research["short-note/bloc-formed-1932"]
    assert (linked.status.value, linked.links, linked.note) == ("linked", 1, None)
    searched = research["second-piece/visits-daily"]
    assert (searched.status.value, searched.links, searched.note, searched.checked) == (
        "searched",
        0,
        "Searched two catalogues.",
        "2026-12-04",
    )
    pending = research["short-note/historians-agree-bloc-existed"]
    assert (pending.status.value, pending.links) == ("pending", 0)
    assert [issue.code for issue in run_checks(corpus)] == []


def test_released_claims_carry_their_research_status(fixture_root: Path, tmp_path: Path) -> None:
    data = _with_research(
        fixture_root,
        '- claim_id: second-piece/visits-daily\n  status: not_check_worthy\n  checked: "2026-12-04"\n'
        '  note: "A figure the text gives no basis for."\n  contributor: test\n',
    )
    result = build(data, tmp_path / "dist")
    assert result.status == "written", [issue.as_text() for issue in result.issues]
    assert result.release_dir is not None
    lines = (result.release_dir / "jsonl" / "claims.jsonl").read_bytes().splitlines()
    statuses = {row["id"]: row["research"]["status"] for row in map(orjson.loads, lines)}
    assert statuses == {
        "second-piece/visits-daily": "not_check_worthy",
        "short-note/bloc-formed-1932": "linked",
        "short-note/historians-agree-bloc-existed": "pending",
    }


def test_research_record_for_an_unknown_claim_is_a_dangling_reference(fixture_root: Path) -> None:
    data = _with_research(
        fixture_root,
        '- claim_id: short-note/no-such-claim\n  status: searched\n  checked: "2026-12-04"\n'
        '  note: "Searched."\n  contributor: test\n',
    )
    codes = [(issue.code, issue.line) for issue in run_checks(load_corpus(data))]
    assert codes == [("UNKNOWN_REFERENCE", 1)]


def test_evidence_hosts_cover_subdomains(fixture_root: Path) -> None:
    hosts = fixture_root / "data" / "evidence_hosts.yaml"
    hosts.write_text(
        '- host: researcher.life\n  kind: aggregator\n  reason: "Use the DOI."\n', encoding="utf-8"
    )
    links = fixture_root / "data" / "historiography.yaml"
    text = links.read_text(encoding="utf-8").replace(
        "verification: {level: unverified}",
        'verification: {level: bibliographic, checked: "2026-12-04", '
        'evidence_url: "https://discovery.researcher.life/article/x"}',
    )
    links.write_text(text, encoding="utf-8")
    issues = run_checks(load_corpus(fixture_root / "data"))
    assert [(issue.code, issue.record_id) for issue in issues] == [
        ("EVIDENCE_HOST", "broue-on-bloc")
    ]
    # a host that merely ends with the same letters is another host
    links.write_text(text.replace("discovery.researcher.life", "notresearcher.life"), "utf-8")
    assert run_checks(load_corpus(fixture_root / "data")) == []


def test_the_registries_in_data_load() -> None:
    corpus = load_corpus(REPO / "data")
    assert corpus.records("evidence_hosts"), "data/evidence_hosts.yaml is read"
    assert corpus.records("evaluative_terms"), "data/evaluative_terms.yaml is read"
    assert not [issue for issue in corpus.issues if "evidence_hosts" in issue.file]


def test_the_card_reports_research_shares_per_document(fixture_root: Path) -> None:
    from claimtrack.release.contents import contents_of
    from claimtrack.release.summary import claim_tally, research_section

    data = _with_research(
        fixture_root,
        "- claim_id: short-note/historians-agree-bloc-existed\n  status: not_check_worthy\n"
        '  checked: "2026-12-04"\n  note: "Self-reference."\n  contributor: test\n',
    )
    with contents_of(load_corpus(data)) as contents:
        section = research_section(contents, claim_tally(contents))
    rows = {line.split(" | ")[0].strip("| "): line for line in section.splitlines()[2:]}
    # short-note: one linked claim, one not check-worthy; second-piece: one pending quantitative
    assert rows["short-note"] == "| short-note | 2 | 1 (50%) | 0 (0%) | 1 (50%) | 0 (0%) | 0 |"
    assert rows["second-piece"] == "| second-piece | 1 | 0 (0%) | 0 (0%) | 0 (0%) | 1 (100%) | 1 |"
    assert rows["**all**"] == "| **all** | 3 | 1 (33%) | 0 (0%) | 1 (33%) | 1 (33%) | 1 |"
