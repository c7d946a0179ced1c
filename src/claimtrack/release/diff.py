"""Differences between two releases, the version bump they require, and the changelog."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from claimtrack.models import TABLE_MODELS
from claimtrack.release.layout import jsonl_paths
from claimtrack.release.manifest import read_head
from claimtrack.release.store import RowStore

#: Derived or bookkeeping tables: listed in the changelog, exempt from the removal rule.
EXEMPT_FROM_REMOVAL = {"propositions", "tombstones"}
BUMPS = ("none", "patch", "minor", "major")

Rows = dict[str, dict[str, dict[str, Any]]]
"""table -> id -> record as released."""


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    """id -> the top-level fields that changed."""

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class ReleaseDiff:
    old_version: str
    new_version: str
    tables: dict[str, TableDiff]
    tombstones: dict[tuple[str, str], dict[str, Any]]
    """(table, id) -> tombstone record of the new release."""
    old_schema_version: str = ""
    new_schema_version: str = ""

    def required_bump(self) -> str:
        """major: an id removed or the record format broken; minor: records added; patch: edits."""
        if self.old_schema_version.split(".")[0] != self.new_schema_version.split(".")[0]:
            return "major"
        if any(
            diff.removed for table, diff in self.tables.items() if table not in EXEMPT_FROM_REMOVAL
        ):
            return "major"
        if any(diff.added for diff in self.tables.values()):
            return "minor"
        if any(not diff.is_empty() for diff in self.tables.values()):
            return "patch"
        return "none"

    def untombstoned(self) -> list[tuple[str, str]]:
        return [
            (table, record_id)
            for table, diff in self.tables.items()
            if table not in EXEMPT_FROM_REMOVAL
            for record_id in diff.removed
            if (table, record_id) not in self.tombstones
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "required_bump": self.required_bump(),
            "tables": {
                table: {
                    "added": diff.added,
                    "removed": [
                        {"id": record_id, "tombstone": self.tombstones.get((table, record_id))}
                        for record_id in diff.removed
                    ],
                    "changed": [
                        {"id": record_id, "fields": fields}
                        for record_id, fields in diff.changed.items()
                    ],
                }
                for table, diff in self.tables.items()
            },
        }


def version_bump(old: str, new: str) -> str:
    """The bump from ``old`` to ``new``: none, patch, minor, major; 'lower' if it goes back."""
    old_parts = tuple(int(part) for part in old.split("."))
    new_parts = tuple(int(part) for part in new.split("."))
    if new_parts < old_parts:
        return "lower"
    for index, name in enumerate(("major", "minor", "patch")):
        if new_parts[index] != old_parts[index]:
            return name
    return "none"


class ReleaseReadError(Exception):
    """A release folder whose files do not read as a claimtrack release."""

    def __init__(self, file: Path, line: int | None, code: str, message: str) -> None:
        super().__init__(f"{file}{f':{line}' if line else ''}: {message}")
        self.file, self.line, self.code, self.message = str(file), line, code, message


def read_manifest(folder: Path) -> dict[str, Any]:
    """A release folder's manifest; ReleaseReadError if it does not name its versions."""
    manifest_path = folder / "manifest.json"
    try:
        manifest = read_head(manifest_path)
    except orjson.JSONDecodeError as error:
        raise ReleaseReadError(
            manifest_path, error.lineno, "JSON_SYNTAX", f"invalid JSON: {error.msg}"
        ) from None
    if not isinstance(manifest, dict) or not all(
        isinstance(manifest.get(key), str) for key in ("version", "schema_version")
    ):
        raise ReleaseReadError(
            manifest_path, None, "SCHEMA", "not a release manifest (no version and schema_version)"
        )
    return manifest


def read_release(folder: Path) -> tuple[dict[str, Any], Rows]:
    """The manifest and every table's records by id; ReleaseReadError if a file is not as
    a build writes it."""
    manifest = read_manifest(folder)
    rows: Rows = {table: {} for table in TABLE_MODELS}
    for table, record in iter_release(folder):
        rows[table][record["id"]] = record
    return manifest, rows


def iter_release(folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every table's records as (table, record), a line at a time; ReleaseReadError names
    the line that is not a record with a string id."""
    for table in TABLE_MODELS:
        for path in jsonl_paths(folder, table):
            with path.open("rb") as lines:
                for number, line in enumerate(lines, start=1):
                    try:
                        record = orjson.loads(line)
                    except orjson.JSONDecodeError as error:
                        raise ReleaseReadError(
                            path, number, "JSON_SYNTAX", f"invalid JSON: {error.msg}"
                        ) from None
                    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                        raise ReleaseReadError(
                            path,
                            number,
                            "SCHEMA",
                            "a record must be a JSON object with a string id",
                        )
                    yield table, record


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


def diff_stored(
    store: RowStore,
    tombstones: Iterable[dict[str, Any]],
    *,
    old_version: str,
    new_version: str,
    old_schema_version: str,
    new_schema_version: str,
) -> ReleaseDiff:
    """The diff of the field hashes kept in ``store`` as ``old`` and ``new`` (field by field:
    a folder and a published index give the same diff); ``tombstones``: the new release's."""
    tables = {}
    for table in TABLE_MODELS:
        added, removed, both = store.compare(table, "old", "new")
        changed = {
            record_id: fields
            for record_id, before, after in both
            if (fields := _changed_fields(before, after))
        }
        tables[table] = TableDiff(added=added, removed=removed, changed=changed)
    stones = {(stone["table"], stone["id"]): stone for stone in tombstones}
    return ReleaseDiff(
        old_version, new_version, tables, stones, old_schema_version, new_schema_version
    )


def diff_releases(old_folder: Path, new_folder: Path) -> ReleaseDiff:
    """The diff of two release folders, their records read a line at a time into a store
    on disk (the field hashes only)."""
    from claimtrack.release.index import fingerprint

    old_manifest, new_manifest = read_manifest(old_folder), read_manifest(new_folder)
    tombstones: list[dict[str, Any]] = []

    def hashed(folder: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
        for table, record in iter_release(folder):
            if folder is new_folder and table == "tombstones":
                tombstones.append(record)
            yield table, record["id"], fingerprint(record)

    with (
        tempfile.TemporaryDirectory(prefix="claimtrack-diff-") as scratch,
        RowStore(Path(scratch) / "rows.sqlite") as store,
    ):
        store.add_fingerprints("old", hashed(old_folder))
        store.add_fingerprints("new", hashed(new_folder))
        return diff_stored(
            store,
            tombstones,
            old_version=old_manifest["version"],
            new_version=new_manifest["version"],
            old_schema_version=old_manifest["schema_version"],
            new_schema_version=new_manifest["schema_version"],
        )


def render_changelog(
    diff: ReleaseDiff | None, version: str, date: str, counts: dict[str, int]
) -> str:
    lines = [f"# Changelog: claimtrack {version} ({date})", ""]
    if diff is None:
        lines += ["First release. Records per table:", ""]
        lines += [f"- {table}: {count}" for table, count in counts.items()]
        return "\n".join(lines) + "\n"
    bump = diff.required_bump()
    required = "no version bump" if bump == "none" else f"a {bump} version bump"
    lines += [f"Compared with {diff.old_version}; this change requires {required}.", ""]
    if diff.old_schema_version != diff.new_schema_version:
        lines += [
            f"Record format: schema {diff.old_schema_version} -> {diff.new_schema_version} "
            "(see the README's versions section).",
            "",
        ]
    for table, table_diff in diff.tables.items():
        if table_diff.is_empty():
            continue
        lines += [f"## {table}", ""]
        if table_diff.added:
            lines.append(
                f"Added ({len(table_diff.added)}): "
                + ", ".join(f"`{record_id}`" for record_id in table_diff.added)
            )
            lines.append("")
        if table_diff.removed:
            lines.append(f"Removed ({len(table_diff.removed)}):")
            for record_id in table_diff.removed:
                stone = diff.tombstones.get((table, record_id))
                why = f" — {stone['reason']}" if stone else ""
                if stone and stone.get("replaced_by"):
                    why += f" (replaced by `{stone['replaced_by']}`)"
                lines.append(f"- `{record_id}`{why}")
            lines.append("")
        if table_diff.changed:
            lines.append(f"Changed ({len(table_diff.changed)}):")
            lines += [
                f"- `{record_id}`: {', '.join(fields)}"
                for record_id, fields in table_diff.changed.items()
            ]
            lines.append("")
    if all(table_diff.is_empty() for table_diff in diff.tables.values()):
        lines.append("No record changed.")
    return "\n".join(lines).rstrip("\n") + "\n"
