"""Segmentation: every line of every raw file belongs to exactly one document."""

from __future__ import annotations

from collections.abc import Iterator

from claimtrack.issues import Issue
from claimtrack.loading import Corpus


def segmentation(corpus: Corpus) -> Iterator[Issue]:
    for raw in corpus.raw_files.values():
        documents = sorted(
            (located for located in corpus.documents if located.record.origin.raw_file == raw.name),
            key=lambda located: located.record.origin.first_line,
        )
        next_line = 1
        previous = None
        for located in documents:
            origin = located.record.origin
            if origin.first_line > next_line:
                yield Issue(
                    f"data/raw/{raw.name}",
                    next_line,
                    None,
                    "SEGMENT_GAP",
                    f"lines {next_line}-{origin.first_line - 1} belong to no document",
                )
            elif origin.first_line < next_line and previous is not None:
                yield Issue(
                    located.file,
                    located.line,
                    None,
                    "SEGMENT_OVERLAP",
                    f"lines {origin.first_line}-{next_line - 1} are also in {previous.record.id!r}",
                    "/origin/first_line",
                    located.record.id,
                )
            next_line = max(next_line, origin.last_line + 1)
            previous = located
        if documents and next_line <= raw.line_count:
            yield Issue(
                f"data/raw/{raw.name}",
                next_line,
                None,
                "SEGMENT_GAP",
                f"lines {next_line}-{raw.line_count} belong to no document",
            )
