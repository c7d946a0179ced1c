"""A release's id index: every record's id and a hash of each field, small enough to commit.

Each release carries ``index.jsonl``; a copy committed as ``data/releases/<version>.jsonl``
records what was published, so that a build in a fresh clone (no ``dist/``) still compares
with the previous release: ids removed without a tombstone, the version bump, the changelog.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from claimtrack.release.diff import ReleaseReadError

INDEX_NAME = "index.jsonl"
_LINE = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def field_hash(value: Any) -> str:
    """A short, stable hash of a field's JSON value (keys sorted)."""
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def fingerprint(record: dict[str, Any]) -> dict[str, str]:
    return {key: field_hash(value) for key, value in record.items()}


def index_line(table: str, record: dict[str, Any]) -> bytes:
    """The index's line for one record: its table, id and field hashes."""
    return orjson.dumps(
        {"table": table, "id": record["id"], "fields": fingerprint(record)}, option=_LINE
    )


class IndexWriter:
    """Write an index file a record at a time: each table's records are given in id order."""

    def __init__(self, path: Path, version: str, schema_version: str) -> None:
        self._file = path.open("wb")
        header = {"version": version, "schema_version": schema_version}
        self._file.write(orjson.dumps(header, option=_LINE))

    def __enter__(self) -> IndexWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._file.close()

    def add(self, table: str, record: dict[str, Any]) -> None:
        self._file.write(index_line(table, record))


IndexEntry = tuple[str, str, dict[str, str]]
"""table, id and field hashes of one line of an index."""


def iter_index(path: Path) -> tuple[dict[str, Any], Iterator[IndexEntry]]:
    """The header of an index file (read at once) and its entries (read as iterated);
    ReleaseReadError names the line that is not as a build writes it."""

    def bad(number: int | None, message: str) -> ReleaseReadError:
        return ReleaseReadError(path, number, "SCHEMA", message)

    def parsed(number: int, line: bytes) -> Any:
        try:
            return orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raise ReleaseReadError(
                path, number, "JSON_SYNTAX", f"invalid JSON: {error.msg}"
            ) from None

    with path.open("rb") as lines:
        first = lines.readline()
    if not first:
        raise bad(None, "an index starts with its version and schema_version")
    header = parsed(1, first)
    if not (isinstance(header, dict) and isinstance(header.get("version"), str)):
        raise bad(1, "the first line must name the version and schema_version")
    if not isinstance(header.get("schema_version"), str):
        raise bad(1, "an index starts with its version and schema_version")

    def entries() -> Iterator[IndexEntry]:
        with path.open("rb") as lines:
            for number, line in enumerate(lines, start=1):
                if number == 1:
                    continue
                item = parsed(number, line)
                if not (
                    isinstance(item, dict)
                    and isinstance(item.get("table"), str)
                    and isinstance(item.get("id"), str)
                    and isinstance(item.get("fields"), dict)
                ):
                    raise bad(number, "each line after the first holds table, id and fields")
                yield item["table"], item["id"], item["fields"]

    return header, entries()
