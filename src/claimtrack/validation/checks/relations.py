"""Claim relations: no pair twice, no redundant same_proposition cycle, no contradiction inside a cluster."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence

from claimtrack.issues import Issue
from claimtrack.loading import Corpus
from claimtrack.models import ClaimRelation
from claimtrack.propositions import DisjointSets, RelationEnds, clusters
from claimtrack.vocab import ClaimRelationType

SYMMETRIC = {ClaimRelationType.SAME_PROPOSITION, ClaimRelationType.CONTRADICTS}


#: A relation, the file it stands in, and the line of a JSON pointer in its record.
PlacedRelation = tuple[RelationEnds, str, Callable[[str], "int | None"]]


def relation_rules(corpus: Corpus) -> Iterator[Issue]:
    located = sorted(corpus.records("claim_relations"), key=lambda item: item.record.id)
    roots = {item.record.id: item.root_pointer("") for item in located}
    for issue in relation_problems([(item.record, item.file, item.line_at) for item in located]):
        # pointers from the file's root, as every problem of data/ gives them
        yield dataclasses.replace(issue, pointer=roots[issue.record_id or ""] + issue.pointer)


def relation_problems(relations: Sequence[PlacedRelation]) -> Iterator[Issue]:
    """The rules over ``relations`` in their order: a repeat or a redundant cycle is
    reported on the later relation."""
    seen: dict[tuple[str, ...], str] = {}
    cycle_check = DisjointSets()
    for relation, file, line_at in relations:
        pair = (relation.from_claim_id, relation.to_claim_id)
        key = (relation.relation.value, *(sorted(pair) if relation.relation in SYMMETRIC else pair))
        if key in seen:
            yield repeat_problem(relation.id, seen[key], relation.relation, file, line_at("/id"))
            continue
        seen[key] = relation.id
        if relation.relation is ClaimRelationType.SAME_PROPOSITION and not cycle_check.union(*pair):
            yield cycle_problem(relation.id, file, line_at("/id"))
    sets = clusters(relation for relation, _, _ in relations)
    for relation, file, line_at in relations:
        if relation.relation is ClaimRelationType.CONTRADICTS and sets.find(
            relation.from_claim_id
        ) == sets.find(relation.to_claim_id):
            yield conflict_problem(relation.id, file, line_at("/relation"))


def repeat_problem(
    relation_id: str, first_id: str, relation: ClaimRelationType, file: str, line: int | None
) -> Issue:
    return Issue(
        file,
        line,
        None,
        "RELATION_DUPLICATE",
        f"relation {relation_id!r} repeats {first_id!r} ({relation.value} between the same claims); remove one",
        "/id",
        relation_id,
    )


def cycle_problem(relation_id: str, file: str, line: int | None) -> Issue:
    return Issue(
        file,
        line,
        None,
        "RELATION_CYCLE",
        f"relation {relation_id!r} joins claims that other same_proposition relations already join; remove it",
        "/id",
        relation_id,
    )


def conflict_problem(relation_id: str, file: str, line: int | None) -> Issue:
    return Issue(
        file,
        line,
        None,
        "RELATION_CONFLICT",
        f"relation {relation_id!r} says two claims contradict, but same_proposition relations put them in one proposition",
        "/relation",
        relation_id,
    )


#: A contributed relation, its file, and the lines of its /id and /relation.
ContributedRelation = tuple[ClaimRelation, str, int, int]


def added_relation_problems(
    corpus: Corpus, contributed: Sequence[ContributedRelation]
) -> list[Issue]:
    """What the rules find once contributed relations join those of data/ (a contributed
    one replaces the data/ one of its id), and not in data/ alone. data/'s come first, so
    a repeat or a redundant cycle is reported on the contributed relation."""
    ids = {relation.id for relation, *_ in contributed}
    in_data: list[PlacedRelation] = [
        (located.record, located.file, located.line_at)
        for located in sorted(corpus.records("claim_relations"), key=lambda item: item.record.id)
        if located.record.id not in ids
    ]
    added: list[PlacedRelation] = [
        (relation, file, {"/id": id_line, "/relation": relation_line}.get)
        for relation, file, id_line, relation_line in contributed
    ]
    before = set(relation_problems(in_data))
    return [issue for issue in relation_problems([*in_data, *added]) if issue not in before]
