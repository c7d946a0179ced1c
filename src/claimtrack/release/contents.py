"""What a release is written from: its rows (a ``RowStore``) and what data/ holds whole."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.loading import Corpus
from claimtrack.models import TABLE_MODELS, ReleaseInfo
from claimtrack.release.store import RowStore


@dataclass
class Contents:
    data_dir: Path
    release: ReleaseInfo
    raw_files: Collection[str]
    """The names of data/raw/'s files."""
    store: RowStore

    def __enter__(self) -> Contents:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.store.close()

    def counts(self) -> dict[str, int]:
        """Records per released table."""
        return {table: self.store.count(table) for table in TABLE_MODELS}


def contents_of(corpus: Corpus) -> Contents:
    """The contents of a corpus read whole (to refresh the cards of a small data/), in a
    store in memory; its propositions are derived by the store, as the build's are."""
    assert corpus.release is not None, "a corpus without release.yaml has errors"
    store = RowStore()
    for table in TABLE_MODELS:
        if table != "propositions":
            for located in corpus.records(table):
                store.add(table, located.record.model_dump(mode="json", by_alias=True))
    store.finish()
    return Contents(
        corpus.data_dir,
        corpus.release,
        sorted(corpus.raw_files),
        store,
    )


class StoreLookup:
    """The rows of a store, for ``cite`` (``lookup.RecordLookup``)."""

    def __init__(self, contents: Contents) -> None:
        self._contents = contents

    @property
    def info(self) -> ReleaseInfo:
        return self._contents.release

    def row(self, table: str, record_id: str) -> dict[str, Any] | None:
        return self._contents.store.row(table, record_id)

    def ids(self, table: str) -> list[str]:
        return self._contents.store.ids(table)
