"""Documents of the corpus: metadata as annotated, and the released record with its text."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from claimtrack.models.common import (
    BCP47_PATTERN,
    SHA256_PATTERN,
    Edtf,
    IsoDate,
    NonEmpty,
    Record,
    Slug,
)
from claimtrack.vocab import DocumentType

Bcp47 = Annotated[str, StringConstraints(pattern=BCP47_PATTERN)]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_PATTERN)]
RawFileName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+$")]


WebUrl = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class Conversion(Record):
    """How a raw text was made from the file as received (an HTML page saved to disk)."""

    sha256: Sha256
    """The sha256 of the original file's bytes."""
    bytes: int = Field(ge=0)
    media_type: NonEmpty
    """The original's media type, e.g. ``text/html``."""
    tool: NonEmpty
    """The converter and its version, e.g. ``trafilatura 2.3.1``: the same original and
    tool version give the same text."""


class RawFileEntry(Record):
    """One raw text as received, pinned in data/raw/manifest.yaml."""

    file: RawFileName
    """Its file name in data/raw/."""
    sha256: Sha256
    """The sha256 of its bytes: a raw file that changes fails the build."""
    bytes: int = Field(ge=0)
    received_from: NonEmpty
    """Who or what it came from, and in what shape."""
    url: WebUrl | None = None
    """Where it was obtained, when it came from the web."""
    received: IsoDate | None = None
    """The date it was filed here."""
    converted_from: Conversion | None = None
    """Set when the raw text was extracted from another format; absent for a text filed as received."""


class Publication(Record):
    """Where and how the document appeared, as far as its text says."""

    venue: NonEmpty | None = None
    """The journal, website, book or forum it appeared in."""
    publisher: NonEmpty | None = None
    place: NonEmpty | None = None
    pages: NonEmpty | None = None
    occasion: NonEmpty | None = None
    """The original occasion: a conference, a presentation, a death."""


class DocumentMeta(Record):
    """The annotated metadata of a document (everything but its text and offsets)."""

    id: Slug
    title: NonEmpty
    author_ids: list[Slug] = Field(min_length=1)
    """Agents who wrote it; an author the text does not name is an anonymous agent."""
    document_type: DocumentType
    published: Edtf | None = None
    publication: Publication = Field(default_factory=Publication)
    language: Bcp47
    excerpt_of: Slug | None = None
    """The source this document reproduces a part of."""
    rights: NonEmpty
    """Whose text it is; the annotations' licence is the dataset's."""
    note: NonEmpty | None = None
    url: WebUrl | None = None
    """Where the document is published on the web, when it is."""


class LineRange(Record):
    """Where a document lies in its raw file, as 1-based inclusive line numbers."""

    raw_file: RawFileName
    first_line: int = Field(ge=1)
    last_line: int = Field(ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> LineRange:
        if self.last_line < self.first_line:
            raise ValueError("last_line is before first_line")
        return self


class Origin(LineRange):
    """The document's text anchored in its raw file by character offsets and lines."""

    raw_sha256: Sha256
    start: int = Field(ge=0)
    """Offset of the first character in the raw file (Unicode code points)."""
    end: int = Field(ge=0)
    """Offset one past the last character."""


class Document(DocumentMeta):
    """One text of the corpus, as released."""

    text: str
    text_sha256: Sha256
    origin: Origin
