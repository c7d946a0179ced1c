"""The claim panel's content: one claim with everything it is linked to, resolved to names."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from claimtrack.site.formatting import readable_edtf
from claimtrack.site.release_data import ReleaseData, Row, contesting

#: The research status a claim has when its record carries none yet.
DEFAULT_RESEARCH_STATUS = "pending"


def research_status(claim: Row) -> str:
    research = claim.get("research")
    status = research.get("status") if isinstance(research, dict) else None
    return str(status) if status else DEFAULT_RESEARCH_STATUS


def agent_name(data: ReleaseData, agent_id: str) -> str:
    agent = data.row("agents", agent_id)
    return str(agent["name"]) if agent else agent_id


def claim_ref(data: ReleaseData, claim_id: str, claim: Row | None = None) -> dict[str, Any]:
    """A link target for another claim: id, statement and document title (``claim``: its
    row, when at hand)."""
    claim = claim if claim is not None else data.row("claims", claim_id)
    document = data.row("documents", claim["document_id"]) if claim else None
    return {
        "id": claim_id,
        "statement": claim["statement"] if claim else claim_id,
        "document_title": document["title"] if document else "",
        "exists": claim is not None,
    }


def _citations(data: ReleaseData, claim: Row, formatted: dict[str, Markup]) -> list[dict[str, Any]]:
    citations = []
    for citation in claim["citations"]:
        verification = citation.get("fidelity_verification") or {}
        citations.append(
            {
                **citation,
                "formatted": formatted.get(citation["source_id"], citation["source_id"]),
                "has_page": data.row("sources", citation["source_id"]) is not None,
                "basis": citation.get("basis"),
                "evidence_url": verification.get("evidence_url"),
                "checked": verification.get("checked"),
                "level": verification.get("level"),
            }
        )
    return citations


def _links(data: ReleaseData, claim_id: str, formatted: dict[str, Markup]) -> list[dict[str, Any]]:
    links = []
    for link in data.links_of(claim_id):
        verification = link.get("verification") or {}
        links.append(
            {
                **link,
                "work": formatted.get(link["source_id"], link["source_id"]),
                "level": verification.get("level"),
                "evidence_url": verification.get("evidence_url"),
                "checked": verification.get("checked"),
            }
        )
    return links


def _related(data: ReleaseData, claim_id: str) -> list[dict[str, Any]]:
    related = []
    for relation in data.relations_of(claim_id):
        outgoing = relation["from_claim_id"] == claim_id
        other = relation["to_claim_id"] if outgoing else relation["from_claim_id"]
        if other == claim_id:
            continue
        related.append(
            {
                "relation": relation["relation"],
                "direction": "this claim → other" if outgoing else "other → this claim",
                "note": relation.get("note"),
                "claim": claim_ref(data, other),
            }
        )
    return related


def panel_context(data: ReleaseData, claim: Row, formatted: dict[str, Markup]) -> dict[str, Any]:
    """Everything the panel template shows for ``claim``."""
    attribution = claim["attribution"]
    proposition = data.proposition_of(claim["id"])
    document = data.row("documents", claim["document_id"])
    research = claim.get("research") if isinstance(claim.get("research"), dict) else None
    links = _links(data, claim["id"], formatted)
    return {
        "claim": claim,
        "slug": claim["id"].split("/", 1)[-1],
        "document_title": document["title"] if document else claim["document_id"],
        "claimant": {
            "id": attribution["claimant_id"],
            "name": agent_name(data, attribution["claimant_id"]),
        },
        "via": [
            {
                **hop,
                "name": agent_name(data, hop["agent_id"]),
                "source": formatted.get(hop["source_id"]) if hop.get("source_id") else None,
            }
            for hop in attribution.get("via", [])
        ],
        "time": readable_edtf(claim.get("time")),
        "topics": [
            {"id": topic, "label": (data.row("topics", topic) or {}).get("label", topic)}
            for topic in claim["topics"]
        ],
        "entities": [
            {**entity, "name": agent_name(data, entity["agent_id"])} for entity in claim["entities"]
        ],
        "citations": _citations(data, claim, formatted),
        "links": links,
        "related": _related(data, claim["id"]),
        "proposition": None
        if proposition is None
        else {
            "id": proposition["id"],
            "claims": [
                claim_ref(data, other) for other in proposition["claim_ids"] if other != claim["id"]
            ],
        },
        "research": research,
        "research_status": research_status(claim),
        "contested": contesting(links),
    }
