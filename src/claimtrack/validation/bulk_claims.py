"""The bulk path for JSONL claims: one loop that clears a clean claim in a single pass.

A claim it cannot clear gets ContributionChecker.check, the full check, which alone words
problems; a test checks that both give the same issues and the same state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from claimtrack.anchoring import stands_at
from claimtrack.models.common import edtf_error
from claimtrack.record_files import RawRecord
from claimtrack.validation.checker import ContributionChecker
from claimtrack.validation.checks.attribution import chain_problem
from claimtrack.validation.checks.identity import claim_id_problem
from claimtrack.validation.checks.spans import cue_problem


def check_claims_in_bulk(
    checker: ContributionChecker, values: Iterable[tuple[int, bytes, Any]], shown: str
) -> None:
    """The bulk path for claims: one pass of cheap tests that says "clean" or "look closer".

    A claim it clears is recorded as ``check`` records a clean claim. Any other (invalid,
    an unknown reference, an edit of a claim in data/, offsets absent or off, a broken
    rule, a repeated id) gets the full check, which alone words the problems. The rules
    are the same functions the full check calls; names are bound to locals because this
    loop runs once a record.
    """
    is_valid = checker.closed_claims_validator().is_valid  # no claim adds an id claims cite
    texts, authors = checker.texts, checker.authors
    in_data, tombstoned = checker.claim_ids_in_data, checker.tombstoned_claims
    seen, known = checker.seen["claims"], checker.known["claims"]
    cleared = 0
    for number, line, data in values:
        if type(data) is dict and is_valid(data):
            record_id: str = data["id"]
            document_id: str = data["document_id"]
            text = texts.get(document_id)
            span = data["span"]
            exact: str = span["exact"]
            start, end = span.get("start"), span.get("end")
            time, modality = data.get("time"), data.get("modality")
            if (
                text is not None
                and type(start) is int  # JSON Schema's integer admits 43.0 as well
                and type(end) is int
                and record_id not in in_data
                and record_id not in tombstoned
                and claim_id_problem(record_id, document_id) is None
                and stands_at(text, exact, span.get("prefix"), span.get("suffix"), start, end)
                and (time is None or edtf_error(time) is None)
                and (modality is None or cue_problem(exact, modality.get("cue")) is None)
                and chain_problem(data["attribution"], authors[document_id]) is None
            ):
                digest = hash(line)  # as RawRecord.fingerprint() for a JSONL line
                previous = seen.get(record_id)
                if previous is None:
                    seen[record_id] = (digest, shown, number)
                if previous is None or previous[0] == digest:
                    known.add(record_id)
                    cleared += 1
                    continue
        checker.check("claims", RawRecord(data, shown, number, source=line))
    checker.cleared += cleared
