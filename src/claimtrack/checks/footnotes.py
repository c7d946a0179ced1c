"""Every footnote marker in a document's running text is cited by at least one of its claims."""

from __future__ import annotations

import re
from collections.abc import Iterator

from claimtrack.issues import Issue
from claimtrack.loading import Corpus

#: ``[12]`` inside a line; at the start of a line it opens the note itself.
FOOTNOTE_MARKER = re.compile(r"(?<!^)(?<!\n)\[(\d{1,3})\]")


def footnote_markers(text: str) -> list[tuple[str, int]]:
    """Each marker in the running text with its offset."""
    return [(match.group(0), match.start()) for match in FOOTNOTE_MARKER.finditer(text)]


def uncited_footnotes(corpus: Corpus) -> Iterator[Issue]:
    cited: dict[str, set[str]] = {}
    for located in corpus.claims:
        markers = cited.setdefault(located.record.document_id, set())
        markers.update(c.marker for c in located.record.citations if c.marker is not None)
    for located in corpus.documents:
        document = located.record
        for marker, offset in footnote_markers(document.text):
            if marker not in cited.get(document.id, set()):
                line = document.origin.first_line + document.text.count("\n", 0, offset)
                yield Issue(
                    f"data/raw/{document.origin.raw_file}",
                    line,
                    None,
                    "FOOTNOTE_UNCITED",
                    f"footnote marker {marker} of document {document.id!r} is cited by none of its "
                    "claims; add a citation with this marker to the claim whose span holds it",
                    "",
                    document.id,
                )
        known = {marker for marker, _ in footnote_markers(document.text)}
        for claim_located in corpus.claims:
            claim = claim_located.record
            if claim.document_id != document.id:
                continue
            for index, citation in enumerate(claim.citations):
                if citation.marker is not None and citation.marker not in known:
                    yield Issue(
                        claim_located.file,
                        claim_located.line_at(f"/citations/{index}/marker"),
                        None,
                        "UNKNOWN_REFERENCE",
                        f"citation marker {citation.marker!r} does not occur in the text of {document.id!r}",
                        f"/citations/{index}/marker",
                        claim.id,
                    )
