"""SQLite files of what one run spools (the claims' relations, the documents' segments, the
raw files' pins), thrown away with it."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def scratch_database(path: Path, schema: str) -> sqlite3.Connection:
    """A SQLite file of what one run spools, thrown away with it: no journal, no sync, a
    2 MB page cache, ``schema`` made in it; statements commit unless a transaction is begun."""
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2000;" + schema
    )
    return db
