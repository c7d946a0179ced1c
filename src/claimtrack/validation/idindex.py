"""A compact index of one table's ids (or of another key, such as a research record's
claim): 16 bytes an entry instead of the records, for checking data/ one file at a time.

Each entry is the key's hash (Python's 64-bit string hash, stable within one process), the
number of the file it stands in and its place there. Membership is a binary search over the
sorted hashes; a repeated key is found by sorting, and confirmed on the keys themselves,
read again from the files (so a hash collision is never reported). The keys' text is
spooled to a temporary file, read only to suggest the closest id for an unknown reference.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from claimtrack.located import Located

#: Where an entry's record lies: (file number, place in the file) -> the record, located.
Relocate = Callable[[int, int], "Located[dict[str, Any]]"]


class IdIndex:
    def __init__(self, spool: Path) -> None:
        self._hashes = array("q")
        self._files = array("i")
        self._places = array("i")
        self._spool_path = spool
        self._spool: IO[str] | None = spool.open("w", encoding="utf-8")
        self._sorted: np.ndarray[Any, np.dtype[np.int64]] | None = None

    def add(self, key: str, file: int, place: int) -> None:
        self._hashes.append(hash(key))
        self._files.append(file)
        self._places.append(place)
        assert self._spool is not None, "an index takes no key once it is frozen"
        self._spool.write(key + "\n")

    def close(self) -> None:
        """Take no more keys (closes the spool of their text)."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def freeze(self) -> None:
        """Every key is in: answer membership from now on."""
        self.close()
        self._sorted = np.unique(np.frombuffer(self._hashes, dtype=np.int64))

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        assert self._sorted is not None, "freeze the index before asking it"
        value = hash(key)
        at = int(np.searchsorted(self._sorted, value))
        return at < len(self._sorted) and int(self._sorted[at]) == value

    def __iter__(self) -> Iterator[str]:
        """The keys, in the order they came (a repeated key repeats)."""
        with self._spool_path.open(encoding="utf-8") as keys:
            for line in keys:
                yield line[:-1]

    def __len__(self) -> int:
        assert self._sorted is not None, "freeze the index before asking it"
        return len(self._sorted)

    def repeats(
        self, relocate: Relocate, key_of: Callable[[dict[str, Any]], Any]
    ) -> Iterator[tuple[Located[dict[str, Any]], Located[dict[str, Any]]]]:
        """(later entry, first entry) for every key that came more than once, in the order
        the later entries came; ``key_of`` reads the key from a relocated record."""
        hashes = np.frombuffer(self._hashes, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        ranked = hashes[order]
        repeated = np.flatnonzero(ranked[1:] == ranked[:-1])
        candidates = sorted(
            {int(order[i]) for i in repeated} | {int(order[i + 1]) for i in repeated}
        )
        found: list[tuple[int, Located[dict[str, Any]], Located[dict[str, Any]]]] = []
        first: dict[Any, Located[dict[str, Any]]] = {}
        for entry in candidates:  # in insertion order: the first of a key is seen first
            located = relocate(self._files[entry], self._places[entry])
            key = key_of(located.record)
            if key in first:
                found.append((entry, located, first[key]))
            else:
                first[key] = located
        for _, located, earlier in sorted(found, key=lambda item: item[0]):
            yield located, earlier
