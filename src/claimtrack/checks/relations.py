"""Claim relations: no pair twice, no redundant same_proposition cycle, no contradiction inside a cluster."""

from __future__ import annotations

from collections.abc import Iterator

from claimtrack.issues import Issue
from claimtrack.loading import Corpus
from claimtrack.propositions import DisjointSets, clusters
from claimtrack.vocab import ClaimRelationType

SYMMETRIC = {ClaimRelationType.SAME_PROPOSITION, ClaimRelationType.CONTRADICTS}


def relation_rules(corpus: Corpus) -> Iterator[Issue]:
    located_relations = sorted(corpus.records("claim_relations"), key=lambda item: item.record.id)
    seen: dict[tuple[str, ...], str] = {}
    cycle_check = DisjointSets()
    for located in located_relations:
        relation = located.record
        pair = (relation.from_claim_id, relation.to_claim_id)
        key = (relation.relation.value, *(sorted(pair) if relation.relation in SYMMETRIC else pair))
        if key in seen:
            yield Issue(
                located.file,
                located.line_at("/id"),
                None,
                "RELATION_DUPLICATE",
                f"relation {relation.id!r} repeats {seen[key]!r} ({relation.relation.value} between the same claims); remove one",
                "/id",
                relation.id,
            )
            continue
        seen[key] = relation.id
        if relation.relation is ClaimRelationType.SAME_PROPOSITION and not cycle_check.union(*pair):
            yield Issue(
                located.file,
                located.line_at("/id"),
                None,
                "RELATION_CYCLE",
                f"relation {relation.id!r} joins claims that other same_proposition relations already join; remove it",
                "/id",
                relation.id,
            )
    sets = clusters(located.record for located in located_relations)
    for located in located_relations:
        relation = located.record
        if relation.relation is ClaimRelationType.CONTRADICTS and sets.find(
            relation.from_claim_id
        ) == sets.find(relation.to_claim_id):
            yield Issue(
                located.file,
                located.line_at("/relation"),
                None,
                "RELATION_CONFLICT",
                f"relation {relation.id!r} says two claims contradict, but same_proposition relations put them in one proposition",
                "/relation",
                relation.id,
            )
