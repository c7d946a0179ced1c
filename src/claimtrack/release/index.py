"""A release's id index: every record's id and a hash of each field, small enough to commit.

Each release carries ``index.jsonl``; a copy committed as ``data/releases/<version>.jsonl``
records what was published, so that a build in a fresh clone (no ``dist/``) still compares
with the previous release: ids removed without a tombstone, the version bump, the changelog.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from claimtrack.release.diff import ReleaseReadError, Rows

INDEX_NAME = "index.jsonl"
_LINE = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def field_hash(value: Any) -> str:
    """A short, stable hash of a field's JSON value (keys sorted)."""
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def fingerprint(record: dict[str, Any]) -> dict[str, str]:
    return {key: field_hash(value) for key, value in record.items()}


def fingerprint_rows(rows: Rows) -> Rows:
    """Each record replaced by the hashes of its fields: what the diff compares."""
    return {
        table: {record_id: fingerprint(record) for record_id, record in records.items()}
        for table, records in rows.items()
    }


def render_index(
    version: str, schema_version: str, tables: dict[str, Iterable[dict[str, Any]]]
) -> bytes:
    """The header line, then one line per record: table, id and field hashes, sorted."""
    lines = [orjson.dumps({"version": version, "schema_version": schema_version}, option=_LINE)]
    for table, records in tables.items():
        for record in sorted(records, key=lambda row: str(row["id"])):
            line = {"table": table, "id": record["id"], "fields": fingerprint(record)}
            lines.append(orjson.dumps(line, option=_LINE))
    return b"".join(lines)


def read_index(path: Path) -> tuple[dict[str, Any], Rows]:
    """The header (version, schema_version) and the fingerprinted rows of an index file."""

    def bad(number: int | None, message: str) -> ReleaseReadError:
        return ReleaseReadError(path, number, "SCHEMA", message)

    lines = path.read_bytes().splitlines()
    rows: Rows = {}
    header: dict[str, Any] = {}
    for number, line in enumerate(lines, start=1):
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raise ReleaseReadError(
                path, number, "JSON_SYNTAX", f"invalid JSON: {error.msg}"
            ) from None
        if number == 1:
            if not (isinstance(item, dict) and isinstance(item.get("version"), str)):
                raise bad(1, "the first line must name the version and schema_version")
            header = item
            continue
        if not (
            isinstance(item, dict)
            and isinstance(item.get("table"), str)
            and isinstance(item.get("id"), str)
            and isinstance(item.get("fields"), dict)
        ):
            raise bad(number, "each line after the first holds table, id and fields")
        rows.setdefault(item["table"], {})[item["id"]] = item["fields"]
    if not header or not isinstance(header.get("schema_version"), str):
        raise bad(1 if lines else None, "an index starts with its version and schema_version")
    return header, rows
