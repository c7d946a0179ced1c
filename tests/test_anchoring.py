"""Quote anchoring: offsets from exact/prefix/suffix, and clear failures."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claimtrack.anchoring import Anchor, AnchorProblem, anchor_quote, context

TEXT = "Stalin\u00a0was rude. Stalin was rude. Trotsky was not."


def test_unique_quote_gets_offsets() -> None:
    found = anchor_quote(TEXT, "Trotsky was not.")
    assert isinstance(found, Anchor)
    assert TEXT[found.start : found.end] == "Trotsky was not."


def test_repeated_quote_needs_context() -> None:
    text = "He was rude. She was rude."
    found = anchor_quote(text, "was rude.")
    assert isinstance(found, AnchorProblem) and found.code == "QUOTE_AMBIGUOUS"
    picked = anchor_quote(text, "was rude.", prefix="She ")
    assert isinstance(picked, Anchor) and picked.start == text.index("She") + 4


def test_quote_that_matches_only_after_normalization_says_so() -> None:
    found = anchor_quote("Stalin\u00a0was rude.", "Stalin was rude.")
    assert isinstance(found, AnchorProblem) and found.code == "QUOTE_NORMALIZED_ONLY"
    cyrillic = anchor_quote("Marksizm i natsionalʹnyĭ vopros (\u0410)", "(A)")
    assert isinstance(cyrillic, AnchorProblem) and cyrillic.code == "QUOTE_NORMALIZED_ONLY"


def test_missing_quote() -> None:
    found = anchor_quote(TEXT, "Lenin")
    assert isinstance(found, AnchorProblem) and found.code == "QUOTE_NOT_FOUND"


def test_context_that_never_occurs_is_not_found() -> None:
    found = anchor_quote(TEXT, "Trotsky", prefix="Lenin ")
    assert isinstance(found, AnchorProblem) and found.code == "QUOTE_NOT_FOUND"


@given(st.text(min_size=1), st.integers(min_value=0), st.integers(min_value=1, max_value=40))
def test_released_context_always_recovers_the_span(text: str, start_seed: int, length: int) -> None:
    start = start_seed % len(text)
    end = min(len(text), start + length)
    exact = text[start:end]
    prefix, suffix = context(text, start, end)
    found = anchor_quote(text, exact, prefix, suffix)
    # a 32-character context can still be ambiguous in highly repetitive text; never wrong
    if isinstance(found, Anchor):
        assert text[found.start : found.end] == exact
        assert found.start == start or (
            text[: found.start].endswith(prefix) and text[found.end :].startswith(suffix)
        )
    else:
        assert found.code == "QUOTE_AMBIGUOUS"
