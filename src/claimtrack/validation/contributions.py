"""Validate files of contributed records (JSONL or YAML, release format) against data/:
each file in table order through one ContributionChecker, a large JSONL file in parallel
chunks (bulk), then the rules that need every file read."""

from __future__ import annotations

from pathlib import Path

from claimtrack.collector import collector_paused
from claimtrack.issues import Issue
from claimtrack.loading import Corpus
from claimtrack.record_files import SUFFIXES, UsageError, infer_table, iter_yaml
from claimtrack.validation.bulk import check_jsonl_in_parallel, worker_count
from claimtrack.validation.checker import TABLE_ORDER, ContributionChecker
from claimtrack.validation.jsonl import check_jsonl


def validate_contributions(
    paths: list[Path], table: str | None, corpus: Corpus, jobs: int | None = None
) -> list[Issue]:
    """Every problem in the given files; raises UsageError for a path or table it cannot use.

    ``jobs`` processes check a large JSONL file (default: one per CPU, for files over 8 MB).
    """
    files = []
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        if not path.name.endswith(SUFFIXES):
            raise UsageError(f"{path}: give a .jsonl, .yaml or .yml file")
        files.append((TABLE_ORDER.index(infer_table(path, table)), str(path), path))
    checker = ContributionChecker(corpus)
    # The bulk pass makes no reference cycles; with the collector on, it rescans every
    # retained id at each generation-2 pass and costs more than the validation itself.
    with collector_paused():
        for order, shown, path in sorted(files):
            table_name = TABLE_ORDER[order]
            workers = worker_count(path, jobs)
            if workers > 1:
                check_jsonl_in_parallel(checker, table_name, path, shown, workers)
                continue
            if path.name.endswith(".jsonl"):
                check_jsonl(checker, table_name, path, shown)
                continue
            for raw in iter_yaml(path, shown, checker.issues):
                checker.check(table_name, raw)
        checker.finish()
    return sorted(
        checker.issues,
        key=lambda issue: (issue.file, issue.line or 0, issue.column or 0, issue.code),
    )
