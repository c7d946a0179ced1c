"""Shared field types: identifier patterns, EDTF dates and the strict base model."""

from __future__ import annotations

import calendar
import functools
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

#: 1.1.0: claims gain ``research`` and citations ``basis`` (added fields, nothing removed).
SCHEMA_VERSION = "1.1.0"

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


_PART = r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?[?~%]?"
#: EDTF forms checked without the parser: a calendar date with an optional qualifier
#: (1937, 1937-01-28, 1925?, 1932~), intervals of those, open or unknown at either end
#: (1938-07/1939-11, 1925?/1927, ../1939, 1985/, ../..), and sets of two or more of them
#: ([2016-07-08, 2016-08-07], {1960, 1961}).
_FAST_FORMS = re.compile(
    rf"^(?:{_PART}|(?:{_PART}|\.\.|)/(?:{_PART}|\.\.|)"
    rf"|\[{_PART}(?:, ?{_PART})+\]|\{{{_PART}(?:, ?{_PART})+\}})$"
)
_PART_GROUPS = re.compile(_PART)
#: Always valid as a whole value: a decade or century with unspecified digits and an
#: optional qualifier (193X, 19XX, 198X?), and a season of a year (1932-21 .. 1932-41).
_VALID_WHOLE = re.compile(r"^(?:[0-9]{3}X|[0-9]{2}XX)[?~%]?$|^[0-9]{4}-(?:2[1-9]|3[0-9]|4[01])$")


def _part_error(year: str, month: str | None, day: str | None) -> str | None:
    if day is not None and month is not None:
        last_day = calendar.monthrange(int(year) if int(year) > 0 else 2000, int(month))[
            1
        ]  # year 0 is leap
        if not 1 <= int(day) <= last_day:
            return f"day {day} is not in month {month}"
    return None


@functools.lru_cache(maxsize=65536)
def edtf_error(value: str) -> str | None:
    """Return why ``value`` is not an EDTF (ISO 8601-2) string, or None if it is.

    The edtf parser takes about 20 ms a value, so the common forms (_FAST_FORMS with months
    01-12, _VALID_WHOLE) are checked here; a property test checks that both agree on every
    value of those shapes, except that this rejects 29 February of a common year, which the
    parser lets through. Everything else (other unspecified digits, sets with ranges...)
    goes to the parser.
    """
    if _VALID_WHOLE.match(value):
        return None
    if _FAST_FORMS.match(value) and (value == "../.." or _PART_GROUPS.search(value)):
        parts = _PART_GROUPS.findall(value)
        if all(month == "" or 1 <= int(month) <= 12 for _, month, _ in parts):
            for year, month, day in parts:
                problem = _part_error(year, month or None, day or None)
                if problem is not None:
                    return problem
            return None
    import edtf  # 60 ms to import, and only the rare forms above need it

    try:
        edtf.parse_edtf(value)
    except Exception as error:  # the parser raises several exception types
        return str(error) or type(error).__name__
    return None


def edtf_message(value: str, problem: str) -> str:
    """Why a date is not EDTF, with the fix where it is a common form ("Oct 1917")."""
    from claimtrack.edtf_hints import edtf_fix

    fix = edtf_fix(value)
    if fix is not None and edtf_error(fix) is None:
        return f"not a valid EDTF date: {value!r}; write {fix!r}"
    return f"not a valid EDTF date: {value!r} ({problem})"


def _check_edtf(value: str) -> str:
    problem = edtf_error(value)
    if problem is not None:
        raise ValueError(edtf_message(value, problem))
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
