"""Claims their model refused (a bad date, a misspelt field): their quote, cue and
references are still checked, so all of a record's problems are reported at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from claimtrack.anchoring import AnchorProblem, anchor_quote
from claimtrack.issues import Issue
from claimtrack.loading import Corpus
from claimtrack.refs import iter_references
from claimtrack.validation.checks.references import HOME, unknown_reference
from claimtrack.validation.checks.spans import cue_problem


def loose_claim_problems(corpus: Corpus) -> Iterator[Issue]:
    texts = {located.record.id: located.record.text for located in corpus.documents}
    known = {table: corpus.ids(table) for table in HOME}
    for located in corpus.loose_claims:
        claim = located.record
        record_id = claim.get("id") if isinstance(claim.get("id"), str) else None
        document_id = located.node.get("id") if isinstance(located.node, dict) else None
        given_span = claim.get("span")
        span: dict[str, Any] = given_span if isinstance(given_span, dict) else {}
        exact = span.get("exact")
        text = texts.get(document_id) if isinstance(document_id, str) else None
        if isinstance(exact, str) and exact and text is not None:
            found = anchor_quote(text, exact, span.get("prefix"), span.get("suffix"))
            if isinstance(found, AnchorProblem):
                pointer = "/span/exact"
                yield Issue(
                    located.file,
                    located.line_at(pointer),
                    None,
                    found.code,
                    found.message,
                    located.root_pointer(pointer),
                    record_id,
                )
            modality = claim.get("modality")
            cue = modality.get("cue") if isinstance(modality, dict) else None
            problem = cue_problem(exact, cue) if isinstance(cue, str) else None
            if problem is not None:
                pointer = "/modality/cue"
                yield Issue(
                    located.file,
                    located.line_at(pointer),
                    None,
                    "CUE_NOT_IN_SPAN",
                    problem,
                    located.root_pointer(pointer),
                    record_id,
                )
        for pointer, table, target in iter_references("claims", claim):
            if target not in known[table] and not corpus.failed_to_load(table, target):
                yield unknown_reference(located, pointer, table, target, known[table], record_id)
