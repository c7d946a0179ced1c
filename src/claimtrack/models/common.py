"""Shared field types: identifier patterns, EDTF dates and the strict base model."""

from __future__ import annotations

import calendar
import functools
import re
from typing import Annotated

import edtf
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_VERSION = "1.0.0"

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CLAIM_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"
BCP47_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
ISO_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
SEMVER_PATTERN = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"

#: One documented pattern per table's ids (the README and data card list them).
ID_PATTERNS: dict[str, str] = {
    "documents": SLUG_PATTERN,
    "claims": CLAIM_ID_PATTERN,
    "sources": SLUG_PATTERN,
    "agents": SLUG_PATTERN,
    "topics": SLUG_PATTERN,
    "historiography": SLUG_PATTERN,
    "claim_relations": SLUG_PATTERN,
    "propositions": CLAIM_ID_PATTERN,
}

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
ClaimId = Annotated[str, StringConstraints(pattern=CLAIM_ID_PATTERN, max_length=240)]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
IsoDate = Annotated[str, StringConstraints(pattern=ISO_DATE_PATTERN)]


_PLAIN_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def _plain_date_error(match: re.Match[str]) -> str | None:
    """EDTF level 0 calendar dates (YYYY, YYYY-MM, YYYY-MM-DD; month 01-12), checked without the parser.

    Months 21-41 are EDTF seasons and go to the parser.

    The edtf parser takes about 20 ms a value; these forms are most of the corpus's dates.
    A test checks that this agrees with the parser on every date of this shape it tries.
    """
    year, month, day = (int(part) if part else None for part in match.groups())
    if day is not None and month is not None:
        assert year is not None  # the pattern always captures the year
        last_day = calendar.monthrange(year if year > 0 else 2000, month)[
            1
        ]  # year 0 is a leap year
        if not 1 <= day <= last_day:
            return f"day {day:02d} is not in month {month:02d}"
    return None


@functools.lru_cache(maxsize=65536)
def edtf_error(value: str) -> str | None:
    """Return why ``value`` is not an EDTF (ISO 8601-2) string, or None if it is."""
    plain = _PLAIN_DATE.match(value)
    if plain is not None and (plain.group(2) is None or 1 <= int(plain.group(2)) <= 12):
        return _plain_date_error(plain)
    try:
        edtf.parse_edtf(value)
    except Exception as error:  # the parser raises several exception types
        return str(error) or type(error).__name__
    return None


def _check_edtf(value: str) -> str:
    problem = edtf_error(value)
    if problem is not None:
        raise ValueError(f"not a valid EDTF date: {value!r} ({problem})")
    return value


Edtf = Annotated[
    str,
    AfterValidator(_check_edtf),
    Field(
        json_schema_extra={"format": "edtf"},
        description="An EDTF (ISO 8601-2) date: 1937, 1937-01-28, 1925?, 1932~, 1938-07/1939-11.",
    ),
]


class Record(BaseModel):
    """Base of every record: unknown fields are errors, values are checked on assignment."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        serialize_by_alias=True,
        validate_by_alias=True,
        validate_by_name=False,
        use_attribute_docstrings=True,
    )
