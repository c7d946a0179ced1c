"""Bibliographic sources, with CSL-JSON field names."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from claimtrack.models.common import BCP47_PATTERN, WIKIDATA_PATTERN, Edtf, NonEmpty, Record, Slug
from claimtrack.vocab import SourceType


class CslName(Record):
    """A CSL name: family and given parts, or one literal for organisations."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["family"],
                    "properties": {"family": {"type": "string"}, "literal": {"type": "null"}},
                },
                {
                    "required": ["literal"],
                    "properties": {
                        "literal": {"type": "string"},
                        "family": {"type": "null"},
                        "given": {"type": "null"},
                    },
                },
            ]
        }
    )

    family: NonEmpty | None = None
    given: NonEmpty | None = None
    literal: NonEmpty | None = None

    @model_validator(mode="after")
    def _family_or_literal(self) -> CslName:
        if (self.family is None) == (self.literal is None):
            raise ValueError("give either 'family' (with optional 'given') or 'literal', not both")
        if self.given is not None and self.family is None:
            raise ValueError("'given' needs 'family'")
        return self


class SourceIdentifiers(Record):
    wikidata: Annotated[str, StringConstraints(pattern=WIKIDATA_PATTERN)] | None = None
    oclc: Annotated[str, StringConstraints(pattern=r"^[0-9]+$")] | None = None


class Source(Record):
    """One bibliographic item cited by a document or by a historiography link."""

    id: Slug
    """Readable slug, e.g. ``vanree-2002-political-thought-stalin``."""
    type: SourceType
    title: NonEmpty
    """Title as printed; transliterated titles keep their spelling."""
    author: list[CslName] = Field(default_factory=list)
    editor: list[CslName] = Field(default_factory=list)
    issued: Edtf | None = None
    container_title: NonEmpty | None = Field(None, alias="container-title")
    collection_title: NonEmpty | None = Field(None, alias="collection-title")
    volume: NonEmpty | None = None
    issue: NonEmpty | None = None
    page: NonEmpty | None = None
    edition: NonEmpty | None = None
    publisher: NonEmpty | None = None
    publisher_place: NonEmpty | None = Field(None, alias="publisher-place")
    archive: NonEmpty | None = None
    archive_location: NonEmpty | None = None
    language: Annotated[str, StringConstraints(pattern=BCP47_PATTERN)] | None = None
    original_title: NonEmpty | None = Field(None, alias="original-title")
    URL: NonEmpty | None = None
    DOI: Annotated[str, StringConstraints(pattern=r"^10\.[0-9]{4,9}/\S+$")] | None = None
    ISBN: Annotated[str, StringConstraints(pattern=r"^[0-9Xx -]{10,17}$")] | None = None
    identifiers: SourceIdentifiers = Field(default_factory=SourceIdentifiers)
    note: NonEmpty | None = None
    """How the corpus cites it, where that is not a full reference."""
