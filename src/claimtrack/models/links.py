"""Records that link claims to scholarship and to each other, and tombstones of removed ids."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints, model_validator

from claimtrack.models.common import ClaimId, IsoDate, NonEmpty, Record, Slug
from claimtrack.models.verification import Verification
from claimtrack.vocab import ClaimRelationType, HistoriographyRelation, TableName


class HistoriographyLink(Record):
    """How one scholarly work bears on one claim."""

    id: Slug
    claim_id: ClaimId
    source_id: Slug
    locator: NonEmpty | None = None
    """Page or chapter, only when known."""
    relation: HistoriographyRelation
    summary: NonEmpty
    """What the work says on this point, in one sentence."""
    contributor: NonEmpty
    verification: Verification
    added: IsoDate


class ClaimRelation(Record):
    id: Slug
    from_claim_id: ClaimId
    to_claim_id: ClaimId
    relation: ClaimRelationType
    contributor: NonEmpty
    note: NonEmpty | None = None

    @model_validator(mode="after")
    def _not_reflexive(self) -> ClaimRelation:
        if self.from_claim_id == self.to_claim_id:
            raise ValueError("a claim cannot be related to itself")
        return self


class Tombstone(Record):
    """An id that was released and then removed."""

    id: NonEmpty
    table: TableName
    replaced_by: NonEmpty | None = None
    reason: NonEmpty
    release: Annotated[str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")]
    """The first release without the id."""
