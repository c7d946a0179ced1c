"""Segmentation: every line of every raw file belongs to exactly one document."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from claimtrack.issues import Issue
from claimtrack.loading import Corpus, Located
from claimtrack.models import Document


class Segment(NamedTuple):
    """A document's lines in a raw file, and where the document stands."""

    document_id: str
    first_line: int
    last_line: int
    file: str
    line: int | None


def document_segment(located: Located[Document]) -> Segment:
    origin = located.record.origin
    return Segment(
        located.record.id, origin.first_line, origin.last_line, located.file, located.line
    )


def segmentation(corpus: Corpus) -> Iterator[Issue]:
    by_raw: dict[str, list[Segment]] = {}
    for located in corpus.documents:
        by_raw.setdefault(located.record.origin.raw_file, []).append(document_segment(located))
    return raw_file_segmentation(corpus, lambda raw_name: by_raw.get(raw_name, []))


def raw_file_segmentation(
    corpus: Corpus, segments_of: Callable[[str], list[Segment]]
) -> Iterator[Issue]:
    """The segmentation rules over every raw file of ``corpus``, given the segments of the
    documents of each raw file (by its name, in the order the documents were read)."""
    for raw in corpus.raw_files.values():
        # A document that failed to load leaves a gap that is not one: its problem is reported.
        gaps = not ({raw.name, "*"} & corpus.unsegmented)
        yield from segment_problems(
            raw.name, raw.line_count, segments_of(raw.name), gaps, corpus.shown("raw", raw.name)
        )


def segment_problems(
    raw_name: str,
    line_count: int,
    segments: list[Segment],
    gaps: bool = True,
    shown: str | None = None,
) -> Iterator[Issue]:
    """Lines of a raw file in two documents (reported on the later one), and, with ``gaps``,
    lines in none, a raw file no document covers included (named ``shown``). Segments
    starting on the same line keep their given order."""
    shown = shown or f"data/raw/{raw_name}"
    next_line = 1
    previous = None
    ordered = sorted(segments, key=lambda segment: segment.first_line)
    for segment in ordered:
        if segment.first_line > next_line and gaps:
            yield Issue(
                shown,
                next_line,
                None,
                "SEGMENT_GAP",
                f"lines {next_line}-{segment.first_line - 1} belong to no document; extend a "
                "document's origin to cover them or add one (`claimtrack new-document`)",
            )
        elif segment.first_line < next_line and previous is not None:
            yield Issue(
                segment.file,
                segment.line,
                None,
                "SEGMENT_OVERLAP",
                f"lines {segment.first_line}-{next_line - 1} are also in {previous.document_id!r}",
                "/origin/first_line",
                segment.document_id,
            )
        next_line = max(next_line, segment.last_line + 1)
        previous = segment
    if next_line <= line_count and gaps:
        yield Issue(
            shown,
            next_line,
            None,
            "SEGMENT_GAP",
            f"lines {next_line}-{line_count} belong to no document"
            + ("" if ordered else f" ({raw_name} is pinned, but no document lies in it)")
            + f"; add a document for them (`claimtrack new-document --raw {raw_name} --lines "
            f"{next_line}-{line_count} ...`) or extend one",
        )


#: A contributed document's segment, by the name of its raw file.
ContributedSegment = tuple[str, Segment]


def added_overlaps(corpus: Corpus, contributed: Sequence[ContributedSegment]) -> list[Issue]:
    """Lines of a raw file that a contributed document shares with another document (one
    in data/ of another id, or another contributed one), not found in data/ alone. Gaps
    are left to the build: a contribution need not cover a whole raw file."""
    ids = {segment.document_id for _, segment in contributed}
    found: list[Issue] = []
    for raw_name in sorted({name for name, _ in contributed}):
        raw_file = corpus.raw_files.get(raw_name)
        if raw_file is None:
            continue  # reported as an unknown raw file
        in_data = [
            document_segment(located)
            for located in corpus.documents
            if located.record.origin.raw_file == raw_name and located.record.id not in ids
        ]
        added = [segment for name, segment in contributed if name == raw_name]
        before = set(segment_problems(raw_name, raw_file.line_count, in_data, gaps=False))
        every = segment_problems(raw_name, raw_file.line_count, [*in_data, *added], gaps=False)
        found.extend(issue for issue in every if issue not in before)
    return found
