"""locate: every place a quote stands in a document's text, with its context, offsets, the
shortest prefix/suffix that pick it out, and a claim id to propose; or, when the quote is
not there, where the text comes nearest and the first character that differs."""

from __future__ import annotations

from dataclasses import dataclass

from claimtrack.anchoring import occurrences
from claimtrack.intake.raw import slug

CONTEXT = 40


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    line: int
    column: int
    before: str
    after: str
    prefix: str | None
    """The shortest text before the quote that no other occurrence has (None: not needed)."""
    suffix: str | None


def _shortest_unique(
    text: str, starts: list[int], here: int, length: int, before: bool
) -> str | None:
    """The shortest context on one side that tells ``here`` apart from the other starts."""
    others = [start for start in starts if start != here]
    if not others:
        return None
    limit = here if before else len(text) - here - length
    for size in range(1, limit + 1):
        if before:
            piece = text[here - size : here]
            clash = any(text.endswith(piece, 0, other) for other in others)
        else:
            piece = text[here + length : here + length + size]
            clash = any(text.startswith(piece, other + length) for other in others)
        if not clash:
            return piece
    return None


def places(text: str, exact: str) -> list[Place]:
    starts = occurrences(text, exact)
    found = []
    for start in starts:
        end = start + len(exact)
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        prefix = suffix = None
        if len(starts) > 1:
            prefix = _shortest_unique(text, starts, start, len(exact), before=True)
            suffix = _shortest_unique(text, starts, start, len(exact), before=False)
            if prefix is not None and suffix is not None:  # one side is enough: the shorter
                prefix, suffix = (prefix, None) if len(prefix) <= len(suffix) else (None, suffix)
        found.append(
            Place(
                start,
                end,
                line,
                column,
                text[max(0, start - CONTEXT) : start],
                text[end : end + CONTEXT],
                prefix,
                suffix,
            )
        )
    return found


def proposed_claim_id(document_id: str, exact: str, taken: set[str]) -> str:
    """``<document id>/<first words of the quote>``, numbered if taken."""
    words = slug(exact, 200).split("-")[:6]
    base = f"{document_id}/{'-'.join(words) or 'claim'}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
