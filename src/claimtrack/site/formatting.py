"""Readable forms of record values: EDTF dates in words, sources formatted by citeproc-py."""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup
from pydantic import ValidationError

from claimtrack.csl import BIBLIOGRAPHY_STYLE, source_to_csl
from claimtrack.models import Source

_PART = re.compile(
    r"^(?P<year>-?[0-9X]{4})(?:-(?P<month>[0-9X]{2}))?(?:-(?P<day>[0-9X]{2}))?(?P<q>[?~%]?)$"
)
_QUALIFIER = {"?": "uncertain", "~": "approximately", "%": "approximately, uncertain"}


def _readable_part(part: str) -> str:
    match = _PART.match(part)
    if match is None:
        return part
    year, month, day, qualifier = match.group("year", "month", "day", "q")
    if "X" in year:
        digits = year.rstrip("X")
        words = (
            f"the {digits}{'0' * (4 - len(digits))}s"
            if len(digits) == 3
            else f"{year} (unspecified digits)"
        )
    else:
        words = year
    if month and "X" not in month and 1 <= int(month) <= 12:
        words = f"{calendar.month_name[int(month)]} {words}"
    if day and "X" not in day:
        words = f"{int(day)} {words}"
    if qualifier:
        words = f"{words} ({_QUALIFIER[qualifier]})"
    return words


@functools.cache  # a corpus repeats few dates, and the edtf grammar parses slowly (~14 ms)
def readable_edtf(value: str | None) -> str | None:
    """``1937-01`` → ``January 1937``; ``1925?`` → ``1925 (uncertain)``; ``193X`` → ``the 1930s``.

    Values the edtf package does not parse are shown as written.
    """
    if value is None:
        return None
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parse_edtf(value)
    except EDTFParseException:
        return value
    if "/" in value:
        lower, upper = value.split("/", 1)
        if lower in ("", ".."):
            return f"until {_readable_part(upper)}"
        if upper in ("", ".."):
            return f"from {_readable_part(lower)}"
        return f"{_readable_part(lower)} to {_readable_part(upper)}"
    return _readable_part(value)


def format_sources(rows: Iterable[dict[str, Any]]) -> dict[str, Markup]:
    """Every source formatted as HTML by citeproc-py in the card's bibliography style, by id."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = []
    fallback: dict[str, Markup] = {}
    for row in rows:
        try:
            items.append(source_to_csl(Source.model_validate(row)))
        except ValidationError:
            # a source the model rejects is still listed, by its title, rather than dropped
            fallback[row["id"]] = Markup.escape(str(row.get("title") or row["id"]))
    if not items:
        return fallback
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(BIBLIOGRAPHY_STYLE, validate=False),
        CiteProcJSON(items),
        formatter.html,
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    entries = bibliography.bibliography()
    # citeproc's html formatter escapes the record text (html.escape) and adds only <i>/<b>
    formatted = {
        item.key: Markup(str(entry))
        for item, entry in zip(bibliography.items, entries, strict=True)
    }
    return {**fallback, **formatted}
