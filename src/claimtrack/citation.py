"""How to cite the dataset or any record of it: CITATION.cff, and `cite` as text, BibTeX,
CSL-JSON or RIS."""

from __future__ import annotations

from typing import Any

import orjson
import yaml

from claimtrack.bibtex import to_bibtex
from claimtrack.citable import Citable, record_citable, release_citable
from claimtrack.csl import STYLES, render_references
from claimtrack.home import UNKNOWN_HOME, dataset_url, hub_url
from claimtrack.lookup import RELEASE_IDS, CiteError, RecordLookup, find
from claimtrack.models import ReleaseInfo
from claimtrack.ris import to_ris

CITE_FORMATS = ("text", "bibtex", "csl-json", "ris")


def _authors(info: ReleaseInfo) -> list[dict[str, str]]:
    """CFF authors: a person has family-names/given-names, a team or organisation a name."""
    keys = {"family": "family-names", "given": "given-names", "name": "name"}
    return [
        {keys[key]: value for key, value in author.model_dump(exclude_none=True).items()}
        for author in info.authors
    ]


def render_cff(info: ReleaseInfo) -> str:
    """CITATION.cff (CFF 1.2.0) for the dataset release described by data/release.yaml."""
    cff: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": info.title,
        "abstract": info.description,
        "version": info.version,
        "date-released": info.date_released,
        "license": info.license,
        "authors": _authors(info),
        "keywords": list(info.keywords),
    }
    if info.repository:
        cff["repository"] = info.repository
    # the release's home, only where it exists (data/release.yaml): never a placeholder
    url = dataset_url(info)
    if url:
        cff["url"] = url
    if info.hub_repository:
        cff["repository-artifact"] = hub_url(info)
    if info.doi:
        cff["doi"] = info.doi
        cff["identifiers"] = [
            {"type": "doi", "value": info.doi, "description": "The dataset (all versions)"}
        ]
    header = "# Generated from data/release.yaml by `claimtrack card`; edit that file instead.\n"
    if not (url or info.hub_repository or info.doi):
        header += (
            "# No url, repository-artifact or doi: the release has no public home yet "
            "(data/release.yaml names none).\n"
        )
    return header + yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=4096)


def citable(lookup: RecordLookup, record_id: str) -> tuple[Citable, tuple[str, ...]]:
    """The citable record an id names (``release`` for the dataset), and the other tables that
    hold the same bare id. CiteError for an unknown or removed id."""
    if record_id in RELEASE_IDS:
        return release_citable(lookup.info), ()
    found = find(lookup, record_id)
    return record_citable(lookup, found), found.also_in


def render_text(item: Citable, info: ReleaseInfo) -> str:
    """What a reader needs: the reference in APA (rendered by citeproc-py), the persistent id,
    the URL or plainly that there is none, what the record holds and how to retrieve it."""
    reference = render_references([item.csl], STYLES["apa"])[0]
    lines = [item.plain_title, "", f"APA: {reference}", ""]
    if item.table != "release":
        lines.append(f"Persistent id: {item.persistent_id}")
    if item.url:
        lines.append(f"URL: {item.url}")
    elif item.table == "sources":
        lines.append("URL: none recorded for this work.")
    else:
        lines.append(f"URL: none. {UNKNOWN_HOME}")
    lines += item.details
    if item.table == "release":
        lines.append(f"Version {info.version}, released {info.date_released}.")
    else:
        lines.append(
            f"Retrieve from a copy of release {info.version}: "
            f"claimtrack.open(PATH).record({item.table!r}, {item.record_id!r})"
        )
    if info.hub_repository:
        lines.append(
            f"From the Hub: datasets.load_dataset({info.hub_repository!r}, "
            f"{('claims' if item.table == 'release' else item.table)!r})"
        )
    return "\n".join(lines) + "\n"


def render(item: Citable, info: ReleaseInfo, output_format: str) -> str:
    """A citable record in ``text``, ``bibtex``, ``csl-json`` or ``ris``."""
    if output_format == "text":
        return render_text(item, info)
    if output_format == "bibtex":
        return to_bibtex(item)
    if output_format == "ris":
        return to_ris(item)
    return orjson.dumps([item.csl], option=orjson.OPT_INDENT_2).decode() + "\n"


def cite(lookup: RecordLookup, record_id: str, output_format: str) -> str:
    """The citation of one record (or ``release``) in one of CITE_FORMATS."""
    item, _ = citable(lookup, record_id)
    return render(item, lookup.info, output_format)


__all__ = ["CITE_FORMATS", "CiteError", "citable", "cite", "render_cff"]
