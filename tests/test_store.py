"""release/store.py: the rows a release is written from, on disk, found by what they name."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.loading import load_corpus
from claimtrack.release.contents import contents_of
from claimtrack.release.store import CACHE_KIB, RowStore
from claimtrack.vocab import ClaimRelationType

from .conftest import REPO


def _claim(claim_id: str, agent: str, sources: list[str]) -> dict[str, Any]:
    return {
        "id": claim_id,
        "document_id": claim_id.split("/")[0],
        "attribution": {"claimant_id": agent, "via": [{"agent_id": "via-agent"}]},
        "citations": [{"source_id": source} for source in sources],
        "topics": ["t", "t"],
        "research": {"status": "pending", "links": 0},
    }


def test_rows_come_in_id_order_and_are_found_by_what_they_name(tmp_path: Path) -> None:
    with RowStore(tmp_path / "rows.sqlite") as store:
        for claim_id in ("doc-b/x", "doc-a/z", "doc-a-b/y", "doc-a/a"):
            store.add("claims", _claim(claim_id, "agent", ["s1", "s1", "s2"]))
        store.add("historiography", {"id": "l2", "claim_id": "doc-a/z", "source_id": "w"})
        store.add("historiography", {"id": "l1", "claim_id": "doc-a/z", "source_id": "w"})
        store.add_research("doc-a/z", {"status": "searched", "links": 0})  # the links win
        store.add_research("doc-b/x", {"status": "searched", "links": 0, "note": "n"})
        store.finish()
        assert [row["id"] for row in store.rows("claims")] == sorted(
            ["doc-b/x", "doc-a/z", "doc-a-b/y", "doc-a/a"]
        )
        research = {
            claim_id: (store.row("claims", claim_id) or {})["research"]
            for claim_id in ("doc-a/z", "doc-b/x", "doc-a/a")
        }
        assert research["doc-a/z"]["status"] == "linked" and research["doc-a/z"]["links"] == 2
        assert research["doc-b/x"] == {"status": "searched", "links": 0, "note": "n"}
        assert research["doc-a/a"] == {"status": "pending", "links": 0}
        assert [row["id"] for row in store.related("claims.document", "doc-a")] == [
            "doc-a/a",
            "doc-a/z",
        ]
        assert store.count_related("claims.source", "s1") == 4  # each claim once
        assert store.count_related("claims.topic", "t") == 4
        assert store.count_related("claims.agent", "via-agent") == 4
        assert store.referring("historiography.claim", "doc-a/z") == ["l1", "l2"]
        assert store.keys("historiography.work") == [("w", 2)]
        assert store.document_of("doc-a-b/y") == "doc-a-b" and store.document_of("nope") is None
        assert store.row("claims", "nope") is None and store.count("claims") == 4


def test_ids_read_a_batch_at_a_time_come_in_id_order_while_the_store_is_read() -> None:
    """``iter_ids`` reads 1,000 ids at a time: 2,500 links come whole and in order, and
    the connection answers other lookups between the ids (the explorer's parts do)."""
    with RowStore() as store:
        ids = [f"link-{number:05d}" for number in range(2500)]
        for link_id in reversed(ids):
            store.add("historiography", {"id": link_id, "claim_id": "d/c", "source_id": "w"})
        store.finish()
        read = []
        for link_id in store.iter_ids("historiography"):
            assert (store.row("historiography", link_id) or {})["id"] == link_id
            read.append(link_id)
        assert read == ids == store.ids("historiography")
        assert list(store.iter_ids("claims")) == []


def test_a_repeated_id_is_kept_once_and_counted() -> None:
    with RowStore() as store:
        store.add("agents", {"id": "a", "name": "first"})
        store.add("agents", {"id": "a", "name": "second"})
        store.add("sources", {"id": "a"})  # another table: not a repeat
        store.finish()
        assert store.repeated == 1
        assert [row["name"] for row in store.rows("agents")] == ["first"]


def test_the_store_derives_the_seeds_propositions_as_the_corpus_does() -> None:
    corpus = load_corpus(REPO / "data")
    expected = [record.model_dump(mode="json", by_alias=True) for record in corpus.propositions()]
    with contents_of(corpus) as contents:
        assert list(contents.store.rows("propositions")) == expected
        assert len(expected) > 10


def _count_in_child(store: RowStore, queue: Any) -> None:
    with store.reopen() as mine:
        queue.put(mine.count("claims"))


def test_a_forked_process_reads_the_finished_store(tmp_path: Path) -> None:
    """A finished store drops the lock it wrote under, so that a worker's connection reads."""
    with RowStore(tmp_path / "rows.sqlite") as store:
        for number in range(3):
            store.add("claims", _claim(f"d/{number}", "agent", []))
        store.finish()
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_count_in_child, args=(store, queue))
        child.start()
        child.join(30)
        assert child.exitcode == 0 and queue.get(timeout=5) == 3


def test_a_kept_row_holds_its_own_bytes_not_the_buffer_orjson_wrote_it_into() -> None:
    """orjson gives its result without shrinking the buffer it wrote into (4 KB at least): a
    batch of 5,000 small rows held 18 MB that way."""
    import tracemalloc

    from claimtrack.release.store import dump_row

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [dump_row({"claim_id": f"d/claim-{n}", "status": "searched"}) for n in range(500)]
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept[0] == b'{"claim_id":"d/claim-0","status":"searched"}'
    assert held < 500 * 200, held  # about 90 bytes a row (object and list), not 4 KB


def test_rows_are_written_once_a_batch_holds_its_bytes(monkeypatch: Any) -> None:
    from claimtrack.release import store as store_module

    monkeypatch.setattr(store_module, "BATCH_BYTES", 100)
    with RowStore() as store:
        store.add("agents", {"id": "a", "name": "x" * 40})
        assert len(store._rows) == 1
        store.add("agents", {"id": "b", "name": "x" * 40})  # 110 bytes pending: written
        assert store._rows == []
        store.add_research("d/claim-1", {"status": "searched", "note": "y" * 90})
        assert store._research == []
        store.finish()
        assert [row["id"] for row in store.rows("agents")] == ["a", "b"]


def test_propositions_do_not_depend_on_the_order_relations_come_in() -> None:
    from claimtrack.propositions import clusters, members, proposition_records

    corpus = load_corpus(REPO / "data")
    relations = [located.record for located in corpus.tables["claim_relations"]]
    document_of = {located.record.id: located.record.document_id for located in corpus.claims}
    expected = corpus.propositions()
    for order in (relations, relations[::-1], sorted(relations, key=lambda r: r.to_claim_id)):
        made = proposition_records(members(clusters(order)), lambda claim_id: [], document_of.get)
        assert [record.claim_ids for record in made] == [r.claim_ids for r in expected]


def test_lookups_of_many_ids_or_keys_give_what_one_at_a_time_gives(monkeypatch: Any) -> None:
    """``rows_by_id`` and ``related_to_each`` read many ids (keys) a query at a time: the
    same rows as ``row`` and ``related`` one by one, across the queries' chunks, with
    missing and repeated ids, and an empty list for a key nothing is found under."""
    monkeypatch.setattr("claimtrack.release.store.MANY", 3)  # several chunks of a few rows
    with RowStore() as store:
        claim_ids = [f"doc-{number % 3}/c{number}" for number in range(10)]
        for claim_id in claim_ids:
            store.add("claims", _claim(claim_id, f"agent-{claim_id[-1]}", ["s1"]))
        for number, claim_id in enumerate(claim_ids[:7]):
            link = {"id": f"l{9 - number}", "claim_id": claim_id, "source_id": "w"}
            store.add("historiography", link)
            store.add("historiography", {**link, "id": f"m{number}"})
        store.add_research(claim_ids[8], {"status": "searched", "links": 0, "note": "n"})
        store.add("agents", {"id": "agent-1", "name": "one"})
        store.finish()
        wanted = [*reversed(claim_ids), "nope", claim_ids[0]]
        rows = store.rows_by_id("claims", wanted)
        assert rows == {claim_id: store.row("claims", claim_id) for claim_id in claim_ids}
        assert rows[claim_ids[8]]["research"]["note"] == "n"
        assert rows[claim_ids[0]]["research"]["status"] == "linked"
        assert store.rows_by_id("agents", ["agent-1", "agent-2"]) == {
            "agent-1": {"id": "agent-1", "name": "one"}
        }
        for kind, keys in (
            ("historiography.claim", [*claim_ids, "nope"]),
            ("claims.document", ["doc-2", "doc-0", "doc-9", "doc-1"]),
            ("claims.agent", ["agent-0", "agent-1"]),
        ):
            related = store.related_to_each(kind, keys)
            assert related == {key: store.related(kind, key) for key in keys}
            assert list(related) == list(dict.fromkeys(keys))
        assert store.related_to_each("historiography.claim", ["nope"]) == {"nope": []}
        assert store.rows_by_id("claims", []) == {} == store.related_to_each("claims.agent", [])


def test_every_connection_has_the_bounded_page_cache(tmp_path: Path) -> None:
    with RowStore(tmp_path / "rows.sqlite") as store:
        store.add("topics", {"id": "t1"})
        store.finish()
        other = store.reopen()
        try:
            for connection in (store, other):
                assert connection._db.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
            assert other.row("topics", "t1") == {"id": "t1"}
        finally:
            other.close()


#: Claim ids whose order turns on hyphens, digits and prefixes (a claim id is lower-case
#: ASCII: SQLite's order of their bytes is Python's).
_CLAIM_POOL = ["d/a", "d/a-b", "d/a0", "d/ab", "d-x/1", "d/1", "d/10", "d/2", "dx/1", "d0/1", "e/1"]
_ENDS_POOL = [*_CLAIM_POOL, "gone/1", "gone/2"]  # the last two are not claims: no document


@settings(max_examples=100, deadline=None)  # a SQLite store each (1-4 ms): none under load
@given(
    edges=st.lists(
        st.tuples(
            st.sampled_from(_ENDS_POOL),
            st.sampled_from(_ENDS_POOL),
            st.sampled_from(list(ClaimRelationType)),
        ).filter(  # a claim the same proposition as itself is an error (a cycle): not built
            lambda edge: edge[0] != edge[1] or edge[2] is not ClaimRelationType.SAME_PROPOSITION
        ),
        max_size=30,
    ),
    linked=st.lists(st.sampled_from(_CLAIM_POOL), max_size=8),
    roots_at_a_time=st.sampled_from([1, 2, 3, 5000]),
)
def test_the_store_derives_the_propositions_the_in_memory_sets_give(
    edges: list[tuple[str, str, ClaimRelationType]], linked: list[str], roots_at_a_time: int
) -> None:
    """The store's clusters (numbered claims, a union-find over numbers, read back a range of
    roots at a time) give the records of ``DisjointSets`` over the claim ids: chains, cycles,
    repeated pairs, claims that are not in the store, other relation types (a claim's to
    itself among them), clusters read back in ranges of one, two, three roots or all."""
    from claimtrack.propositions import clusters, members, proposition_records
    from claimtrack.release import store as store_module

    ends = [
        SimpleNamespace(id=f"r{number:03d}", relation=relation, from_claim_id=a, to_claim_id=b)
        for number, (a, b, relation) in enumerate(edges)
    ]
    links = {f"l{number}": claim_id for number, claim_id in enumerate(linked)}
    with mock.patch.object(store_module, "MANY_ROOTS", roots_at_a_time), RowStore() as store:
        for claim_id in _CLAIM_POOL:
            store.add("claims", _claim(claim_id, "agent", []))
        for end in ends:
            relation = {"id": end.id, "relation": end.relation.value}
            store.add(
                "claim_relations",
                {**relation, "from_claim_id": end.from_claim_id, "to_claim_id": end.to_claim_id},
            )
        for link_id, claim_id in links.items():
            store.add("historiography", {"id": link_id, "claim_id": claim_id, "source_id": "w"})
        store.finish()
        derived = list(store.rows("propositions"))

    def links_of(claim_id: str) -> list[str]:
        return sorted(link for link, linked_claim in links.items() if linked_claim == claim_id)

    def document_of(claim_id: str) -> str | None:
        return claim_id.split("/")[0] if claim_id in _CLAIM_POOL else None

    expected = proposition_records(members(clusters(ends)), links_of, document_of)
    assert derived == [record.model_dump(mode="json", by_alias=True) for record in expected]
