"""Span rules beyond anchoring: a modality cue is printed inside the claim's quote."""

from __future__ import annotations

from collections.abc import Iterator

from claimtrack.issues import Issue
from claimtrack.loading import Corpus


def cue_problem(exact: str, cue: str | None) -> str | None:
    """Why a modality cue is not printed in its quote (matched as printed, case too), or None."""
    if cue is None or cue in exact:
        return None
    at = exact.lower().find(cue.lower())
    if at != -1 and len(exact.lower()) == len(exact):
        printed = exact[at : at + len(cue)]
        return f"cue {cue!r} is printed {printed!r} in the quote; write the cue as printed"
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
                located.root_pointer("/modality/cue"),
                claim.id,
            )
