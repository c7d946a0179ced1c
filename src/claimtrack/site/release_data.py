"""Read a release folder's JSONL tables into id-keyed indexes the site pages are built from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from claimtrack.release.layout import jsonl_paths

Row = dict[str, Any]
TABLES = (
    "documents",
    "claims",
    "agents",
    "sources",
    "topics",
    "historiography",
    "claim_relations",
    "propositions",
)
#: Relations of a scholarly work that put a claim in question: the claim gets a marker.
CONTESTING = frozenset({"contradicts", "qualifies"})


class SiteError(Exception):
    """A release folder the site cannot be generated from; the message says what to do."""


def read_jsonl(path: Path) -> list[Row]:
    if not path.is_file():
        raise SiteError(
            f"{path}: missing; give a release folder written by `claimtrack build` (it has jsonl/)"
        )
    rows = []
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                raise SiteError(
                    f"{path}:{number}: not JSON ({error}); rebuild the release"
                ) from None
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise SiteError(f"{path}:{number}: not a record with an id; rebuild the release")
            rows.append(row)
    return rows


@dataclass
class ReleaseData:
    """Every table by id, and the reverse indexes the cross-cut pages need."""

    version: str
    tables: dict[str, dict[str, Row]]
    claims_by_document: dict[str, list[Row]] = field(default_factory=dict)
    links_by_claim: dict[str, list[Row]] = field(default_factory=dict)
    links_by_work: dict[str, list[Row]] = field(default_factory=dict)
    relations_by_claim: dict[str, list[Row]] = field(default_factory=dict)
    proposition_of: dict[str, Row] = field(default_factory=dict)
    claims_by_agent: dict[str, list[Row]] = field(default_factory=dict)
    claims_by_source: dict[str, list[Row]] = field(default_factory=dict)
    claims_by_topic: dict[str, list[Row]] = field(default_factory=dict)

    def row(self, table: str, record_id: str) -> Row | None:
        return self.tables[table].get(record_id)

    def contested(self, claim_id: str) -> bool:
        return any(link["relation"] in CONTESTING for link in self.links_by_claim.get(claim_id, []))


def agents_of(claim: Row) -> list[str]:
    """The claimant and every agent of the via chain, each once, in chain order."""
    attribution = claim["attribution"]
    ids = [attribution["claimant_id"], *(hop["agent_id"] for hop in attribution.get("via", []))]
    return list(dict.fromkeys(ids))


def _index(rows: list[Row], keys_of: Any) -> dict[str, list[Row]]:
    index: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        for key in keys_of(row):
            index[key].append(row)
    return dict(index)


def load_release(release: Path) -> ReleaseData:
    """Read every table's JSONL (one file, or its shards); raise SiteError naming the file for
    anything unreadable."""
    version = _release_version(release)
    rows = {table: _table_rows(release, table) for table in TABLES}
    return release_data(version, rows)


def _table_rows(release: Path, table: str) -> list[Row]:
    paths = jsonl_paths(release, table) or [release / "jsonl" / f"{table}.jsonl"]
    return [row for path in paths for row in read_jsonl(path)]


def _release_version(release: Path) -> str:
    if not release.is_dir():
        raise SiteError(
            f"{release}: no such folder; give a release folder such as dist/claimtrack-<version>"
        )
    manifest_path = release / "manifest.json"
    try:
        version = str(orjson.loads(manifest_path.read_bytes())["version"])
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        raise SiteError(
            f"{manifest_path}: missing or unreadable; give a release folder written by `claimtrack build`"
        ) from None
    return version


def release_data(version: str, rows: dict[str, list[Row]]) -> ReleaseData:
    """The indexes over a release's rows (as in its JSONL files; other tables are ignored)."""
    # records are sorted by id in a release; sort again so any input gives the same pages
    tables = {
        table: {row["id"]: row for row in sorted(rows.get(table, []), key=lambda row: row["id"])}
        for table in TABLES
    }
    claims = list(tables["claims"].values())
    links = list(tables["historiography"].values())
    relations = list(tables["claim_relations"].values())
    data = ReleaseData(version, tables)
    data.claims_by_document = _index(claims, lambda claim: [claim["document_id"]])
    data.links_by_claim = _index(links, lambda link: [link["claim_id"]])
    data.links_by_work = _index(links, lambda link: [link["source_id"]])
    data.relations_by_claim = _index(
        relations, lambda relation: {relation["from_claim_id"], relation["to_claim_id"]}
    )
    data.proposition_of = {
        claim_id: proposition
        for proposition in tables["propositions"].values()
        for claim_id in proposition["claim_ids"]
    }
    data.claims_by_agent = _index(claims, agents_of)
    data.claims_by_source = _index(
        claims, lambda claim: {citation["source_id"] for citation in claim["citations"]}
    )
    data.claims_by_topic = _index(claims, lambda claim: set(claim["topics"]))
    return data
