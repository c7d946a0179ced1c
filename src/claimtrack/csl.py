"""CSL-JSON for citation processors, and the corpus bibliography rendered with citeproc-py."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from claimtrack.models import Source

#: A style citeproc-py ships, so rendering works offline.
BIBLIOGRAPHY_STYLE = "harvard-cite-them-right"
#: CSL styles shipped with the package (CC BY-SA 3.0, see styles/LICENSE.md), by short name.
STYLES_DIR = Path(__file__).parent / "styles"
STYLES = {
    "apa": STYLES_DIR / "apa.csl",
    "chicago": STYLES_DIR / "chicago-author-date.csl",
    "vancouver": STYLES_DIR / "vancouver.csl",
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def csl_date(edtf_value: str | None) -> dict[str, Any] | None:
    """CSL date: date-parts for plain dates, the EDTF string as a literal otherwise (1925?, 193X)."""
    if edtf_value is None:
        return None
    match = _DATE.match(edtf_value)
    if match is None:
        return {"literal": edtf_value}
    return {"date-parts": [[int(part) for part in match.groups() if part is not None]]}


def source_to_csl(source: Source) -> dict[str, Any]:
    """Standard CSL-JSON: the record's own field names, with ``issued`` as a CSL date object."""
    record = source.model_dump(mode="json", by_alias=True, exclude_none=True)
    record.pop("identifiers", None)
    for role in ("author", "editor"):
        if not record.get(role):
            record.pop(role, None)
    issued = csl_date(source.issued)
    if issued is None:
        record.pop("issued", None)
    else:
        record["issued"] = issued
    return record


def render_references(items: Sequence[dict[str, Any]], style: str | Path) -> list[str]:
    """CSL-JSON items formatted by citeproc-py as plain text, in the order the style sorts them.

    ``style`` is a style citeproc-py ships (by name) or a .csl file.
    """
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(
        CitationStylesStyle(str(style), validate=False),
        CiteProcJSON(list(items)),
        formatter.plain,
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def render_bibliography(sources: Iterable[Source]) -> list[str]:
    """Each source formatted by citeproc-py in the bundled Harvard style, sorted by the style."""
    items = [source_to_csl(source) for source in sorted(sources, key=lambda source: source.id)]
    return render_references(items, BIBLIOGRAPHY_STYLE)
