"""Release metadata read from ``data/release.yaml``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from claimtrack.models.common import SEMVER_PATTERN, IsoDate, NonEmpty, Record


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
