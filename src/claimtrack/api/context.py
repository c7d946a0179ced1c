"""A claim resolved with its context: document, claimant, via chain, cited sources, scholarship,
related claims and proposition cluster, each read by a filtered scan of one table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from claimtrack.models import (
    Agent,
    Claim,
    ClaimRelation,
    Document,
    HistoriographyLink,
    Proposition,
    Source,
)
from claimtrack.models.claims import Citation

if TYPE_CHECKING:
    from claimtrack.api.release import Release


@dataclass(frozen=True)
class CitedSource:
    """One citation the claim makes, with the cited work."""

    citation: Citation
    source: Source


@dataclass(frozen=True)
class ScholarlyLink:
    """One historiography link on the claim, with the scholarly work."""

    link: HistoriographyLink
    work: Source


@dataclass(frozen=True)
class RelatedClaim:
    """A claim relation touching this claim; ``direction`` says which end this claim is."""

    relation: ClaimRelation
    direction: Literal["outgoing", "incoming"]
    other: Claim


@dataclass(frozen=True)
class ClaimContext:
    claim: Claim
    document: Document
    claimant: Agent
    via: tuple[Agent, ...]
    """The agents of the reported-speech chain, in order."""
    citations: tuple[CitedSource, ...]
    scholarship: tuple[ScholarlyLink, ...]
    related: tuple[RelatedClaim, ...]
    proposition: Proposition | None
    """The cluster of claims asserting the same proposition, if any."""

    @property
    def document_title(self) -> str:
        return self.document.title

    @property
    def claimant_name(self) -> str:
        return self.claimant.name

    @property
    def via_names(self) -> list[str]:
        return [agent.name for agent in self.via]


def _by_id(release: Release, table: str, ids: set[str]) -> dict[str, dict[str, object]]:
    if not ids:
        return {}
    rows = release.rows(table, "list_contains(?, id)", [sorted(ids)])
    return {str(row["id"]): row for row in rows}


def resolve_claim(release: Release, claim_id: str) -> ClaimContext:
    """KeyError if the release has no such claim. Each part is one filtered scan of one table."""
    claim = release.record("claims", claim_id)
    assert isinstance(claim, Claim)
    document = release.record("documents", claim.document_id)
    assert isinstance(document, Document)
    via_ids = [hop.agent_id for hop in claim.attribution.via]
    agents = _by_id(release, "agents", {claim.attribution.claimant_id, *via_ids})
    links = [
        HistoriographyLink.model_validate(row)
        for row in release.rows("historiography", "claim_id = ?", [claim_id])
    ]
    sources = _by_id(
        release,
        "sources",
        {citation.source_id for citation in claim.citations} | {link.source_id for link in links},
    )
    relations = [
        ClaimRelation.model_validate(row)
        for row in release.rows(
            "claim_relations", "from_claim_id = ? OR to_claim_id = ?", [claim_id, claim_id]
        )
    ]
    others = _by_id(
        release,
        "claims",
        {relation.to_claim_id for relation in relations}
        | {relation.from_claim_id for relation in relations},
    )
    clusters = release.rows("propositions", "list_contains(claim_ids, ?)", [claim_id])
    return ClaimContext(
        claim=claim,
        document=document,
        claimant=Agent.model_validate(agents[claim.attribution.claimant_id]),
        via=tuple(Agent.model_validate(agents[agent_id]) for agent_id in via_ids),
        citations=tuple(
            CitedSource(citation, Source.model_validate(sources[citation.source_id]))
            for citation in claim.citations
        ),
        scholarship=tuple(
            ScholarlyLink(link, Source.model_validate(sources[link.source_id])) for link in links
        ),
        related=tuple(
            RelatedClaim(
                relation,
                "outgoing" if relation.from_claim_id == claim_id else "incoming",
                Claim.model_validate(
                    others[
                        relation.to_claim_id
                        if relation.from_claim_id == claim_id
                        else relation.from_claim_id
                    ]
                ),
            )
            for relation in relations
        ),
        proposition=Proposition.model_validate(clusters[0]) if clusters else None,
    )
