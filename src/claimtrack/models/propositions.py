"""Derived records: proposition clusters (built from claim relations, never edited by hand)."""

from __future__ import annotations

from pydantic import Field

from claimtrack.models.common import ClaimId, Record, Slug


class Proposition(Record):
    """Claims that assert one proposition, joined by same_proposition relations."""

    id: ClaimId
    """The smallest claim id of the cluster (it changes only if clusters merge)."""
    claim_ids: list[ClaimId] = Field(min_length=2)
    document_ids: list[Slug]
    historiography_ids: list[Slug]
    """Every historiography link that bears on any claim of the cluster."""
