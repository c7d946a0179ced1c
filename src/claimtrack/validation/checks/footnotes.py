"""Every footnote marker in a document's running text is cited by at least one of its claims."""

from __future__ import annotations

import re
from collections.abc import Iterator

from claimtrack.issues import Issue
from claimtrack.loading import Corpus, Located
from claimtrack.models import Claim

#: ``[12]`` inside a line; at the start of a line it opens the note itself.
FOOTNOTE_MARKER = re.compile(r"(?<!^)(?<!\n)\[(\d{1,3})\]")


def footnote_markers(text: str) -> list[tuple[str, int]]:
    """Each marker in the running text with its offset."""
    return [(match.group(0), match.start()) for match in FOOTNOTE_MARKER.finditer(text)]


def uncited_footnotes(corpus: Corpus) -> Iterator[Issue]:
    claims_by_document: dict[str, list[Located[Claim]]] = {}
    for located_claim in corpus.claims:
        claims_by_document.setdefault(located_claim.record.document_id, []).append(located_claim)
    for located in corpus.documents:
        document = located.record
        claims = claims_by_document.get(document.id, [])
        markers = footnote_markers(document.text)
        cited = {
            c.marker for claim in claims for c in claim.record.citations if c.marker is not None
        }
        for marker, offset in markers:
            if marker not in cited:
                line = document.origin.first_line + document.text.count("\n", 0, offset)
                yield Issue(
                    corpus.shown("raw", document.origin.raw_file),
                    line,
                    None,
                    "FOOTNOTE_UNCITED",
                    f"footnote marker {marker} of document {document.id!r} is cited by none of its "
                    "claims; add a citation with this marker to the claim whose span holds it",
                    "",
                    document.id,
                )
        known = {marker for marker, _ in markers}
        for claim in claims:
            for index, citation in enumerate(claim.record.citations):
                if citation.marker is not None and citation.marker not in known:
                    pointer = f"/citations/{index}/marker"
                    yield Issue(
                        claim.file,
                        claim.line_at(pointer),
                        None,
                        "UNKNOWN_REFERENCE",
                        f"citation marker {citation.marker!r} does not occur in the text of {document.id!r}",
                        claim.root_pointer(pointer),
                        claim.record.id,
                    )
