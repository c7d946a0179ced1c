"""Check the records of a JSONL file, or of a line-aligned byte range of it: claims through
the bulk path (bulk_claims), the other tables record by record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from claimtrack.record_files import RawRecord, iter_jsonl_values
from claimtrack.validation.bulk_claims import check_claims_in_bulk
from claimtrack.validation.checker import ContributionChecker


def check_jsonl(
    checker: ContributionChecker,
    table: str,
    path: Path,
    shown: str,
    start: int = 0,
    end: int | None = None,
    first_line: int = 1,
) -> int:
    """Check the records of ``path`` (bytes ``start`` to ``end``) into ``checker``; return
    the number of lines read."""
    lines_read = 0

    def values() -> Iterator[tuple[int, bytes, Any]]:
        nonlocal lines_read
        lines_read = yield from iter_jsonl_values(
            path, shown, checker.issues, start, end, first_line
        )

    if table == "claims" and checker.fast:
        check_claims_in_bulk(checker, values(), shown)
    else:
        for number, line, data in values():
            checker.check(table, RawRecord(data, shown, number, source=line))
    return lines_read
