"""Claims: attributed assertions anchored in a document's text."""

from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator

from claimtrack.models.common import ClaimId, Edtf, NonEmpty, Record, Slug
from claimtrack.models.research import ClaimResearch
from claimtrack.models.verification import Verification
from claimtrack.vocab import (
    AttributionMode,
    CitationBasis,
    CitationFidelity,
    CitationIntent,
    ClaimType,
    DocumentStance,
    EntityRole,
    ModalityLevel,
)


class QuoteSelector(Record):
    """W3C TextQuoteSelector: ``exact`` plus ``prefix``/``suffix`` where the quote is not unique."""

    exact: NonEmpty
    """Verbatim text of the claim's span."""
    prefix: str | None = None
    suffix: str | None = None


class SpanInput(QuoteSelector):
    """A span as contributed: offsets optional, computed from the quote."""

    start: int | None = Field(None, ge=0)
    end: int | None = Field(None, ge=0)


class Span(QuoteSelector):
    """A span as released: quote plus W3C TextPositionSelector offsets into the document text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _length_matches(self) -> Span:
        if self.end - self.start != len(self.exact):
            raise ValueError("end - start must equal the length of exact")
        return self


class ViaHop(Record):
    """One hop of reported speech: the agent through whom the claim reaches the document."""

    agent_id: Slug
    mode: AttributionMode
    source_id: Slug | None = None
    """The work in which this agent reports the claim, where it is cited."""


class Attribution(Record):
    claimant_id: Slug
    """Who holds the view: the author for ``asserts``, otherwise the quoted or reported agent."""
    mode: AttributionMode
    document_stance: DocumentStance
    via: list[ViaHop] = Field(default_factory=list)


class Modality(Record):
    # The JSON Schema states the same rule as the validator below, so schema-only tools agree.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"level": {"const": "unmarked"}}},
            "then": {"properties": {"cue": {"type": "null"}}},
            "else": {"required": ["cue"], "properties": {"cue": {"type": "string"}}},
        }
    )

    level: ModalityLevel
    cue: NonEmpty | None = None
    """The hedge or booster as it appears in the quote."""

    @model_validator(mode="after")
    def _cue_matches_level(self) -> Modality:
        if self.level is ModalityLevel.UNMARKED and self.cue is not None:
            raise ValueError("an unmarked claim has no cue")
        if self.level is not ModalityLevel.UNMARKED and self.cue is None:
            raise ValueError(f"give the cue word that makes the claim {self.level.value}")
        return self


class EntityMention(Record):
    agent_id: Slug
    role: EntityRole


class Citation(Record):
    """A source the document cites for this claim (footnote, inline source line, block-quote attribution)."""

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"fidelity": {"const": "unchecked"}}},
            "else": {
                "required": ["fidelity_note", "fidelity_verification"],
                "properties": {
                    "fidelity_note": {"type": "string"},
                    "fidelity_verification": {"type": "object"},
                },
            },
        }
    )

    source_id: Slug
    locator: NonEmpty | None = None
    """Page, folio or archive item as the document gives it; null when it gives none."""
    marker: NonEmpty | None = None
    """The footnote marker in the text, e.g. ``[70]``."""
    intent: CitationIntent
    basis: CitationBasis
    """How the citation was made: by the text (marker, source line, mention, quotation
    attribution, excerpt) or by an annotator's assignment, which is not the text's own citation."""
    fidelity: CitationFidelity = CitationFidelity.UNCHECKED
    """Does the cited work say what the document says it says? ``unchecked`` unless compared."""
    fidelity_note: NonEmpty | None = None
    """What the comparison found: the cited passage's wording or what it lacks."""
    fidelity_verification: Verification | None = None
    """How the fidelity judgement was checked (required unless the fidelity is unchecked)."""

    @model_validator(mode="after")
    def _judgement_is_checked(self) -> Citation:
        if self.fidelity is not CitationFidelity.UNCHECKED and (
            self.fidelity_note is None or self.fidelity_verification is None
        ):
            raise ValueError("a fidelity judgement needs fidelity_note and fidelity_verification")
        return self


class ClaimFields(Record):
    """Everything a claim holds besides its document and span."""

    id: ClaimId
    """``<document-id>/<slug>``."""
    statement: NonEmpty
    """The proposition as a self-contained, neutral sentence."""
    claim_type: ClaimType
    attribution: Attribution
    modality: Modality = Field(default_factory=lambda: Modality(level=ModalityLevel.UNMARKED))
    topics: list[Slug] = Field(default_factory=list)
    entities: list[EntityMention] = Field(default_factory=list)
    time: Edtf | None = None
    """When what the claim is about happened."""
    citations: list[Citation] = Field(default_factory=list)
    note: NonEmpty | None = None


class AnnotatedClaim(ClaimFields):
    """A claim inside a document's annotation file: its document is the file's."""

    span: QuoteSelector


class ClaimInput(ClaimFields):
    """A claim contributed in the release format; offsets may be omitted."""

    document_id: Slug
    span: SpanInput


class Claim(ClaimFields):
    """One attributed assertion in one document, as released."""

    document_id: Slug
    span: Span
    research: ClaimResearch = Field(default_factory=ClaimResearch)
    """Where the search for scholarship on the claim stands: derived from the historiography
    links (``linked``) and the records of ``data/research/``; ``pending`` otherwise."""
