"""Counts and generated Markdown sections shared by the dataset card and DATA_CARD.md."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from claimtrack.issues import Issue
from claimtrack.models import ID_PATTERNS, Source
from claimtrack.release.contents import Contents
from claimtrack.textfiles import read_text
from claimtrack.vocab import ALL_VOCABULARIES

_BLOCK = re.compile(
    r"(<!-- generated:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /generated:(?P=name) -->)", re.S
)


#: Claim types whose claims are expected to be compared with the scholarship when check-worthy.
CHECKABLE_TYPES = ("empirical", "quantitative", "causal", "historiographical")
RESEARCH_STATUSES = ("linked", "searched", "not_check_worthy", "pending")


@dataclass(slots=True)
class DocumentTally:
    """One document's counts: the distinct sources and agents as numbers once the
    document's claims are all seen (``ClaimTally.close``)."""

    claims: int = 0
    citations: int = 0
    sources: int = 0
    agents: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    checkable_open: int = 0


@dataclass
class ClaimTally:
    """What the card counts of the claims, gathered in one pass over them.

    The claims come grouped by document (in id order, each id starts with its document's
    id: CLAIM_ID_PREFIX), so only the open document's distinct sources and agents are held
    as sets: a million claims' tally is a few counts a document, not their ids.
    """

    documents: dict[str, DocumentTally] = field(default_factory=dict)
    claim_types: Counter[str] = field(default_factory=Counter)
    stances: Counter[str] = field(default_factory=Counter)
    fidelity: Counter[str] = field(default_factory=Counter)
    bases: Counter[str] = field(default_factory=Counter)
    _open: str | None = None
    _sources: set[str] = field(default_factory=set)
    _agents: set[str] = field(default_factory=set)

    def add(self, claim: dict[str, Any]) -> None:
        document_id = claim["document_id"]
        if document_id != self._open:
            self.close()
            if document_id in self.documents:
                raise ValueError(
                    f"the claims of {document_id!r} do not come together: tally them in id order"
                )
            self._open = document_id
            self.documents[document_id] = DocumentTally()
        tally = self.documents[document_id]
        attribution = claim["attribution"]
        citations = claim["citations"]
        tally.claims += 1
        tally.citations += len(citations)
        self._sources.update(citation["source_id"] for citation in citations)
        self._agents.add(attribution["claimant_id"])
        self._agents.update(entity["agent_id"] for entity in claim["entities"])
        self._agents.update(hop["agent_id"] for hop in attribution.get("via", []))
        status = claim["research"]["status"]
        tally.statuses[status] += 1
        if status == "pending" and claim["claim_type"] in CHECKABLE_TYPES:
            tally.checkable_open += 1
        self.claim_types[claim["claim_type"]] += 1
        self.stances[attribution["document_stance"]] += 1
        for citation in citations:
            self.fidelity[citation["fidelity"]] += 1
            self.bases[citation.get("basis") or "not recorded"] += 1

    def close(self) -> None:
        """Count the open document's distinct sources and agents (after its last claim)."""
        if self._open is not None:
            tally = self.documents[self._open]
            tally.sources, tally.agents = len(self._sources), len(self._agents)
            self._sources.clear()
            self._agents.clear()
            self._open = None


def claim_tally(contents: Contents) -> ClaimTally:
    tally = ClaimTally()
    for claim in contents.store.rows("claims"):
        tally.add(claim)
    tally.close()
    return tally


class DocumentPlace(NamedTuple):
    """What the card's tables say of a document besides its claims' counts."""

    id: str
    raw_file: str
    first_line: int
    last_line: int


def _documents_in_order(contents: Contents) -> list[DocumentPlace]:
    """The documents in the order of their raw files' lines."""
    places = []
    for document in contents.store.rows("documents"):
        origin = document["origin"]
        place = DocumentPlace(
            document["id"], origin["raw_file"], origin["first_line"], origin["last_line"]
        )
        places.append((origin["start"], place))
    places.sort(key=lambda item: item[0])
    return [place for _, place in places]


def per_document_counts(contents: Contents, tally: ClaimTally) -> list[dict[str, object]]:
    rows = []
    for document in _documents_in_order(contents):
        counts = tally.documents.get(document.id, DocumentTally())
        rows.append(
            {
                "document": document.id,
                "lines": f"{document.first_line}-{document.last_line}",
                "claims": counts.claims,
                "citations": counts.citations,
                "sources": counts.sources,
                "agents": counts.agents,
            }
        )
    return rows


def _markdown_table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def counts_section(contents: Contents, tally: ClaimTally) -> str:
    text = _markdown_table(
        ["table", "records", "id pattern"],
        [
            [table, count, f"`{ID_PATTERNS.get(table, '(the removed id)')}`"]
            for table, count in contents.counts().items()
        ],
    )
    documents = per_document_counts(contents, tally)
    columns = ["document", "lines", "claims", "citations", "sources", "agents"]
    text += "\nPer document (raw-file lines; citations of its claims; distinct sources cited; distinct agents named in attributions and entities):\n\n"
    text += _markdown_table(columns, [[row[column] for column in columns] for row in documents])
    text += "\nClaims by type: " + (_pairs(tally.claim_types) or "none") + ".\n"
    text += "Claims by document stance: " + (_pairs(tally.stances) or "none") + ".\n"
    return text


def _pairs(counts: Counter[str]) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))


def links_section(contents: Contents, tally: ClaimTally) -> str:
    """Historiography, claim relations and citation fidelity, as counts."""
    store = contents.store
    levels: Counter[str] = Counter()
    relations: Counter[str] = Counter()
    for link in store.rows("historiography"):
        levels[link["verification"]["level"]] += 1
        relations[link["relation"]] += 1
    ((covered, documents),) = store.query(
        "SELECT COUNT(*), COUNT(DISTINCT document_id) FROM "
        "(SELECT DISTINCT key FROM refs WHERE kind = 'historiography.claim') "
        "LEFT JOIN document_of ON claim_id = key"
    )
    claim_relations: Counter[str] = Counter()
    across = 0
    for row in store.rows("claim_relations"):
        claim_relations[row["relation"]] += 1
        ends = {store.document_of(row["from_claim_id"]), store.document_of(row["to_claim_id"])}
        across += len(ends) > 1
    clusters = held = 0
    for cluster in store.rows("propositions"):
        clusters += 1
        held += len(cluster["claim_ids"])
    lines = [
        f"- Historiography links: {levels.total()}, on {covered} claims in {documents} documents.",
        f"- Links by verification level: {_pairs(levels) or 'none'}.",
        f"- Links by relation: {_pairs(relations) or 'none'}.",
        f"- Claim relations: {claim_relations.total()} ({across} across documents); by type: "
        f"{_pairs(claim_relations) or 'none'}.",
        f"- Proposition clusters (two or more claims): {clusters}, holding {held} claims.",
        f"- Citations by fidelity: {_pairs(tally.fidelity) or 'none'}.",
        f"- Citations by basis (how the citation was made): {_pairs(tally.bases) or 'none'}.",
    ]
    return "\n".join(lines) + "\n"


def research_section(contents: Contents, tally: ClaimTally) -> str:
    """Research status per document: linked, searched, not check-worthy, pending (shares)."""
    statuses = RESEARCH_STATUSES
    total: Counter[str] = Counter()
    open_total = 0
    rows = []
    for document in _documents_in_order(contents):
        counts = tally.documents.get(document.id, DocumentTally())
        total.update(counts.statuses)
        open_total += counts.checkable_open
        size = counts.claims
        rows.append(
            [document.id, size]
            + [
                f"{counts.statuses[status]} ({_share(counts.statuses[status], size)})"
                for status in statuses
            ]
            + [counts.checkable_open]
        )
    size = sum(total.values())
    rows.append(
        ["**all**", size]
        + [f"{total[status]} ({_share(total[status], size)})" for status in statuses]
        + [open_total]
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


def bibliography_section(contents: Contents) -> str:
    """Every source, formatted by citeproc-py from its CSL-JSON (proof that the CSL is real)."""
    from claimtrack.csl import BIBLIOGRAPHY_STYLE, render_bibliography

    sources = (Source.model_validate(row) for row in contents.store.rows("sources"))
    entries = render_bibliography(sources)
    header = (
        f"{len(entries)} works, formatted by citeproc-py in the `{BIBLIOGRAPHY_STYLE}` style:\n\n"
    )
    return header + "".join(f"- {entry}\n" for entry in entries)


def citation_section(contents: Contents) -> str:
    """How to cite this release: the same facts as CITATION.cff, where it lives, as text and BibTeX."""
    from claimtrack.citation import cite
    from claimtrack.home import home_statement
    from claimtrack.release.contents import StoreLookup

    release = contents.release
    lookup = StoreLookup(contents)
    return (
        f"Version {release.version}, released {release.date_released} "
        "(the same facts as `CITATION.cff`). Where it lives: "
        + home_statement(release)
        + " `claimtrack cite ID` cites any claim, document, source, agent, historiography link, "
        "claim relation, topic or proposition by its persistent id `claimtrack:<table>/<id>`.\n\n"
        "```\n"
        + cite(lookup, "release", "text")
        + "```\n\n```bibtex\n"
        + cite(lookup, "release", "bibtex")
        + "```\n"
    )


def corpus_section(contents: Contents) -> str:
    """How many documents the corpus holds and which raw files they come from, in words
    that stay true as documents are added."""
    per_raw = Counter(document.raw_file for document in _documents_in_order(contents))
    documents = sum(per_raw.values())
    raw_files = len(contents.raw_files)
    lines = [
        f"The corpus holds {documents} document{'s' if documents != 1 else ''} from "
        f"{raw_files} raw file{'s' if raw_files != 1 else ''}, each "
        "pinned by sha256 in `data/raw/manifest.yaml`:",
        "",
    ]
    for name in sorted(contents.raw_files):
        count = per_raw.get(name, 0)
        lines.append(f"- `data/raw/{name}`: {count} document{'s' if count != 1 else ''}")
    return "\n".join(lines) + "\n"


def citation_examples_section(contents: Contents) -> str:
    from claimtrack.release.citation_examples import citation_examples_section as examples

    return examples(contents)


#: Each generated section by its marker name: from the contents, or from them and the
#: claims' tally.
SECTIONS: dict[str, Callable[[Contents], str]] = {
    "corpus": corpus_section,
    "vocabularies": lambda _: vocabularies_section(),
    "issue-codes": lambda _: issue_codes_section(),
    "bibliography": bibliography_section,
    "citation": citation_section,
    "citation-examples": citation_examples_section,
}
TALLIED: dict[str, Callable[[Contents, ClaimTally], str]] = {
    "counts": counts_section,
    "links": links_section,
    "research": research_section,
}
#: The order the sections are rendered in.
ORDER = (
    "corpus",
    "counts",
    "links",
    "research",
    "vocabularies",
    "issue-codes",
    "bibliography",
    "citation",
    "citation-examples",
)


def generated_sections(contents: Contents) -> dict[str, str]:
    tally = claim_tally(contents)
    sections = {name: render(contents) for name, render in SECTIONS.items()}
    sections |= {name: render(contents, tally) for name, render in TALLIED.items()}
    return {name: sections[name] for name in ORDER}


def read_card(path: Path) -> tuple[str | None, list[Issue]]:
    """A Markdown file with generated sections, and its problems: not UTF-8, or a marker
    that ``fill`` would skip (CARD_SECTION). The text is None if it cannot be decoded."""
    issues: list[Issue] = []
    text = read_text(path, str(path), issues)
    if text is None:
        return None, issues
    problems = section_problems(text, ORDER)
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
