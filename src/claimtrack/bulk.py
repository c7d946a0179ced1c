"""Validate one large JSONL file in parallel: line-aligned chunks in forked workers, merged after.

Each worker inherits the checker (data/ loaded, earlier files checked) and checks its chunk
alone; the parent then joins what crosses chunk borders: line numbers, ids repeated in two
chunks, and references resolved at the end against everything seen.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
import multiprocessing
import os
from array import array
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
    for raw in iter_jsonl(path, shown, checker.issues, start, end):
        checker.check(table, raw)
    # every line of the chunk counts (blank and bad ones too), so the next chunk's numbers stay right
    with path.open("rb") as stream:
        stream.seek(start)
        lines = stream.read(end - start).count(b"\n")
    # dicts keep insertion order: the ids this chunk added are the last ones; arrays of
    # ints travel back to the parent far cheaper than a dict of tuples
    added = list(itertools.islice(seen.items(), before, None))
    return ChunkResult(
        lines,
        checker.issues,
        [record_id for record_id, _ in added],
        array("q", [entry[0] for _, entry in added]),
        array("q", [entry[2] for _, entry in added]),
        checker.deferred,
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
        repeated = seen.keys() & result.ids if seen else ()
        if repeated:
            _merge_repeated(checker, table, shown, result, offset, set(repeated))
        else:
            seen.update(
                zip(
                    result.ids,
                    zip(
                        result.digests,
                        itertools.repeat(shown),
                        (line + offset for line in result.id_lines),
                    ),
                    strict=True,
                )
            )
        for raw, pointer, target_table, target in result.deferred:
            raw.line += offset
            checker.deferred.append((raw, pointer, target_table, target))
        checker.known[table].update(result.ids)
        offset += result.lines


def _merge_repeated(
    checker: ContributionChecker,
    table: str,
    shown: str,
    result: ChunkResult,
    offset: int,
    repeated: set[str],
) -> None:
    """Merge a chunk some of whose ids an earlier chunk (or file) already gave."""
    seen = checker.seen[table]
    for record_id, digest, line in zip(result.ids, result.digests, result.id_lines, strict=True):
        previous = seen.get(record_id) if record_id in repeated else None
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
