"""How to cite the dataset, a claim, a document or a source: CITATION.cff, text, BibTeX, CSL-JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson
import yaml

from claimtrack.csl import source_to_csl
from claimtrack.loading import Corpus
from claimtrack.models import ReleaseInfo

CITE_FORMATS = ("text", "bibtex", "csl-json")
RELEASE_IDS = ("release", "claimtrack")


def _authors(info: ReleaseInfo) -> list[dict[str, str]]:
    """CFF authors: a person has family-names/given-names, a team or organisation a name."""
    keys = {"family": "family-names", "given": "given-names", "name": "name"}
    return [
        {keys[key]: value for key, value in author.model_dump(exclude_none=True).items()}
        for author in info.authors
    ]


def render_cff(info: ReleaseInfo) -> str:
    """CITATION.cff (CFF 1.2.0) for the dataset release described by data/release.yaml."""
    cff = {
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
    header = "# Generated from data/release.yaml by `claimtrack card`; edit that file instead.\n"
    return header + yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=4096)


class CiteError(Exception):
    """An id that cannot be cited: unknown, or removed (the message names its replacement)."""


@dataclass(frozen=True)
class Citable:
    table: str
    record_id: str
    title: str
    note: str
    retrieve: str


def _find(corpus: Corpus, record_id: str) -> Citable:
    assert corpus.release is not None
    version = corpus.release.version
    folder = f"dist/claimtrack-{version}"
    if record_id in RELEASE_IDS:
        return Citable(
            "release",
            "claimtrack",
            corpus.release.title,
            f"Dataset version {version}.",
            f"datasets.load_dataset('{folder}', 'claims')",
        )
    for table in ("claims", "documents", "sources"):
        for located in corpus.records(table):
            record = located.record
            if record.id != record_id:
                continue
            retrieve = f"datasets.load_dataset('{folder}', '{table}', split='train').filter(lambda row: row['id'] == '{record_id}')"
            if table == "claims":
                document = next(
                    doc.record for doc in corpus.documents if doc.record.id == record.document_id
                )
                note = f"Claim in “{document.title}” (document {document.id}), characters {record.span.start}-{record.span.end}: “{record.span.exact}”"
                return Citable(table, record_id, record.statement, note, retrieve)
            if table == "documents":
                return Citable(
                    table,
                    record_id,
                    record.title,
                    f"Document of the claimtrack corpus ({record.document_type.value}).",
                    retrieve,
                )
            return Citable(
                table,
                record_id,
                record.title,
                "Source record of the claimtrack bibliography.",
                retrieve,
            )
    for located in corpus.records("tombstones"):
        stone = located.record
        if stone.id == record_id:
            replacement = f"; cite {stone.replaced_by} instead" if stone.replaced_by else ""
            raise CiteError(
                f"{record_id} was removed in release {stone.release} ({stone.reason}){replacement}"
            )
    raise CiteError(
        f"{record_id} is not a claim, document or source id of this dataset (or `release` for the whole dataset)"
    )


def _bibtex_escape(value: str) -> str:
    return re.sub(r"([{}%&#_$])", r"\\\1", value)


def cite(corpus: Corpus, record_id: str, output_format: str) -> str:
    """The citation of one record (or the release) in ``text``, ``bibtex`` or ``csl-json``."""
    assert corpus.release is not None
    info = corpus.release
    item = _find(corpus, record_id)
    persistent_id = (
        "claimtrack" if item.table == "release" else f"claimtrack:{item.table}/{item.record_id}"
    )
    authors = ", ".join(
        author.name or f"{author.family}, {author.given}" for author in info.authors
    )
    year = info.date_released[:4]
    if output_format == "text":
        lines = [
            f"{authors} ({year}). {info.pretty_name}, version {info.version} [dataset].",
            f"Record: {persistent_id}" + ("" if item.table == "release" else f" — {item.title}"),
            item.note,
            f"Retrieve: {item.retrieve}",
        ]
        return "\n".join(lines) + "\n"
    if output_format == "bibtex":
        key = re.sub(r"[^A-Za-z0-9]+", "-", persistent_id).strip("-")
        fields = {
            "title": item.title if item.table != "release" else info.title,
            # a team name is braced so BibTeX does not split it into given and family names
            "author": " and ".join(
                f"{{{author.name}}}" if author.name else f"{author.family}, {author.given}"
                for author in info.authors
            ),
            "year": year,
            "version": info.version,
            "howpublished": f"{info.pretty_name} dataset, version {info.version}",
            "note": f"{persistent_id}. {item.note} Retrieve: {item.retrieve}",
        }
        body = ",\n".join(
            f"  {name} = {{{value if name == 'author' else _bibtex_escape(value)}}}"
            for name, value in fields.items()
        )
        return f"@misc{{{key},\n{body}\n}}\n"
    csl: dict[str, Any] = {
        "id": persistent_id,
        "type": "dataset",
        "title": item.title if item.table != "release" else info.title,
        "author": [
            {"literal": author.name}
            if author.name
            else {"family": author.family, "given": author.given}
            for author in info.authors
        ],
        "issued": {"date-parts": [[int(part) for part in info.date_released.split("-")]]},
        "version": info.version,
        "publisher": info.pretty_name,
        "note": f"{item.note} Retrieve: {item.retrieve}",
    }
    items = [csl]
    if item.table == "sources":
        source = next(
            located.record
            for located in corpus.records("sources")
            if located.record.id == record_id
        )
        items.append(source_to_csl(source))
    return orjson.dumps(items, option=orjson.OPT_INDENT_2).decode() + "\n"
