"""Research status: whether scholarship on a claim was looked for, and what came of it."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from claimtrack.models.common import ClaimId, IsoDate, NonEmpty, Record
from claimtrack.vocab import ResearchStatus


class ResearchRecord(Record):
    """An attributed record in ``data/research/``: a claim searched without result, or not
    check-worthy. ``linked`` is never written: it is derived from the historiography links."""

    claim_id: ClaimId
    status: Literal["searched", "not_check_worthy"]
    """``searched``: scholarship was looked for and nothing found addresses the claim;
    ``not_check_worthy``: rhetoric, exhortation or self-reference."""
    checked: IsoDate
    """When the search or the judgement was made (YYYY-MM-DD)."""
    note: NonEmpty
    """For ``searched``: what was searched (catalogues, works, queries); for
    ``not_check_worthy``: why the claim is not one scholarship could confirm or refute."""
    contributor: NonEmpty


class ClaimResearch(Record):
    """A released claim's research status, derived from its links and ``data/research/``."""

    status: ResearchStatus = ResearchStatus.PENDING
    links: int = 0
    """How many historiography links bear on the claim."""
    checked: IsoDate | None = None
    note: NonEmpty | None = None
    contributor: NonEmpty | None = None

    @model_validator(mode="after")
    def _status_matches_links(self) -> ClaimResearch:
        if (self.status is ResearchStatus.LINKED) != (self.links > 0):
            raise ValueError("status is linked exactly when the claim has historiography links")
        return self


def research_state(links: int, record: ResearchRecord | None = None) -> ClaimResearch:
    """A claim's research status as released: linked when ``links`` bear on it, else from
    its research record, else pending (the links win over a record)."""
    if links:
        return ClaimResearch(status=ResearchStatus.LINKED, links=links)
    if record is not None:
        return ClaimResearch(
            status=ResearchStatus(record.status),
            checked=record.checked,
            note=record.note,
            contributor=record.contributor,
        )
    return ClaimResearch()
