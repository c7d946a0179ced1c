"""Files of what one run spools, thrown away with it: SQLite files (the claims' relations,
the documents' segments, the raw files' pins) and files of records read back by number (the
files read, the raw files)."""

from __future__ import annotations

import os
import sqlite3
from array import array
from pathlib import Path


def scratch_database(path: Path, schema: str) -> sqlite3.Connection:
    """A SQLite file of what one run spools, thrown away with it: no journal, no sync, a
    2 MB page cache, ``schema`` made in it; statements commit unless a transaction is begun."""
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2000;" + schema
    )
    return db


class RecordFile:
    """Records of bytes appended to a file and read back by number, with 8 bytes a record
    in memory (where it ends). Unbuffered, so that a worker forked after a record was added
    reads it; a worker only reads (``pread``), so the file's offset is the writer's alone."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("w+b", buffering=0)
        self._ends = array("q", [0])

    def append(self, data: bytes) -> int:
        """Add a record; its number."""
        view = memoryview(data)
        while view:
            view = view[self._file.write(view) or 0 :]
        self._ends.append(self._ends[-1] + len(data))
        return len(self._ends) - 2

    def __getitem__(self, number: int) -> bytes:
        start = self._ends[number]
        return os.pread(self._file.fileno(), self._ends[number + 1] - start, start)

    def __len__(self) -> int:
        return len(self._ends) - 1

    def close(self) -> None:
        self._file.close()
