"""Validation: every rule a record or a corpus must meet, as located issues.

The entry points: ``run_checks`` (a loaded data/ folder, for build and validate) and
``validate_contributions`` (files of contributed records against data/). Inside:
``checks/`` holds the cross-record rules over a corpus; ``checker`` checks one contributed
record at a time with ``record_schema`` and ``record_rules``; ``jsonl``, ``bulk_claims`` and
``bulk`` read JSONL files fast (the bulk path, parallel chunks); ``contributions`` ties
them together; ``annotation`` tells an annotation file (checked as part of data/) from a
file of records.
"""

from claimtrack.validation.checks import run_checks
from claimtrack.validation.contributions import validate_contributions

__all__ = ["run_checks", "validate_contributions"]
