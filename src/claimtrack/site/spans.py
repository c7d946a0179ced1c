"""Mark up a document's text: every claim span and footnote marker as properly nested elements.

Spans overlap and nest. The text is cut at every span boundary; each piece is wrapped in
the elements covering it, outermost first (earlier start, then longer), and an element
that must close while an inner one stays open is closed and reopened. A claim whose span
crosses another's therefore becomes several fragments, all carrying its id, whose text
joined is exactly its quote: no claim hides another.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise


@dataclass(frozen=True)
class Interval:
    start: int
    end: int
    open_tag: str
    close_tag: str
    rank: int
    """Breaks ties between equal spans: lower is outer (claims 0, footnote links 1)."""
    lead: str = ""
    """Markup written once, inside the first fragment only (a claim's clickable marker)."""

    def order(self) -> tuple[int, int, int, str]:
        return (self.start, -self.end, self.rank, self.open_tag)


def _boundaries(text_length: int, intervals: Sequence[Interval]) -> list[int]:
    points = {0, text_length}
    for interval in intervals:
        points.update((interval.start, interval.end))
    return sorted(point for point in points if 0 <= point <= text_length)


def markup(text: str, intervals: Sequence[Interval]) -> Iterator[str]:
    """HTML pieces of ``text`` (escaped) with ``intervals`` wrapped around their characters."""
    ordered = sorted((item for item in intervals if item.start < item.end), key=Interval.order)
    starts: dict[int, list[Interval]] = {}
    for item in ordered:
        starts.setdefault(item.start, []).append(item)
    active: list[Interval] = []
    stack: list[Interval] = []
    opened: set[int] = set()
    points = _boundaries(len(text), ordered)
    for left, right in pairwise(points):
        active = [item for item in active if item.end > left] + starts.get(left, [])
        wanted = sorted(active, key=Interval.order)
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        for item in reversed(stack[keep:]):
            yield item.close_tag
        for item in wanted[keep:]:
            yield item.open_tag
            if id(item) not in opened:
                opened.add(id(item))
                yield item.lead
        stack = wanted
        yield escape(text[left:right], quote=False)
    for item in reversed(stack):
        yield item.close_tag


def marker_positions(text: str, start: int, marker: str) -> tuple[int, int] | None:
    """Where a footnote marker such as ``[70]`` stands: its first occurrence from the claim's
    start (markers often follow the quoted words), else its first in the text, else None."""
    found = text.find(marker, start)
    if found < 0:
        found = text.find(marker)
    return None if found < 0 else (found, found + len(marker))
