"""A compact index of one table's ids (or of another key, such as a research record's
claim), for checking data/ one file at a time: 8 bytes an entry in memory once frozen, none
before, instead of the records.

Each entry is the key's hash (Python's 64-bit string hash, stable within one process), the
number of the file it stands in and its place there, spooled to a temporary file as they
come. Frozen, the index holds the sorted hashes: membership is a binary search over them. A
repeated key is found by sorting the spooled hashes, and confirmed on the keys themselves,
read again from the files (so a hash collision is never reported). The keys' text is
spooled too, read only to suggest the closest id for an unknown reference.
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

#: Entries held before they are written to the spool.
BUFFERED = 65536
#: An entry as spooled: its key's hash, and its file's number and its place in the file as
#: one number (``file | place << 32``).
ENTRY = np.dtype([("hash", "=i8"), ("where", "=i8")])


class IdIndex:
    def __init__(self, spool: Path) -> None:
        self._spool_path = spool
        self._entries_path = spool.with_suffix(".entries")
        self._spool: IO[str] | None = spool.open("w", encoding="utf-8")
        self._entries: IO[bytes] | None = self._entries_path.open("wb")
        self._buffer = array("q")  # two numbers an entry: the hash, then file and place
        self._sorted: np.ndarray[Any, np.dtype[np.int64]] | None = None

    def add(self, key: str, file: int, place: int) -> None:
        assert self._spool is not None, "an index takes no key once it is frozen"
        self._buffer.extend((hash(key), file | (place << 32)))  # as ENTRY
        self._spool.write(key + "\n")
        if len(self._buffer) >= 2 * BUFFERED:
            self._flush()

    def _flush(self) -> None:
        if self._entries is not None and self._buffer:
            self._buffer.tofile(self._entries)
            self._buffer = array("q")

    def close(self) -> None:
        """Take no more keys (closes the spools)."""
        self._flush()
        for spool in (self._spool, self._entries):
            if spool is not None:
                spool.close()
        self._spool = self._entries = None

    def _chunks(self) -> Iterator[np.ndarray[Any, Any]]:
        """Every entry, in the order they came, BUFFERED at a time."""
        self.close()
        with self._entries_path.open("rb") as entries:
            while chunk := entries.read(BUFFERED * ENTRY.itemsize):
                yield np.frombuffer(chunk, dtype=ENTRY)

    def _hashes(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Every entry's hash, in the order they came: 8 bytes an entry, read a chunk at a
        time (not the whole spool and then its hashes: three times the memory at once)."""
        self.close()
        count = self._entries_path.stat().st_size // ENTRY.itemsize
        hashes = np.empty(count, dtype=np.int64)
        at = 0
        for chunk in self._chunks():
            hashes[at : at + len(chunk)] = chunk["hash"]
            at += len(chunk)
        return hashes

    def freeze(self) -> None:
        """Every key is in: answer membership from now on."""
        hashes = self._hashes()
        hashes.sort()
        distinct = np.ones(len(hashes), dtype=bool)
        np.not_equal(hashes[1:], hashes[:-1], out=distinct[1:])
        self._sorted = hashes if distinct.all() else hashes[distinct]

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
        ranked = self._hashes()
        ranked.sort()
        repeated = np.unique(ranked[1:][ranked[1:] == ranked[:-1]])
        del ranked
        candidates: list[tuple[int, int]] = []  # (entry, where), in the order they came
        at = 0
        for chunk in self._chunks():
            for offset in np.flatnonzero(np.isin(chunk["hash"], repeated)):
                candidates.append((at + int(offset), int(chunk["where"][offset])))
            at += len(chunk)
        found: list[tuple[int, Located[dict[str, Any]], Located[dict[str, Any]]]] = []
        first: dict[Any, Located[dict[str, Any]]] = {}
        for entry, where in candidates:  # in insertion order: the first of a key is seen first
            located = relocate(where & 0xFFFFFFFF, where >> 32)
            key = key_of(located.record)
            if key in first:
                found.append((entry, located, first[key]))
            else:
                first[key] = located
        for _, located, earlier in sorted(found, key=lambda item: item[0]):
            yield located, earlier
