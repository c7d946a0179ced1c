"""BibTeX (biblatex-compatible) entries for a cited record or source, with capitals brace-protected."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from claimtrack.citable import Citable, Segment

#: CSL item type -> BibTeX entry type; any other type is @misc.
ENTRY_TYPES = {
    "book": "book",
    "chapter": "incollection",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "thesis": "thesis",
}
_SPECIAL = re.compile(r"([\\{}%&#_$])")
_PLAIN_DATE = re.compile(r"^(\d{4})(?:-\d{2}(?:-\d{2})?)?$")


def escape(value: str) -> str:
    """LaTeX specials escaped (a backslash becomes ``\\textbackslash{}``)."""
    return _SPECIAL.sub(
        lambda match: r"\textbackslash{}" if match.group(1) == "\\" else "\\" + match.group(1),
        value,
    )


def protect(segments: Sequence[Segment]) -> str:
    """A title for BibTeX: a protected segment (an id, a product name) braced whole, and every
    word holding a capital letter braced, so styles that change case keep proper names
    (``{Getty}``, ``{DPRK}``, ``{Cuba}``) as written."""
    parts = []
    for text, protected in segments:
        if protected:
            parts.append("{" + escape(text) + "}")
            continue
        parts.append(
            re.sub(
                r"\w(?:[\w'’.-]*\w)?",
                lambda match: (
                    "{" + match.group(0) + "}"
                    if any(char.isupper() for char in match.group(0))
                    else match.group(0)
                ),
                escape(text),
            )
        )
    return "".join(parts)


def _names(names: Sequence[dict[str, Any]]) -> str:
    return " and ".join(
        "{" + escape(name["literal"]) + "}"
        if name.get("literal")
        else escape(", ".join(part for part in (name.get("family"), name.get("given")) if part))
        for name in names
    )


def _date_fields(edtf_value: str | None) -> dict[str, str]:
    if edtf_value is None:
        return {}
    match = _PLAIN_DATE.match(edtf_value)
    # biblatex reads EDTF in `date` (1925?, 1932~); `year` is for BibTeX styles that need one
    return {"date": edtf_value, **({"year": match.group(1)} if match else {})}


def _key(citable: Citable) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", citable.persistent_id).strip("-")


def _source_fields(citable: Citable) -> tuple[str, dict[str, str]]:
    csl = citable.csl
    entry_type = ENTRY_TYPES.get(csl["type"], "misc")
    fields: dict[str, str] = {}
    if csl.get("author"):
        fields["author"] = _names(csl["author"])
    if csl.get("editor"):
        fields["editor"] = _names(csl["editor"])
    fields["title"] = protect(citable.title)
    fields.update(_date_fields(citable.issued))
    container_field = {"article": "journal", "incollection": "booktitle"}.get(entry_type)
    if csl.get("container-title"):
        fields[container_field or "howpublished"] = protect([(csl["container-title"], False)])
    plain = {
        "publisher": "publisher",
        "publisher-place": "address",
        "volume": "volume",
        "issue": "number",
        "edition": "edition",
        "collection-title": "series",
        "DOI": "doi",
        "URL": "url",
        "ISBN": "isbn",
    }
    for csl_name, bibtex_name in plain.items():
        if csl.get(csl_name):
            value = csl[csl_name]
            fields[bibtex_name] = value if bibtex_name in ("doi", "url") else escape(value)
    if csl.get("page"):
        fields["pages"] = escape(re.sub(r"(?<=\d)-(?=\d)", "--", csl["page"]))
    archive = ", ".join(csl[name] for name in ("archive", "archive_location") if csl.get(name))
    note = (f"Archive: {archive}. " if archive else "") + csl["note"]
    fields["note"] = escape(note)
    return entry_type, fields


def to_bibtex(citable: Citable) -> str:
    """One BibTeX entry: @misc for the dataset and its records, the work's own type for a source."""
    if citable.table == "sources":
        entry_type, fields = _source_fields(citable)
    else:
        csl = citable.csl
        entry_type = "misc"
        fields = {
            "author": _names(csl["author"]),
            "title": protect(citable.title),
            **_date_fields(citable.issued),
        }
        if citable.container is not None:
            fields["howpublished"] = protect(citable.container)
        if citable.url:
            fields["url"] = citable.url
        if csl.get("DOI"):
            fields["doi"] = csl["DOI"]
        if csl.get("note"):
            fields["note"] = escape(csl["note"])
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@{entry_type}{{{_key(citable)},\n{body}\n}}\n"
