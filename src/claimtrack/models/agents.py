"""Agents (persons, organisations, collectives) and the topic vocabulary."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from claimtrack.models.common import WIKIDATA_PATTERN, NonEmpty, Record, Slug
from claimtrack.vocab import AgentKind


class Agent(Record):
    """A person, organisation or collective that writes, is quoted or is reported."""

    id: Slug
    """Readable slug, e.g. ``leon-trotsky``."""
    name: NonEmpty
    """The name in the form the corpus uses most."""
    kind: AgentKind
    aliases: list[NonEmpty] = Field(default_factory=list)
    """Other spellings and transliterations the corpus uses (Ezhov/Yezhov)."""
    wikidata: Annotated[str, StringConstraints(pattern=WIKIDATA_PATTERN)] | None = None
    """Wikidata QID, only where certain."""
    description: NonEmpty
    """One neutral phrase that tells this agent apart from others."""


class Topic(Record):
    """One entry of the controlled topic vocabulary."""

    id: Slug
    label: NonEmpty
    description: NonEmpty
