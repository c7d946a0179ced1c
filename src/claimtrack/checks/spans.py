"""Span rules beyond anchoring: a modality cue is printed inside the claim's quote."""

from __future__ import annotations

from collections.abc import Iterator

from claimtrack.issues import Issue
from claimtrack.loading import Corpus


def cues_in_spans(corpus: Corpus) -> Iterator[Issue]:
    for located in corpus.claims:
        claim = located.record
        cue = claim.modality.cue
        if cue is not None and cue.casefold() not in claim.span.exact.casefold():
            yield Issue(
                located.file,
                located.line_at("/modality/cue"),
                None,
                "CUE_NOT_IN_SPAN",
                f"cue {cue!r} does not occur in the quote; quote the hedge or booster as printed, "
                "or widen the span to include it",
                "/modality/cue",
                claim.id,
            )
