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


def agent_key(name: str) -> str:
    """Two agents whose names give the same key are likely one person or body."""
    return normalized(name)


def same_name(agent: Located[Any], agent_id: str, first: Located[Any], first_id: str) -> Issue:
    """LIKELY_DUPLICATE for agent ``agent_id`` at ``agent``, named as ``first_id`` at
    ``first`` (the lines of both are looked up only now)."""
    return Issue(
        agent.file,
        agent.line_at("/name"),
        None,
        "LIKELY_DUPLICATE",
        f"agent {agent_id!r} has the same name as {first_id!r} "
        f"({first.file}:{first.line_of()}); merge them, or make the names tell them apart",
        agent.root_pointer("/name"),
        agent_id,
    )


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


_ITEM_NUMBER = re.compile(r"\s+[0-9]+[a-z]?$")


def _item_of(source: Source) -> str | None:
    """The title without its trailing item number ('Trotsky Archive 4782'), folded; None
    when the title ends in no item number."""
    title = source.title or ""
    stripped = _ITEM_NUMBER.sub("", title)
    return normalized(stripped) if stripped != title else None


def _first_author(source: Source) -> str:
    first = source.author[0] if source.author else None
    return normalized((first.family or first.literal or "") if first else "")


def _same_work(first: Source, second: Source) -> str | None:
    """Why two sources look like one work, or None: archive items recorded as sources, a
    title written two ways, or one title that starts another by the same author."""
    item_a, item_b = _item_of(first), _item_of(second)
    if item_a and item_a == item_b:
        return "two items of one archive or series recorded as sources (item numbers are locators of one source)"
    for item, other in ((item_a, second), (item_b, first)):
        if item and any(
            item in normalized(value) for value in (other.title, other.archive) if value
        ):
            return "an archive item recorded beside its archive (item numbers are locators of one source)"
    if (
        first.archive
        and second.archive
        and normalized(first.archive) == normalized(second.archive)
        and bool(first.archive_location) != bool(second.archive_location)
    ):
        return "an item of the same archive (item numbers are locators of one archive source)"
    author = _first_author(first)
    if not author or author != _first_author(second) or not first.title or not second.title:
        return None
    title_a, title_b = normalized(first.title), normalized(second.title)
    if title_a == title_b and first.title != second.title:
        return "the same author and title, written two ways (write it one way)"
    if first.volume != second.volume or first.container_title != second.container_title:
        return None
    shorter, longer = sorted((title_a, title_b), key=len)
    if longer.startswith(shorter + " ") and not (first.issued and second.issued):
        return "the same author, and one title begins the other (one of them undated)"
    return None


def _near_duplicate_sources(corpus: Corpus) -> Iterator[Issue]:
    sources = list(corpus.records("sources"))
    by_author: dict[str, list[int]] = {}
    by_archive: dict[str, list[int]] = {}
    for position, located in enumerate(sources):
        by_author.setdefault(_first_author(located.record), []).append(position)
        if located.record.archive:
            by_archive.setdefault(normalized(located.record.archive), []).append(position)
    pairs: set[tuple[int, int]] = set()
    for group in [*(g for k, g in by_author.items() if k), *by_archive.values()]:
        pairs.update(
            (first, second) for index, first in enumerate(group) for second in group[index + 1 :]
        )
    for first_index, second_index in sorted(pairs):
        first, second = sources[first_index], sources[second_index]
        if source_key(first.record.model_dump(by_alias=True)) == source_key(
            second.record.model_dump(by_alias=True)
        ):
            continue  # reported by the exact rule
        why = _same_work(first.record, second.record)
        if why is not None:
            yield Issue(
                second.file,
                second.line_at("/title"),
                None,
                "LIKELY_DUPLICATE",
                f"source {second.record.id!r} and {first.record.id!r} ({first.file}:{first.line_of()}) "
                f"look like one work: {why}; keep one source and give the rest as locators",
                "/title",
                second.record.id,
            )


def likely_duplicates(corpus: Corpus) -> Iterator[Issue]:
    seen_agents: dict[str, Located[Agent]] = {}
    for agent in corpus.records("agents"):
        first_agent = seen_agents.setdefault(agent_key(agent.record.name), agent)
        if first_agent is not agent:
            yield same_name(agent, agent.record.id, first_agent, first_agent.record.id)
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
                f"{first_source.record.id!r} ({first_source.file}:{first_source.line_of()}); "
                "cite one source with several locators",
                source.root_pointer("/title"),
                source.record.id,
            )
    yield from _near_duplicate_sources(corpus)
