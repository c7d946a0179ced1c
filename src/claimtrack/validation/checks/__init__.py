"""Cross-record rules. Each check is a generator of issues over a loaded corpus; none does I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from claimtrack.issues import Issue
from claimtrack.loading import Corpus
from claimtrack.validation.checks.attribution import attribution_chains
from claimtrack.validation.checks.duplicates import likely_duplicates
from claimtrack.validation.checks.editorial import evaluative_terms, evidence_hosts, research_rules
from claimtrack.validation.checks.footnotes import uncited_footnotes
from claimtrack.validation.checks.identity import claim_id_prefixes, duplicate_ids, tombstoned_ids
from claimtrack.validation.checks.loose import loose_claim_problems
from claimtrack.validation.checks.references import dangling_references, uncited_sources
from claimtrack.validation.checks.relations import relation_rules
from claimtrack.validation.checks.segments import segmentation
from claimtrack.validation.checks.spans import cues_in_spans

CHECKS: tuple[Callable[[Corpus], Iterator[Issue]], ...] = (
    segmentation,
    duplicate_ids,
    claim_id_prefixes,
    tombstoned_ids,
    dangling_references,
    cues_in_spans,
    attribution_chains,
    uncited_sources,
    uncited_footnotes,
    likely_duplicates,
    relation_rules,
    loose_claim_problems,
    research_rules,
    evidence_hosts,
    evaluative_terms,
)


def run_checks(corpus: Corpus) -> list[Issue]:
    """All problems of the corpus: those found while loading, then every cross-record rule."""
    issues = list(corpus.issues)
    for check in CHECKS:
        issues.extend(check(corpus))
    return ordered(issues)


def ordered(issues: list[Issue]) -> list[Issue]:
    """Problems once each, by file, line, column, code and message."""
    return sorted(
        set(issues),
        key=lambda issue: (
            issue.file,
            issue.line or 0,
            issue.column or 0,
            issue.code,
            issue.message,
        ),
    )
