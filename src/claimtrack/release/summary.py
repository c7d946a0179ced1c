"""Counts and generated Markdown sections shared by the dataset card and DATA_CARD.md."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from claimtrack.issues import Issue
from claimtrack.loading import Corpus
from claimtrack.models import ID_PATTERNS, TABLE_MODELS, Claim
from claimtrack.textfiles import read_text
from claimtrack.vocab import ALL_VOCABULARIES

_BLOCK = re.compile(
    r"(<!-- generated:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /generated:(?P=name) -->)", re.S
)


def table_counts(corpus: Corpus) -> dict[str, int]:
    return {table: len(corpus.records(table)) for table in TABLE_MODELS}


def per_document_counts(corpus: Corpus) -> list[dict[str, object]]:
    claims_by_document: dict[str, list[Claim]] = {}
    for located_claim in corpus.claims:
        claim = located_claim.record
        claims_by_document.setdefault(claim.document_id, []).append(claim)
    rows = []
    for located in sorted(corpus.documents, key=lambda item: item.record.origin.start):
        document = located.record
        claims = claims_by_document.get(document.id, [])
        citations = [citation for claim in claims for citation in claim.citations]
        agents = {claim.attribution.claimant_id for claim in claims}
        agents |= {entity.agent_id for claim in claims for entity in claim.entities}
        agents |= {hop.agent_id for claim in claims for hop in claim.attribution.via}
        rows.append(
            {
                "document": document.id,
                "lines": f"{document.origin.first_line}-{document.origin.last_line}",
                "claims": len(claims),
                "citations": len(citations),
                "sources": len({citation.source_id for citation in citations}),
                "agents": len(agents),
            }
        )
    return rows


def _markdown_table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def counts_section(corpus: Corpus) -> str:
    counts = table_counts(corpus)
    text = _markdown_table(
        ["table", "records", "id pattern"],
        [
            [table, count, f"`{ID_PATTERNS.get(table, '(the removed id)')}`"]
            for table, count in counts.items()
        ],
    )
    documents = per_document_counts(corpus)
    columns = ["document", "lines", "claims", "citations", "sources", "agents"]
    text += "\nPer document (raw-file lines; citations of its claims; distinct sources cited; distinct agents named in attributions and entities):\n\n"
    text += _markdown_table(columns, [[row[column] for column in columns] for row in documents])
    claim_types = Counter(located.record.claim_type.value for located in corpus.claims)
    stances = Counter(located.record.attribution.document_stance.value for located in corpus.claims)
    text += (
        "\nClaims by type: "
        + (", ".join(f"{key} {value}" for key, value in sorted(claim_types.items())) or "none")
        + ".\n"
    )
    text += (
        "Claims by document stance: "
        + (", ".join(f"{key} {value}" for key, value in sorted(stances.items())) or "none")
        + ".\n"
    )
    return text


def _tally(values: list[str]) -> str:
    counts = Counter(values)
    return ", ".join(f"{key} {value}" for key, value in sorted(counts.items())) or "none"


def links_section(corpus: Corpus) -> str:
    """Historiography, claim relations and citation fidelity, as counts."""
    links = [located.record for located in corpus.records("historiography")]
    document_of = {located.record.id: located.record.document_id for located in corpus.claims}
    covered = {link.claim_id for link in links}
    relations = [located.record for located in corpus.records("claim_relations")]
    across = sum(
        1 for r in relations if document_of.get(r.from_claim_id) != document_of.get(r.to_claim_id)
    )
    clusters = corpus.propositions()
    citations = [c for located in corpus.claims for c in located.record.citations]
    fidelity = [citation.fidelity.value for citation in citations]
    bases = [citation.basis.value if citation.basis else "not recorded" for citation in citations]
    lines = [
        f"- Historiography links: {len(links)}, on {len(covered)} claims in "
        f"{len({document_of[claim_id] for claim_id in covered if claim_id in document_of})} documents.",
        f"- Links by verification level: {_tally([link.verification.level.value for link in links])}.",
        f"- Links by relation: {_tally([link.relation.value for link in links])}.",
        f"- Claim relations: {len(relations)} ({across} across documents); by type: "
        f"{_tally([relation.relation.value for relation in relations])}.",
        f"- Proposition clusters (two or more claims): {len(clusters)}, holding "
        f"{sum(len(cluster.claim_ids) for cluster in clusters)} claims.",
        f"- Citations by fidelity: {_tally(fidelity)}.",
        f"- Citations by basis (how the citation was made): {_tally(bases)}.",
    ]
    return "\n".join(lines) + "\n"


#: Claim types whose claims are expected to be compared with the scholarship when check-worthy.
CHECKABLE_TYPES = ("empirical", "quantitative", "causal", "historiographical")


def research_section(corpus: Corpus) -> str:
    """Research status per document: linked, searched, not check-worthy, pending (shares)."""
    statuses = ("linked", "searched", "not_check_worthy", "pending")
    by_document: dict[str, Counter[str]] = {}
    checkable_open: Counter[str] = Counter()
    for located in corpus.claims:
        claim = located.record
        status = claim.research.status.value
        by_document.setdefault(claim.document_id, Counter())[status] += 1
        if status == "pending" and claim.claim_type.value in CHECKABLE_TYPES:
            checkable_open[claim.document_id] += 1
    total: Counter[str] = Counter()
    rows = []
    for document in sorted(corpus.documents, key=lambda item: item.record.origin.start):
        counts = by_document.get(document.record.id, Counter())
        total.update(counts)
        size = sum(counts.values())
        rows.append(
            [document.record.id, size]
            + [f"{counts[status]} ({_share(counts[status], size)})" for status in statuses]
            + [checkable_open[document.record.id]]
        )
    size = sum(total.values())
    rows.append(
        ["**all**", size]
        + [f"{total[status]} ({_share(total[status], size)})" for status in statuses]
        + [sum(checkable_open.values())]
    )
    header = ["document", "claims", *statuses, f"pending of type {'/'.join(CHECKABLE_TYPES)}"]
    return _markdown_table(header, rows)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def vocabularies_section() -> str:
    parts = []
    for vocabulary in ALL_VOCABULARIES:
        parts.append(f"**{vocabulary.__name__}**\n\n")
        parts.append(
            "".join(
                f"- `{value}`: {meaning}\n" for value, meaning in vocabulary.definitions().items()
            )
        )
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"


def issue_codes_section() -> str:
    """The catalogue of problem codes, from ``claimtrack.issues.CATALOGUE``."""
    from claimtrack.issues import CATALOGUE

    rows = [
        [f"`{code}`", issue_type.level.value, issue_type.summary]
        for code, issue_type in CATALOGUE.items()
    ]
    return _markdown_table(["code", "level", "meaning and fix"], rows)


def bibliography_section(corpus: Corpus) -> str:
    """Every source, formatted by citeproc-py from its CSL-JSON (proof that the CSL is real)."""
    from claimtrack.csl import BIBLIOGRAPHY_STYLE, render_bibliography

    entries = render_bibliography(located.record for located in corpus.records("sources"))
    header = (
        f"{len(entries)} works, formatted by citeproc-py in the `{BIBLIOGRAPHY_STYLE}` style:\n\n"
    )
    return header + "".join(f"- {entry}\n" for entry in entries)


def citation_section(corpus: Corpus) -> str:
    """How to cite this release: the same facts as CITATION.cff, where it lives, as text and BibTeX."""
    from claimtrack.citation import cite
    from claimtrack.home import home_statement
    from claimtrack.lookup import CorpusLookup

    if corpus.release is None:
        return ""
    lookup = CorpusLookup(corpus)
    return (
        f"Version {corpus.release.version}, released {corpus.release.date_released} "
        "(the same facts as `CITATION.cff`). Where it lives: "
        + home_statement(corpus.release)
        + " `claimtrack cite ID` cites any claim, document, source, agent, historiography link, "
        "claim relation, topic or proposition by its persistent id `claimtrack:<table>/<id>`.\n\n"
        "```\n"
        + cite(lookup, "release", "text")
        + "```\n\n```bibtex\n"
        + cite(lookup, "release", "bibtex")
        + "```\n"
    )


def corpus_section(corpus: Corpus) -> str:
    """How many documents the corpus holds and which raw files they come from, in words
    that stay true as documents are added."""
    per_raw = Counter(located.record.origin.raw_file for located in corpus.documents)
    documents = len(corpus.documents)
    lines = [
        f"The corpus holds {documents} document{'s' if documents != 1 else ''} from "
        f"{len(corpus.raw_files)} raw file{'s' if len(corpus.raw_files) != 1 else ''}, each "
        "pinned by sha256 in `data/raw/manifest.yaml`:",
        "",
    ]
    for name in sorted(corpus.raw_files):
        count = per_raw.get(name, 0)
        lines.append(f"- `data/raw/{name}`: {count} document{'s' if count != 1 else ''}")
    return "\n".join(lines) + "\n"


def citation_examples_section(corpus: Corpus) -> str:
    from claimtrack.release.citation_examples import citation_examples_section as examples

    return examples(corpus)


#: Each generated section by its marker name.
SECTIONS: dict[str, Callable[[Corpus], str]] = {
    "corpus": corpus_section,
    "counts": counts_section,
    "links": links_section,
    "research": research_section,
    "vocabularies": lambda _: vocabularies_section(),
    "issue-codes": lambda _: issue_codes_section(),
    "bibliography": bibliography_section,
    "citation": citation_section,
    "citation-examples": citation_examples_section,
}


def generated_sections(corpus: Corpus) -> dict[str, str]:
    return {name: render(corpus) for name, render in SECTIONS.items()}


def read_card(path: Path) -> tuple[str | None, list[Issue]]:
    """A Markdown file with generated sections, and its problems: not UTF-8, or a marker
    that ``fill`` would skip (CARD_SECTION). The text is None if it cannot be decoded."""
    issues: list[Issue] = []
    text = read_text(path, str(path), issues)
    if text is None:
        return None, issues
    problems = section_problems(text, list(SECTIONS))
    return text, [
        Issue(str(path), line, None, "CARD_SECTION", message) for line, message in problems
    ]


_MARKER = re.compile(r"<!-- (?P<close>/?)generated:(?P<name>[^ ]*) -->")


def section_problems(template: str, names: Collection[str]) -> list[tuple[int, str]]:
    """(line, problem) for each generated-section marker that ``fill`` would skip: an
    unknown name, an opening marker with text after it, a block never closed, a closing
    marker with no block open."""
    problems: list[tuple[int, str]] = []
    open_block: tuple[int, str] | None = None
    for number, line in enumerate(template.splitlines(), start=1):
        for marker in _MARKER.finditer(line):
            name, closing = marker.group("name"), bool(marker.group("close"))
            if not closing and name not in names:
                problems.append(
                    (number, f"unknown generated section {name!r}; known: {', '.join(names)}")
                )
            if not closing and line[marker.end() :].strip():
                problems.append((number, "an opening marker stands alone at the end of its line"))
            if closing and (open_block is None or open_block[1] != name):
                problems.append((number, f"<!-- /generated:{name} --> closes no open section"))
            elif closing:
                open_block = None
            elif open_block is not None:
                problems.append((open_block[0], f"section {open_block[1]!r} is not closed"))
                open_block = (number, name)
            else:
                open_block = (number, name)
    if open_block is not None:
        problems.append((open_block[0], f"section {open_block[1]!r} is not closed"))
    return problems


def fill(template: str, sections: dict[str, str]) -> str:
    """Replace the body of every ``<!-- generated:NAME -->`` block with its section."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        body = sections.get(name, match.group("body"))
        return f"{match.group(1)}{body}{match.group(4)}"

    return _BLOCK.sub(replace, template)
