"""Proposition clusters: claims joined by same_proposition relations, with the links bearing on them."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from claimtrack.models import ClaimRelation, HistoriographyLink
from claimtrack.models.propositions import Proposition
from claimtrack.vocab import ClaimRelationType


class DisjointSets:
    """Union-find over claim ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: str, second: str) -> bool:
        """Join two sets; False if they were already one (the edge closes a cycle)."""
        first_root, second_root = self.find(first), self.find(second)
        if first_root == second_root:
            return False
        self.parent[max(first_root, second_root)] = min(first_root, second_root)
        return True


class NumberedSets:
    """Union-find over the numbers 1 to ``count``, four bytes a number: as in
    ``DisjointSets``, a set's root is its smallest number."""

    def __init__(self, count: int) -> None:
        self.parent = array("i", range(count + 1))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:  # path compression
            parent[item], item = root, parent[item]
        return root

    def union(self, first: int, second: int) -> bool:
        """Join two sets; False if they were already one (the edge closes a cycle)."""
        first_root, second_root = self.find(first), self.find(second)
        if first_root == second_root:
            return False
        self.parent[max(first_root, second_root)] = min(first_root, second_root)
        return True


class RelationEnds(Protocol):
    """What the relation rules read of a relation (a ClaimRelation, or a compact tuple)."""

    @property
    def id(self) -> str: ...
    @property
    def relation(self) -> ClaimRelationType: ...
    @property
    def from_claim_id(self) -> str: ...
    @property
    def to_claim_id(self) -> str: ...


def clusters(relations: Iterable[RelationEnds]) -> DisjointSets:
    """The claims joined by same_proposition relations. A set's root is its smallest claim id
    (``union`` puts the larger root under the smaller), so the sets and their roots are the
    same in whatever order the relations come: they are taken as they come, not held."""
    sets = DisjointSets()
    for relation in relations:
        if relation.relation is ClaimRelationType.SAME_PROPOSITION:
            sets.union(relation.from_claim_id, relation.to_claim_id)
    return sets


def members(sets: DisjointSets) -> Iterator[list[str]]:
    """The claim ids of each set, in id order, the sets in order of their roots (their
    smallest ids)."""
    grouped: dict[str, list[str]] = {}
    for claim_id in sets.parent:
        grouped.setdefault(sets.find(claim_id), []).append(claim_id)
    for root in sorted(grouped):
        yield sorted(grouped.pop(root))


def propositions(
    relations: Iterable[ClaimRelation],
    links: Iterable[HistoriographyLink],
    document_of: dict[str, str],
) -> list[Proposition]:
    """One record per cluster of two or more claims; its id is the cluster's smallest claim id."""
    links_by_claim: dict[str, list[str]] = {}
    for link in links:
        links_by_claim.setdefault(link.claim_id, []).append(link.id)
    return list(
        proposition_records(
            members(clusters(relations)),
            lambda claim_id: links_by_claim.get(claim_id, []),
            document_of.get,
        )
    )


def proposition_records(
    clustered: Iterable[list[str]],
    links_of: Callable[[str], list[str]],
    document_of: Callable[[str], str | None],
) -> Iterator[Proposition]:
    """The records of the clusters (each a list of claim ids in id order, as ``members``
    gives them), made one at a time, with the links on their claims (``links_of``) and their
    documents (``document_of``: None for a claim that is not known). A record's id is its
    cluster's smallest claim id."""
    for claim_ids in clustered:
        documents = {document_of(claim_id) for claim_id in claim_ids}
        yield Proposition(
            id=claim_ids[0],
            claim_ids=claim_ids,
            document_ids=sorted(document for document in documents if document is not None),
            historiography_ids=sorted(
                link for claim_id in claim_ids for link in links_of(claim_id)
            ),
        )
