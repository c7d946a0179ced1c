"""Validate one large JSONL file in parallel: line-aligned chunks, the first checked here and
each of the others in a process forked for it, merged after.

Each process inherits the checker (data/ loaded, earlier files checked) and checks its chunk
alone, numbering lines from the chunk's start; the parent checks the first chunk meanwhile,
then joins what crosses chunk borders: line numbers, ids repeated in two chunks, and
references resolved at the end against everything seen.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import itertools
import os
from array import array
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from claimtrack.executors import ForkedCall
from claimtrack.issues import Issue
from claimtrack.record_files import line_aligned_ranges
from claimtrack.validation.checker import ContributionChecker, Deferred
from claimtrack.validation.checks.relations import ContributedRelation
from claimtrack.validation.checks.segments import ContributedSegment
from claimtrack.validation.jsonl import check_jsonl

#: Files smaller than this are checked in one process: forking costs more than it saves.
PARALLEL_MIN_BYTES = 8_000_000


@dataclass
class ChunkResult:
    lines: int
    issues: list[Issue]
    ids: bytes
    """Ids first seen in this chunk (every record that passed the schema adds its id to
    ``seen`` and to ``known``), in order, one a line (an id that passed holds no newline),
    with their content fingerprints and lines: bytes and arrays travel back to the parent
    many times faster than a dict of tuples."""
    digests: array[int]
    id_lines: array[int]
    deferred: list[Deferred]
    relations: list[ContributedRelation]
    segments: list[ContributedSegment]


def _check_chunk(
    checker: ContributionChecker, table: str, path: Path, shown: str, start: int, end: int
) -> ChunkResult:
    """Check one chunk, its lines numbered from 1 (the parent adds the lines before it), in
    a process of its own forked from the parent before the parent checked anything: the
    ids it finds first are those not in ``checker`` as the parent had it then."""
    gc.disable()
    seen = checker.seen[table]
    before = len(seen)
    checker.issues, checker.deferred, checker.relations, checker.segments = [], [], [], []
    lines = check_jsonl(checker, table, path, shown, start, end)
    added = list(itertools.islice(seen.items(), before, None))  # dicts keep insertion order
    return ChunkResult(
        lines,
        checker.issues,
        "\n".join(record_id for record_id, _ in added).encode(),
        array("q", [entry[0] for _, entry in added]),
        array("q", [entry[2] for _, entry in added]),
        checker.deferred,
        checker.relations,
        checker.segments,
    )


def check_jsonl_in_parallel(
    checker: ContributionChecker, table: str, path: Path, shown: str, jobs: int
) -> None:
    """Check ``path`` in ``jobs`` processes (this one included) and merge into ``checker``.

    One process a chunk, each forked before this process changes the checker below: a
    pool's worker could take two chunks, and check the second against the ids of the first
    (a repeat then reported there, at the first's line counted from its chunk's start)."""
    (first_start, first_end), *rest = line_aligned_ranges(path, jobs)
    if not rest:  # too few lines to split
        check_jsonl(checker, table, path, shown)
        return
    with contextlib.ExitStack() as stack:
        pending = [
            stack.enter_context(
                ForkedCall(partial(_check_chunk, checker, table, path, shown, start, end))
            )
            for start, end in rest
        ]
        offset = check_jsonl(checker, table, path, shown, first_start, first_end)
        for call in pending:
            chunk = call.result()
            _merge(checker, table, shown, chunk, offset)
            offset += chunk.lines


def _merge(
    checker: ContributionChecker, table: str, shown: str, result: ChunkResult, offset: int
) -> None:
    """Add a later chunk's findings, ``offset`` lines down the file; an id an earlier chunk
    (or file) gave keeps its first place."""
    checker.issues.extend(
        issue if issue.line is None else dataclasses.replace(issue, line=issue.line + offset)
        for issue in result.issues
    )
    checker.deferred.extend(
        deferred if deferred.line is None else deferred._replace(line=deferred.line + offset)
        for deferred in result.deferred
    )
    checker.relations.extend(
        (relation, file, id_line + offset, relation_line + offset)
        for relation, file, id_line, relation_line in result.relations
    )
    checker.segments.extend(
        (name, segment if segment.line is None else segment._replace(line=segment.line + offset))
        for name, segment in result.segments
    )
    ids = result.ids.decode().split("\n") if result.ids else []
    lines = [line + offset for line in result.id_lines]
    seen = checker.seen[table]
    repeated = seen.keys() & ids
    if not repeated:
        seen.update(zip(ids, zip(result.digests, itertools.repeat(shown), lines), strict=True))
    else:
        for record_id, digest, line in zip(ids, result.digests, lines, strict=True):
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
    checker.add_known(table, ids)


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
