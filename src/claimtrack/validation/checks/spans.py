"""Span rules beyond anchoring: a modality cue is printed inside the claim's quote."""

from __future__ import annotations

from collections.abc import Iterator

from claimtrack.issues import Issue
from claimtrack.loading import Corpus


def cue_problem(exact: str, cue: str | None) -> str | None:
    """Why a modality cue does not fit its quote (case aside), or None."""
    if cue is None or cue in exact or cue.casefold() in exact.casefold():
        return None
    return f"cue {cue!r} does not occur in the quote; quote the hedge or booster as printed, or widen the span to include it"


def cues_in_spans(corpus: Corpus) -> Iterator[Issue]:
    for located in corpus.claims:
        claim = located.record
        problem = cue_problem(claim.span.exact, claim.modality.cue)
        if problem is not None:
            yield Issue(
                located.file,
                located.line_at("/modality/cue"),
                None,
                "CUE_NOT_IN_SPAN",
                problem,
                "/modality/cue",
                claim.id,
            )
