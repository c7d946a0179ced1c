"""Editorial rules: research status against the links, evidence hosts, loaded terms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from claimtrack.issues import Issue
from claimtrack.loading import Corpus, Located
from claimtrack.models.editorial import EvaluativeTerm

#: Quoted passages of a statement: double quotes, curly quotes, and single quotes that open
#: after a non-letter and close before one; an apostrophe inside a word ("Trotsky's",
#: "Trotsky’s") neither opens nor closes a quotation.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘(?:[^’]|’(?=\w))*’|(?<!\w)'(?:[^']|'(?=\w))*'(?!\w)")


def research_rules(corpus: Corpus) -> Iterator[Issue]:
    """A research record on a linked claim, or a second record for one claim."""
    linked = {located.record.claim_id for located in corpus.records("historiography")}
    first: dict[str, Located[Any]] = {}
    for located in corpus.records("research"):
        claim_id = located.record.claim_id
        if claim_id in linked:
            yield research_on_linked(located, claim_id, located.record.status)
        elif claim_id in first:
            yield research_repeated(located, claim_id, first[claim_id])
        else:
            first[claim_id] = located


def research_on_linked(located: Located[Any], claim_id: str, status: str) -> Issue:
    return Issue(
        located.file,
        located.line_at("/status"),
        None,
        "RESEARCH_CONFLICT",
        f"claim {claim_id!r} has historiography links, so its status is linked; "
        f"remove this {status} record from {located.file}",
        "/status",
        claim_id,
    )


def research_repeated(located: Located[Any], claim_id: str, first: Located[Any]) -> Issue:
    return Issue(
        located.file,
        located.line_at("/claim_id"),
        None,
        "RESEARCH_CONFLICT",
        f"claim {claim_id!r} already has a research record at {first.file}:{first.line_of()}; keep one",
        "/claim_id",
        claim_id,
    )


def _host_matches(host: str, listed: str) -> bool:
    return host == listed or host.endswith("." + listed)


def evidence_hosts(corpus: Corpus) -> Iterator[Issue]:
    """Every evidence URL (links, citation fidelity) on a host that is not acceptable."""
    hosts = [located.record for located in corpus.records("evidence_hosts")]
    if not hosts:
        return

    def problem(url: str | None) -> str | None:
        if url is None:
            return None
        host = (urlsplit(url).hostname or "").lower()
        for entry in hosts:
            if _host_matches(host, entry.host.lower()):
                return f"evidence_url {url} is on {entry.host} ({entry.kind}): {entry.reason}"
        return None

    urls: list[tuple[Located[Any], str, str | None]] = [
        (located, "/verification/evidence_url", located.record.verification.evidence_url)
        for located in corpus.records("historiography")
    ]
    for located in corpus.claims:
        for index, citation in enumerate(located.record.citations):
            verification = citation.fidelity_verification
            urls.append(
                (
                    located,
                    f"/citations/{index}/fidelity_verification/evidence_url",
                    verification.evidence_url if verification else None,
                )
            )
    for located, pointer, url in urls:
        message = problem(url)
        if message is not None:
            yield Issue(
                located.file,
                located.line_at(pointer),
                None,
                "EVIDENCE_HOST",
                message,
                pointer,
                located.record.id,
            )


_WORD_START = r"(?<![\w-])"


def term_pattern(term: EvaluativeTerm) -> re.Pattern[str]:
    """Whole-word, case-insensitive; a final ``*`` lets the word go on (``lie*``: lies, lied)."""
    stem = term.term.removesuffix("*")
    ending = r"[\w-]*" if term.term.endswith("*") else r"(?![\w-])"
    return re.compile(_WORD_START + re.escape(stem) + ending, re.IGNORECASE)


@dataclass(frozen=True)
class TermPatterns:
    """The listed terms' patterns, and one pattern for where any of them could begin.

    Each term's pattern is ``_WORD_START``, its stem and an ending, with the same flags; the
    second is ``_WORD_START`` and any stem. A statement the second does not match holds none
    of the terms, so most statements take one search rather than one a term (with one a term,
    the check held 8% of the samples of a profiled validation of 100,000 claims)."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    any_start: re.Pattern[str] | None

    @classmethod
    def of(cls, terms: Iterable[EvaluativeTerm]) -> TermPatterns:
        listed = tuple(terms)
        stems = "|".join(re.escape(term.term.removesuffix("*")) for term in listed)
        any_start = re.compile(_WORD_START + f"(?:{stems})", re.IGNORECASE) if listed else None
        return cls(tuple((term.term, term_pattern(term)) for term in listed), any_start)


def outside_quotes(statement: str) -> str:
    """``statement`` with each quotation blanked out (same length, so positions hold)."""
    return _QUOTED.sub(lambda match: " " * len(match.group()), statement)


def unquoted_terms(statement: str, terms: TermPatterns) -> list[str]:
    """The listed terms that occur in ``statement`` outside quotation marks, in the list's order."""
    bare = outside_quotes(statement)
    if terms.any_start is None or not terms.any_start.search(bare):
        return []
    return [match.group() for _, pattern in terms.patterns if (match := pattern.search(bare))]


def evaluative_terms(corpus: Corpus) -> Iterator[Issue]:
    """A loaded term in a statement, in the dataset's own voice."""
    patterns = TermPatterns.of(located.record for located in corpus.records("evaluative_terms"))
    if not patterns.patterns:
        return
    for located in corpus.claims:
        found = unquoted_terms(located.record.statement, patterns)
        if found:
            yield Issue(
                located.file,
                located.line_at("/statement"),
                None,
                "EVALUATIVE_TERM",
                f"the statement uses {', '.join(repr(word) for word in found)} in the dataset's own "
                'voice; quote the text\'s word ("...") or attribute it ("what the author calls ..."), '
                "see data/evaluative_terms.yaml",
                "/statement",
                located.record.id,
            )
