"""RIS (the tagged format reference managers import) for a cited record or source."""

from __future__ import annotations

import re
from typing import Any

from claimtrack.citable import Citable

#: CSL item type -> RIS type; any other type is GEN (generic).
RIS_TYPES = {
    "dataset": "DATA",
    "book": "BOOK",
    "chapter": "CHAP",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "report": "RPRT",
    "thesis": "THES",
    "manuscript": "MANSCPT",
    "legislation": "STAT",
    "paper-conference": "CPAPER",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "periodical": "JFULL",
}
_PLAIN_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TAGS = {
    "collection-title": "T3",
    "volume": "VL",
    "issue": "IS",
    "edition": "ET",
    "publisher": "PB",
    "publisher-place": "CY",
    "ISBN": "SN",
    "DOI": "DO",
    "language": "LA",
}


def _name(name: dict[str, Any]) -> str:
    if name.get("literal"):
        return str(name["literal"])
    return ", ".join(part for part in (name.get("family"), name.get("given")) if part)


def _dates(edtf_value: str | None) -> list[tuple[str, str]]:
    """PY (the year) and, with a month, DA (``YYYY/MM/DD/``); an uncertain or approximate EDTF
    date (1925?, 1932~) has no RIS form and goes into the note instead."""
    match = _PLAIN_DATE.match(edtf_value or "")
    if match is None:
        return []
    year, month, day = match.groups()
    return [("PY", year)] + ([("DA", f"{year}/{month}/{day or ''}/")] if month else [])


def to_ris(citable: Citable) -> str:
    csl = citable.csl
    lines = [("TY", RIS_TYPES.get(csl["type"], "GEN")), ("ID", citable.persistent_id)]
    lines.append(("TI", citable.plain_title))
    lines += [("AU", _name(name)) for name in csl.get("author", [])]
    lines += [("ED", _name(name)) for name in csl.get("editor", [])]
    lines += _dates(citable.issued)
    container = (
        "".join(text for text, _ in citable.container)
        if citable.container
        else csl.get("container-title")
    )
    if container:
        lines.append(("T2", container))
    if citable.version:
        # readers map a DATA record's ET to the CSL version (APA prints it; T2 they drop)
        lines.append(("ET", citable.version))
    lines += [(tag, str(csl[name])) for name, tag in _TAGS.items() if csl.get(name)]
    if csl.get("page"):
        start, _, end = str(csl["page"]).partition("-")
        lines += [("SP", start.strip())] + ([("EP", end.strip())] if end else [])
    if citable.url:
        lines.append(("UR", citable.url))
    note = csl.get("note", "")
    if citable.issued and not _dates(citable.issued):
        note = f"Date (EDTF): {citable.issued}. {note}".strip()
    if note:
        lines.append(("N1", note))
    lines.append(("ER", ""))
    # RIS: a two-letter tag, two spaces, a hyphen, a space, the value; one field a line
    return "".join(f"{tag}  - {' '.join(value.split())}\n" for tag, value in lines)
