"""Validate one large JSONL file in parallel: line-aligned chunks, the first checked here and
the others in forked workers, merged after.

Each worker inherits the checker (data/ loaded, earlier files checked), counts the lines
before its chunk so its line numbers are the file's, and checks its chunk alone; the parent
checks the first chunk meanwhile, then joins what crosses chunk borders: ids repeated in two
chunks, and references resolved at the end against everything seen.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from array import array
from dataclasses import dataclass
from pathlib import Path

from claimtrack.contributions import ContributionChecker
from claimtrack.issues import Issue
from claimtrack.record_files import RawRecord, count_lines, iter_jsonl, line_aligned_ranges

#: Files smaller than this are checked in one process: forking costs more than it saves.
PARALLEL_MIN_BYTES = 8_000_000

_checker: ContributionChecker | None = None  # set in the parent just before forking


@dataclass
class ChunkResult:
    issues: list[Issue]
    ids: list[str]
    """Ids first seen in this chunk (every record that passed the schema adds its id to
    ``seen`` and to ``known``), in order, with their content fingerprints and lines."""
    digests: array[int]
    id_lines: array[int]
    deferred: list[tuple[RawRecord, str, str, str]]


def _check_chunk(table: str, path: Path, shown: str, start: int, end: int) -> ChunkResult:
    checker = _checker
    assert checker is not None
    gc.disable()
    seen = checker.seen[table]
    before = len(seen)
    checker.issues, checker.deferred = [], []
    first_line = count_lines(path, 0, start) + 1
    for raw in iter_jsonl(path, shown, checker.issues, start, end, first_line):
        checker.check(table, raw)
    # dicts keep insertion order: the ids this chunk added are the last ones; arrays of
    # ints travel back to the parent far cheaper than a dict of tuples
    added = list(itertools.islice(seen.items(), before, None))
    return ChunkResult(
        checker.issues,
        [record_id for record_id, _ in added],
        array("q", [entry[0] for _, entry in added]),
        array("q", [entry[2] for _, entry in added]),
        checker.deferred,
    )


def check_jsonl_in_parallel(
    checker: ContributionChecker, table: str, path: Path, shown: str, jobs: int
) -> None:
    """Check ``path`` in ``jobs`` processes (this one included) and merge into ``checker``."""
    global _checker
    (first_start, first_end), *rest = line_aligned_ranges(path, jobs)
    _checker = checker
    try:
        # Pool forks its workers here, before this process changes the checker below
        pool = multiprocessing.get_context("fork").Pool(max(1, len(rest)))
    finally:
        _checker = None
    with pool:
        pending = [
            pool.apply_async(_check_chunk, (table, path, shown, start, end)) for start, end in rest
        ]
        for raw in iter_jsonl(path, shown, checker.issues, first_start, first_end):
            checker.check(table, raw)
        results = [result.get() for result in pending]
    for result in results:
        _merge(checker, table, shown, result)


def _merge(checker: ContributionChecker, table: str, shown: str, result: ChunkResult) -> None:
    """Add a later chunk's findings; an id an earlier chunk (or file) gave keeps its first place."""
    checker.issues.extend(result.issues)
    checker.deferred.extend(result.deferred)
    seen = checker.seen[table]
    repeated = seen.keys() & result.ids
    if not repeated:
        seen.update(
            zip(
                result.ids,
                zip(result.digests, itertools.repeat(shown), result.id_lines),
                strict=True,
            )
        )
    else:
        for record_id, digest, line in zip(
            result.ids, result.digests, result.id_lines, strict=True
        ):
            previous = seen.get(record_id) if record_id in repeated else None
            if previous is None:
                seen[record_id] = (digest, shown, line)
            elif previous[0] != digest:
                checker.issues.append(
                    Issue(
                        shown,
                        line,
                        None,
                        "DUPLICATE_ID",
                        f"{table} id {record_id!r} is given twice with different content (first at {previous[1]}:{previous[2]})",
                        "/id",
                        record_id,
                    )
                )
    checker.add_known(table, result.ids)


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
