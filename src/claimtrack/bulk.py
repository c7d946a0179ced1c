"""Validate one large JSONL file in parallel: line-aligned chunks in forked workers, merged after.

Each worker inherits the checker (data/ loaded, earlier files checked) and checks its chunk
alone; the parent then joins what crosses chunk borders: line numbers, ids repeated in two
chunks, and references resolved at the end against everything seen.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from claimtrack.contributions import ContributionChecker
from claimtrack.issues import Issue
from claimtrack.record_files import RawRecord, iter_jsonl, line_aligned_ranges

#: Files smaller than this are checked in one process: forking costs more than it saves.
PARALLEL_MIN_BYTES = 8_000_000

_checker: ContributionChecker | None = None  # set in the parent just before forking


@dataclass
class ChunkResult:
    lines: int
    issues: list[Issue]
    seen: dict[str, tuple[int, int]]
    """id -> (content fingerprint, line in the chunk) for ids first seen in this chunk."""
    deferred: list[tuple[RawRecord, str, str, str]]
    known: set[str]


def _check_chunk(table: str, path: Path, shown: str, start: int, end: int) -> ChunkResult:
    checker = _checker
    assert checker is not None
    gc.disable()
    before_seen = set(checker.seen[table])
    before_known = set(checker.known[table])
    checker.issues, checker.deferred = [], []
    for raw in iter_jsonl(path, shown, checker.issues, start, end):
        checker.check(table, raw)
    # every line of the chunk counts (blank and bad ones too), so the next chunk's numbers stay right
    with path.open("rb") as stream:
        stream.seek(start)
        lines = stream.read(end - start).count(b"\n")
    seen = {
        record_id: (digest, line)
        for record_id, (digest, _, line) in checker.seen[table].items()
        if record_id not in before_seen
    }
    return ChunkResult(
        lines, checker.issues, seen, checker.deferred, checker.known[table] - before_known
    )


def _shift(issue: Issue, offset: int) -> Issue:
    return issue if issue.line is None else dataclasses.replace(issue, line=issue.line + offset)


def check_jsonl_in_parallel(
    checker: ContributionChecker, table: str, path: Path, shown: str, jobs: int
) -> None:
    """Check ``path`` in ``jobs`` forked workers and merge their findings into ``checker``."""
    global _checker
    _checker = checker
    ranges = line_aligned_ranges(path, jobs)
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=len(ranges), mp_context=context) as pool:
            futures = [
                pool.submit(_check_chunk, table, path, shown, start, end) for start, end in ranges
            ]
            results = [future.result() for future in futures]
    finally:
        _checker = None
    offset = 0
    seen = checker.seen[table]
    for result in results:
        checker.issues.extend(_shift(issue, offset) for issue in result.issues)
        for record_id, (digest, line) in result.seen.items():
            previous = seen.get(record_id)
            if previous is None:
                seen[record_id] = (digest, shown, line + offset)
            elif previous[0] != digest:
                checker.issues.append(
                    Issue(
                        shown,
                        line + offset,
                        None,
                        "DUPLICATE_ID",
                        f"{table} id {record_id!r} is given twice with different content (first at {previous[1]}:{previous[2]})",
                        "/id",
                        record_id,
                    )
                )
        for raw, pointer, target_table, target in result.deferred:
            raw.line += offset
            checker.deferred.append((raw, pointer, target_table, target))
        checker.known[table] |= result.known
        offset += result.lines


def worker_count(path: Path, requested: int | None) -> int:
    """How many processes check ``path``: 1 for YAML, ``requested`` for JSONL if given, else
    one per CPU (at most 4) for a JSONL file over PARALLEL_MIN_BYTES."""
    if not path.name.endswith(".jsonl"):
        return 1
    if requested is not None:
        return max(1, requested)
    if path.stat().st_size < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0))))
