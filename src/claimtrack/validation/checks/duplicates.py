"""Likely duplicates: two agents with the same normalized name, two sources with the same work."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from claimtrack.issues import Issue
from claimtrack.loading import Corpus, Located
from claimtrack.models import Agent, Source


def normalized(value: str) -> str:
    """Case, accents, punctuation and spacing folded: 'Holmström' and 'Holmstrom' compare equal."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def _agent_keys(agent: Agent) -> set[str]:
    return {normalized(agent.name)}


def source_key(source: dict[str, Any]) -> tuple[str, ...]:
    """Title, first author, year, and the volume and container (a set's volumes are distinct works).

    Takes a source as a dict with CSL field names, so that data/ and contributed records
    (checked before any model is built) share one rule.
    """
    authors = source.get("author") or [{}]
    first = authors[0] if isinstance(authors[0], dict) else {}
    return (
        normalized(str(source.get("title") or "")),
        normalized(str(first.get("family") or first.get("literal") or "")),
        str(source.get("issued") or "")[:4],
        str(source.get("volume") or ""),
        normalized(str(source.get("container-title") or "")),
    )


def likely_duplicates(corpus: Corpus) -> Iterator[Issue]:
    seen_agents: dict[str, Located[Agent]] = {}
    for agent in corpus.records("agents"):
        for name in _agent_keys(agent.record):
            first_agent = seen_agents.setdefault(name, agent)
            if first_agent is not agent:
                yield Issue(
                    agent.file,
                    agent.line_at("/name"),
                    None,
                    "LIKELY_DUPLICATE",
                    f"agent {agent.record.id!r} has the same name as {first_agent.record.id!r} "
                    f"({first_agent.file}:{first_agent.line}); merge them, or make the names tell them apart",
                    agent.root_pointer("/name"),
                    agent.record.id,
                )
    seen_sources: dict[tuple[str, ...], Located[Source]] = {}
    for source in corpus.records("sources"):
        first_source = seen_sources.setdefault(
            source_key(source.record.model_dump(by_alias=True)), source
        )
        if first_source is not source:
            yield Issue(
                source.file,
                source.line_at("/title"),
                None,
                "LIKELY_DUPLICATE",
                f"source {source.record.id!r} has the same title, first author and year as "
                f"{first_source.record.id!r} ({first_source.file}:{first_source.line}); "
                "cite one source with several locators",
                source.root_pointer("/title"),
                source.record.id,
            )
