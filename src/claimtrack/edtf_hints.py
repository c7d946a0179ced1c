"""The EDTF form of a date written the common ways EDTF does not take ("Oct 1917" is
1917-10, "c. 1925" is 1925~, "1920s" is 192X), for messages that show the fix."""

from __future__ import annotations

import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]+)\.?"
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DASH = r"\s*[-–—]\s*"
_APPROXIMATE = r"(?:c\.|ca\.|circa|about|around|approx\.|approximately)"

_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"^\s*{pattern}\s*$", re.I), form)
    for pattern, form in (
        (rf"{_MONTH}\s+{_YEAR}", "{year}-{month}"),
        (rf"{_DAY}\s+{_MONTH}\s+{_YEAR}", "{year}-{month}-{day}"),
        (rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}", "{year}-{month}-{day}"),
        (rf"{_APPROXIMATE}\s*{_YEAR}", "{year}~"),
        (r"(?:the\s+)?(?P<decade>\d{3})0'?s", "{decade}X"),
        (rf"{_YEAR}\s*\?", "{year}?"),
        (rf"{_YEAR}{_DASH}(?P<end>\d{{4}})", "{year}/{end}"),
        (rf"{_YEAR}\s*(?:[-–—/])\s*(?P<short>\d{{2}})", "{year}/{century}{short}"),
        (r"(?:before|until|by)\s+(?P<year>\d{4})", "../{year}"),
        (r"(?:after|since|from)\s+(?P<year>\d{4})", "{year}/.."),
        (r"(?P<year>\d{4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?", "{year}-{month}{dash_day}"),
        (
            r"(?P<start>\d{4}(?:-\d{2}){0,2})\s*[–—]\s*(?P<end>\d{4}(?:-\d{2}){0,2})",
            "{start}/{end}",
        ),
    )
)


def edtf_fix(value: str) -> str | None:
    """The EDTF string ``value`` most likely means, or None when no common form fits."""
    for pattern, form in _FORMS:
        match = pattern.match(value)
        if match is None:
            continue
        parts = {key: part for key, part in match.groupdict().items() if part is not None}
        month = parts.get("month")
        if month is not None and not month.isdigit():
            number = _MONTHS.get(month.lower())
            if number is None:
                continue
            parts["month"] = f"{number:02d}"
        elif month is not None:
            parts["month"] = f"{int(month):02d}"
        if "day" in parts:
            parts["day"] = f"{int(parts['day']):02d}"
        if "short" in parts:
            if int(parts["short"]) <= int(parts["year"][2:]):
                continue  # 1917-12 is a month; 1917-05 is not a range
            parts["century"] = parts["year"][:2]
        parts["dash_day"] = f"-{parts['day']}" if "day" in parts else ""
        fixed = form.format(**parts)
        if fixed != value:
            return fixed
    return None
