"""pydantic models of every record: the single source of the JSON Schemas."""

from claimtrack.models.agents import Agent, Topic
from claimtrack.models.claims import AnnotatedClaim, Claim, ClaimInput
from claimtrack.models.common import ID_PATTERNS, SCHEMA_VERSION, Record
from claimtrack.models.documents import Document, DocumentMeta, LineRange
from claimtrack.models.links import ClaimRelation, HistoriographyLink, Tombstone
from claimtrack.models.propositions import Proposition
from claimtrack.models.release_info import ReleaseInfo
from claimtrack.models.research import ClaimResearch, ResearchRecord
from claimtrack.models.sources import Source

#: The release tables and the model of one record of each, in release order.
TABLE_MODELS: dict[str, type[Record]] = {
    "documents": Document,
    "claims": Claim,
    "sources": Source,
    "agents": Agent,
    "topics": Topic,
    "historiography": HistoriographyLink,
    "claim_relations": ClaimRelation,
    "propositions": Proposition,
    "tombstones": Tombstone,
}

__all__ = [
    "ID_PATTERNS",
    "SCHEMA_VERSION",
    "TABLE_MODELS",
    "Agent",
    "AnnotatedClaim",
    "Claim",
    "ClaimInput",
    "ClaimRelation",
    "ClaimResearch",
    "Document",
    "DocumentMeta",
    "HistoriographyLink",
    "LineRange",
    "Proposition",
    "Record",
    "ReleaseInfo",
    "ResearchRecord",
    "Source",
    "Tombstone",
    "Topic",
]
