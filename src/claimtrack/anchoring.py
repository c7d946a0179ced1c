"""Anchor quotes in a text: W3C TextQuoteSelector (exact, prefix, suffix) to offsets, and back."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: Characters of the released span's prefix and suffix (W3C TextQuoteSelector context).
CONTEXT_CHARS = 32

# Cyrillic letters that look like Latin ones: the corpus has one inside a Latin title.
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХаеорсухіј", "ABEKMHOPCTXaeopcyxij")


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int


@dataclass(frozen=True)
class AnchorProblem:
    code: str  # an issues.CATALOGUE code
    message: str


def _occurrences(text: str, exact: str) -> list[int]:
    found: list[int] = []
    position = text.find(exact)
    while position != -1:
        found.append(position)
        position = text.find(exact, position + 1)
    return found


def loose_form(value: str) -> str:
    """The form two strings share when they differ only by normalization, spacing or homoglyphs."""
    folded = unicodedata.normalize("NFKC", value).translate(_HOMOGLYPHS)
    return " ".join(folded.split())


def anchor_quote(
    text: str, exact: str, prefix: str | None = None, suffix: str | None = None
) -> Anchor | AnchorProblem:
    """Find the one place where ``exact`` (with its optional context) occurs in ``text``."""
    candidates = _occurrences(text, exact)
    if not candidates:
        if loose_form(exact) and loose_form(exact) in loose_form(text):
            return AnchorProblem(
                "QUOTE_NORMALIZED_ONLY",
                "the quote matches the text only after Unicode normalization or whitespace changes; "
                "copy the characters exactly (no-break spaces, Cyrillic look-alike letters, curly quotes)",
            )
        return AnchorProblem(
            "QUOTE_NOT_FOUND", f"quote not found in the document text: {exact[:60]!r}"
        )
    matching = [
        start
        for start in candidates
        if (not prefix or text.endswith(prefix, 0, start))
        and (not suffix or text.startswith(suffix, start + len(exact)))
    ]
    if not matching:
        return AnchorProblem(
            "QUOTE_NOT_FOUND",
            f"the quote occurs {len(candidates)} time(s), but never with the given prefix/suffix",
        )
    if len(matching) > 1:
        return AnchorProblem(
            "QUOTE_AMBIGUOUS",
            f"the quote occurs {len(matching)} times; add a prefix or suffix to pick one",
        )
    return Anchor(matching[0], matching[0] + len(exact))


def anchor_at(
    text: str, exact: str, prefix: str | None, suffix: str | None, offsets: tuple[object, object]
) -> Anchor | None:
    """The anchor at given offsets if the quote and its context stand there, else None."""
    start, end = offsets
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    return Anchor(start, end) if stands_at(text, exact, prefix, suffix, start, end) else None


def stands_at(
    text: str, exact: str, prefix: str | None, suffix: str | None, start: int, end: int
) -> bool:
    """Whether the quote, and its context where given, stand at ``start``-``end`` (both >= 0)."""
    return (
        end - start == len(exact)
        and text.startswith(exact, start)
        and (not prefix or text.endswith(prefix, 0, start))
        and (not suffix or text.startswith(suffix, end))
    )


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The released prefix and suffix: up to CONTEXT_CHARS characters on each side."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]
