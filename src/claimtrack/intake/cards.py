"""Refresh the generated parts of the Markdown cards and CITATION.cff from data/ (what
`claimtrack card` and `claimtrack release` do), and find hand-written text that names counts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.citation import render_cff
from claimtrack.intake.edits import write_atomically
from claimtrack.issues import Issue
from claimtrack.loading import Corpus
from claimtrack.release.contents import contents_of
from claimtrack.release.summary import fill, generated_sections, read_card


@dataclass
class CardRefresh:
    stale: list[Path] = field(default_factory=list)
    """Files whose generated parts differ from data/ (rewritten unless only checking)."""
    broken: list[Path] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)


def refresh_cards(corpus: Corpus, files: list[Path], check: bool) -> CardRefresh:
    """Compare (``check``) or rewrite the generated sections of ``files`` and CITATION.cff
    beside data/; a corpus with errors must not reach here."""
    result = CardRefresh()
    with contents_of(corpus) as contents:
        sections = generated_sections(contents)
    if corpus.release is not None:
        cff_path = corpus.data_dir.parent / "CITATION.cff"
        cff = render_cff(corpus.release)
        if not cff_path.is_file() or cff_path.read_text("utf-8", errors="replace") != cff:
            result.stale.append(cff_path)
            if not check:
                write_atomically(cff_path, cff)
    for path in files:
        current, problems = read_card(path)
        if current is None or problems:
            result.problems.extend(problems)
            result.broken.append(path)
            continue
        refreshed = fill(current, sections)
        if refreshed != current:
            result.stale.append(path)
            if not check:
                write_atomically(path, refreshed)
    return result


_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred|dozen"
)
_COUNTED = (
    "documents?|texts?|pieces?|claims?|links?|sources?|agents?|topics?|compilations?|"
    "statements?|essays?|articles?|relations?|raw files?"
)
#: A count of what the corpus holds: a number (not a year) or a number word, within two
#: words of a thing the corpus counts ("fifteen pieces", "1,145 claims", "four party
#: statements"), or "one" before a compilation or raw file ("one seed compilation").
COUNT_PHRASE = re.compile(
    rf"(?<![\w-])(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d{{1,3}}|\d{{5,}}|{_NUMBER_WORDS})(?:\s+(?!or\b)[\w-]+){{0,2}}?\s+"
    rf"(?:{_COUNTED})|one(?:\s+[\w-]+)?\s+(?:compilation|raw file))\b(?!\s+or\s+(?:more|fewer))",
    re.I,
)
_GENERATED = re.compile(r"<!-- generated:([a-z-]+) -->.*?<!-- /generated:\1 -->", re.S)


def counted_text(path: Path) -> list[tuple[int, str]]:
    """Lines outside generated sections that name a count (line number, the phrase)."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    blanked = _GENERATED.sub(lambda match: "\n" * match.group(0).count("\n"), text)
    return [
        (text.count("\n", 0, match.start()) + 1, match.group(0))
        for match in COUNT_PHRASE.finditer(blanked)
    ]
