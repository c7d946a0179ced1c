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


def occurrences(text: str, exact: str) -> list[int]:
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


@dataclass(frozen=True)
class NearestMatch:
    start: int
    """Where the nearest match starts in the text."""
    same: int
    """How many characters of the quote agree with the text there."""


def nearest_match(text: str, exact: str) -> NearestMatch | None:
    """Where ``text`` comes nearest to the quote: the place that agrees with the longest
    start of the quote, or failing a useful one, the best fuzzy alignment (rapidfuzz)."""
    if not exact or not text:
        return None
    low, high = 0, len(exact)  # the longest start of the quote found in the text
    while low < high:
        middle = (low + high + 1) // 2
        if exact[:middle] in text:
            low = middle
        else:
            high = middle - 1
    if low >= min(12, len(exact) // 2):
        return NearestMatch(text.find(exact[:low]), low)
    from rapidfuzz import fuzz

    alignment = fuzz.partial_ratio_alignment(exact, text)
    if alignment is None or alignment.score < 50:
        return None
    start = alignment.dest_start - alignment.src_start
    start = max(0, start)
    same = 0
    while same < len(exact) and start + same < len(text) and text[start + same] == exact[same]:
        same += 1
    return NearestMatch(start, same)


def _character(value: str) -> str:
    return f"{value!r} (U+{ord(value):04X} {unicodedata.name(value, 'unnamed')})"


def not_found_message(text: str, exact: str) -> str:
    """QUOTE_NOT_FOUND's message: the nearest place and the first character that differs."""
    shown = exact if len(exact) <= 80 else exact[:77] + "..."
    near = nearest_match(text, exact)
    if near is None:
        return f"quote not found in the document text, nor anything close to it: {shown!r}"
    line = text.count("\n", 0, near.start) + 1
    column = near.start - (text.rfind("\n", 0, near.start) + 1) + 1
    where = f"the nearest text starts at line {line}, column {column} of the document (offset {near.start})"
    differ = near.start + near.same
    if differ >= len(text):
        return f"quote not found: {where}, but the text ends after {near.same} matching characters"
    return (
        f"quote not found: {where}; they agree for {near.same} characters, then at column "
        f"{near.same + 1} of the quote it has {_character(exact[near.same])} where the text has "
        f"{_character(text[differ])}: {text[near.start : differ + 20]!r}"
    )


def anchor_quote(
    text: str, exact: str, prefix: str | None = None, suffix: str | None = None
) -> Anchor | AnchorProblem:
    """Find the one place where ``exact`` (with its optional context) occurs in ``text``."""
    candidates = occurrences(text, exact)
    if not candidates:
        if loose_form(exact) and loose_form(exact) in loose_form(text):
            return AnchorProblem(
                "QUOTE_NORMALIZED_ONLY",
                "the quote matches the text only after Unicode normalization or whitespace changes; "
                "copy the characters exactly (no-break spaces, Cyrillic look-alike letters, curly quotes)",
            )
        return AnchorProblem("QUOTE_NOT_FOUND", not_found_message(text, exact))
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
