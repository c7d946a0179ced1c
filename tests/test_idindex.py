"""The compact id index of `claimtrack validate`: membership, and repeats found in the order
they came, across the chunks its spool is read in."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from claimtrack.validation import idindex
from claimtrack.validation.idindex import IdIndex

KEYS = ["a", "b", "a", "c", "b", "a", "d"]


def _filled(tmp_path: Path, keys: list[str]) -> IdIndex:
    index = IdIndex(tmp_path / "test.ids")
    for number, key in enumerate(keys):
        index.add(key, number // 3, number % 3)  # three entries a file
    return index


def _repeats(index: IdIndex, keys: list[str]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    def relocate(file: int, place: int) -> Any:
        return SimpleNamespace(record={"id": keys[file * 3 + place]}, at=(file, place))

    return [
        (later.at, first.at)
        for later, first in index.repeats(relocate, lambda record: record["id"])  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("buffered", [1, 2, 3, 65536])
def test_repeats_come_in_the_order_they_came_with_their_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buffered: int
) -> None:
    monkeypatch.setattr(idindex, "BUFFERED", buffered)
    index = _filled(tmp_path, KEYS)
    index.freeze()
    assert len(index) == 4
    assert all(key in index for key in "abcd")
    assert "e" not in index and 1 not in index
    # entries 2, 4 and 5 repeat entries 0, 1 and 0; an entry is (file, place)
    assert _repeats(index, KEYS) == [((0, 2), (0, 0)), ((1, 1), (0, 1)), ((1, 2), (0, 0))]
    assert list(index) == KEYS


def test_a_hash_collision_is_never_reported_as_a_repeat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idindex, "BUFFERED", 2)
    monkeypatch.setattr(idindex, "hash", lambda key: 7, raising=False)  # every key collides
    index = _filled(tmp_path, KEYS)
    assert _repeats(index, KEYS) == [((0, 2), (0, 0)), ((1, 1), (0, 1)), ((1, 2), (0, 0))]


def test_an_empty_index_holds_nothing(tmp_path: Path) -> None:
    index = IdIndex(tmp_path / "empty.ids")
    index.freeze()
    assert len(index) == 0 and "a" not in index
    assert _repeats(index, []) == []


@pytest.mark.parametrize(
    ("count", "buffered", "block"), [(1000, 64, 8), (5000, 100, 512), (300, 1024, 7)]
)
def test_a_large_index_is_sorted_in_buckets_and_read_a_block_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, buffered: int, block: int
) -> None:
    """Many buckets (each about BUFFERED hashes), blocks that straddle them, a small cache."""
    monkeypatch.setattr(idindex, "BUFFERED", buffered)
    monkeypatch.setattr(idindex, "BLOCK", block)
    monkeypatch.setattr(idindex, "CACHED_BLOCKS", 3)
    keys = [f"claim-{number}" for number in range(count)]
    keys += keys[:: count // 10]  # ten repeats, each the repeat of an earlier key
    index = _filled(tmp_path, keys)
    index.freeze()
    assert len(index) == count
    on_disk = np.fromfile(tmp_path / "test.sorted", dtype=np.int64)
    assert on_disk.tolist() == sorted({hash(key) for key in keys})
    assert all(key in index for key in keys)
    assert not any(f"other-{number}" in index for number in range(count))
    assert len(index._blocks) <= 3
    repeats = _repeats(index, keys)
    assert [later for later, _ in repeats] == [divmod(n, 3) for n in range(count, len(keys))]
    assert [first for _, first in repeats] == [
        divmod(keys.index(keys[n]), 3) for n in range(count, len(keys))
    ]
    assert not (tmp_path / "test.buckets").exists()
    index.close()


@pytest.mark.parametrize("buffered", [1, 2, 65536])
def test_a_rollback_forgets_the_keys_added_since_its_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buffered: int
) -> None:
    """What a file that fails to parse added is forgotten: its keys, and its repeats."""
    monkeypatch.setattr(idindex, "BUFFERED", buffered)
    index = _filled(tmp_path, KEYS[:4])  # a b a c
    mark = index.mark()
    for key in ["b", "x", "c", "é"]:
        index.add(key, 9, 0)
    index.rollback(mark)
    index.add("y", 2, 0)
    index.freeze()
    assert list(index) == ["a", "b", "a", "c", "y"]
    assert _repeats(index, [*KEYS[:4], "", "", "y"]) == [((0, 2), (0, 0))]
    assert {key for key in "abcxyé" if key in index} == {"a", "b", "c", "y"}
    assert len(index) == 4
