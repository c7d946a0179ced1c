"""Release metadata read from ``data/release.yaml``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from claimtrack.models.common import SEMVER_PATTERN, IsoDate, NonEmpty, Record

HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+(?:/\S*)?$")]


class CitationAuthor(Record):
    family: NonEmpty | None = None
    given: NonEmpty | None = None
    name: NonEmpty | None = None
    """For a team or organisation."""


class ReleaseInfo(Record):
    version: Annotated[str, StringConstraints(pattern=SEMVER_PATTERN)]
    """The dataset version (semantic versioning, see the README's versioning rules)."""
    date_released: IsoDate
    pretty_name: NonEmpty
    title: NonEmpty
    description: NonEmpty
    license: NonEmpty
    """SPDX id of the annotations' licence."""
    authors: list[CitationAuthor] = Field(min_length=1)
    repository: NonEmpty | None = None
    keywords: list[NonEmpty] = Field(default_factory=list)
    # Where the release lives. Each is optional and left unset until it exists: an unknown
    # home is omitted from every output, never filled with a placeholder.
    hub_repository: (
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$")] | None
    ) = None
    """The Hugging Face Hub dataset repository id, ``owner/name``."""
    homepage: HttpUrl | None = None
    """The dataset's home page."""
    site_url: HttpUrl | None = None
    """Where the release's static site is hosted: record pages live at ``<site_url>/<table>/<id>.html``."""
    doi: Annotated[str, StringConstraints(pattern=r"^10\.[0-9]{4,9}/\S+$")] | None = None
    """A DOI minted for the dataset (a bare DOI, ``10.xxxx/...``)."""
