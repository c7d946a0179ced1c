"""manifest.json: versions, release metadata, source commit (and whether the tree had changes),
per-file sha256 and size, record counts."""

from __future__ import annotations

import hashlib
import heapq
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import ijson
import orjson

MANIFEST_NAME = "manifest.json"
#: A file written: its path, its sha256 and its size.
FileEntry = tuple[str, str, int]
_INDENTED = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def read_head(path: Path) -> Any:
    """manifest.json without its ``files`` (every file's sha256 and size), read as a stream:
    at a million claims the manifest is 294 MB and took 1.6 GB parsed whole; read this way,
    2.1-2.6 s, with the whole process at 20 MB.
    A file that is not JSON raises orjson's JSONDecodeError (with its line); one that holds
    no object gives what it holds."""
    with path.open("rb") as file:
        try:
            head = _head(ijson.parse(file, use_float=True))
        except ijson.JSONError:
            head = None
    return head if head is not None else orjson.loads(path.read_bytes())


def _head(events: Iterator[tuple[str, str, Any]]) -> dict[str, Any] | None:
    """The top-level object of ``events`` but its ``files``; None if it is not an object."""
    if next(events, None) != ("", "start_map", None):
        return None
    head: dict[str, Any] = {}
    key, builder, depth = "", None, 1
    for _, event, value in events:
        if depth == 1 and event == "map_key":
            key, builder = value, None if value == "files" else ijson.ObjectBuilder()
            continue
        if event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:  # the manifest's end: nothing may follow it
                for _ in events:
                    pass
                break
        elif event in ("start_map", "start_array"):
            depth += 1
        if builder is not None:
            builder.event(event, value)
            if depth == 1:  # the key's value is done: a scalar, or its object or array closed
                head[key] = builder.value
    return head


def file_sha256(path: Path) -> str:
    """A file's sha256, read a block at a time (a release file may be hundreds of MB)."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def file_entry(path: Path) -> dict[str, Any]:
    return {"sha256": file_sha256(path), "bytes": path.stat().st_size}


def _git(data_dir: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(data_dir), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def source_commit(data_dir: Path) -> str | None:
    """The git commit data/ was built from, or None outside a git checkout."""
    head = _git(data_dir, "rev-parse", "HEAD")
    return head.strip() or None if head is not None else None


def source_tree_dirty(data_dir: Path) -> bool | None:
    """Whether the checkout holding data/ has uncommitted changes (tracked or untracked files
    not ignored): the commit alone then does not reproduce the release. None outside git."""
    status = _git(data_dir, "status", "--porcelain", "--untracked-files=normal")
    return bool(status.strip()) if status is not None else None


def release_files(root: Path, skip: str | None = None) -> Iterator[str]:
    """Every file under ``root`` (none named manifest.json, none in its folder ``skip``) as
    a path relative to it, in the order of those paths as strings, listing one folder at a
    time (a release may hold millions of files). A folder sorts as its name and a slash:
    "a-b/x" before "a/x"."""

    def walk(folder: Path, prefix: str) -> Iterator[str]:
        with os.scandir(folder) as entries:
            listed = sorted(
                (entry.name + "/" if entry.is_dir() else entry.name, entry.is_dir())
                for entry in entries
            )
        for key, is_folder in listed:
            if is_folder and prefix + key != f"{skip}/":
                yield from walk(folder / key[:-1], prefix + key)
            elif not is_folder and key != MANIFEST_NAME:
                yield prefix + key

    return walk(root, "")


class FileLog:
    """The files of a folder as they were written (path, sha256, size), kept in a SQLite
    file and listed in path order: the manifest of a folder of millions of pages then reads
    neither the pages again nor the folders' listings."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE files (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL,"
            " bytes INTEGER NOT NULL) WITHOUT ROWID;"
        )

    def add(self, entries: Iterable[FileEntry]) -> None:
        with self._db:
            self._db.executemany("INSERT INTO files VALUES (?, ?, ?)", entries)

    def __iter__(self) -> Iterator[FileEntry]:
        # SQLite orders TEXT by its UTF-8 bytes: the order of the paths as strings
        return iter(self._db.execute("SELECT path, sha256, bytes FROM files ORDER BY path"))

    def close(self) -> None:
        self._db.close()


def _file_entries(
    root: Path, logged: tuple[str, FileLog] | None
) -> Iterator[tuple[str, Callable[[], dict[str, Any]]]]:
    """Each file of ``root`` and how to get its entry, in path order: a file of the folder
    ``logged`` names from its log, any other read."""
    folder = logged[0] if logged is not None else None
    read = (
        (name, lambda name=name: file_entry(root / name))
        for name in release_files(root, skip=folder)
    )
    if logged is None:
        return read
    listed = (
        (f"{folder}/{path}", lambda sha256=sha256, size=size: {"sha256": sha256, "bytes": size})
        for path, sha256, size in logged[1]
    )
    return heapq.merge(read, listed, key=lambda item: item[0])


def write_manifest(
    root: Path,
    *,
    dataset_version: str,
    schema_version: str,
    package_version: str,
    commit: str | None,
    dirty: bool | None,
    release: dict[str, Any],
    counts: dict[str, int],
    logged: tuple[str, FileLog] | None = None,
) -> None:
    """``root``/manifest.json, with the sha256 and size of every other file of ``root``:
    written an entry at a time, the same bytes as orjson's indented, key-sorted dump. With
    ``logged`` (a folder of ``root`` and the log of the files written into it), that
    folder's entries are the log's."""
    manifest = {
        "dataset": "claimtrack",
        "version": dataset_version,
        "schema_version": schema_version,
        "package_version": package_version,
        "source_commit": commit,
        # true: built from a working tree with uncommitted changes, which source_commit lacks
        "source_tree_dirty": dirty,
        # data/release.yaml as released (unknown home fields omitted): what `cite` reads
        "release": release,
        "records": counts,
        "files": {},
    }
    text = orjson.dumps(manifest, option=_INDENTED) + b"\n"
    head, tail = text.split(b'\n  "files": {},\n', 1)
    with (root / MANIFEST_NAME).open("wb") as out:
        out.write(head + b'\n  "files": {')
        separator = b"\n"
        for name, entry_of in _file_entries(root, logged):
            entry = orjson.dumps({name: entry_of()}, option=_INDENTED)
            # the entry's lines without its braces, two levels deep
            out.write(separator + b"\n".join(b"  " + line for line in entry.split(b"\n")[1:-1]))
            separator = b",\n"
        out.write(b"\n  },\n" + tail)
