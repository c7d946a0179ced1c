"""release/store.py: the rows a release is written from, on disk, found by what they name."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from claimtrack.loading import load_corpus
from claimtrack.release.contents import contents_of
from claimtrack.release.store import RowStore

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
