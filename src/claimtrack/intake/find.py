"""find: agents, sources and topics whose name, alias, title or label is like the text
given, best first, with their ids (rapidfuzz's WRatio, case-insensitive)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from claimtrack.loading import Corpus
from claimtrack.models import Agent, Source, Topic

#: Scores (0-100) below this are not shown: beneath it WRatio matches unrelated names (Furr, Frank).
MIN_SCORE = 80.0


@dataclass(frozen=True, order=True)
class Found:
    sort_key: tuple[float, str, str]
    table: str
    record_id: str
    label: str
    matched: str
    score: float


def _names(record: Agent | Source | Topic) -> tuple[str, list[str]]:
    """The label shown for a record, and every string it may be found by."""
    if isinstance(record, Agent):
        return record.name, [record.name, *record.aliases]
    if isinstance(record, Topic):
        return record.label, [record.label, record.id.replace("-", " ")]
    authors = [author.family or author.literal or "" for author in record.author]
    label = f"{', '.join(filter(None, authors))}: {record.title}" if any(authors) else record.title
    return label, [record.title, label]


def find(corpus: Corpus, text: str, limit: int = 10) -> list[Found]:
    """The records most like ``text``; an exact id ranks first."""
    found: list[Found] = []
    for table in ("agents", "sources", "topics"):
        for located in corpus.records(table):
            record = located.record
            label, names = _names(record)
            if record.id == text:
                scored = [(100.0, record.id)]
            else:
                scored = [
                    (fuzz.WRatio(text, name, processor=utils.default_process), name)
                    for name in names
                ]
            score, matched = max(scored)
            if score >= MIN_SCORE:
                found.append(
                    Found((-score, table, record.id), table, record.id, label, matched, score)
                )
    return sorted(found)[:limit]
