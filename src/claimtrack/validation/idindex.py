"""A compact index of one table's ids (or of another key, such as a research record's
claim), for checking data/ one file at a time: kept on disk, with a few kilobytes in memory
whatever its size, instead of the records.

Each entry is the key's hash (Python's 64-bit string hash, stable within one process), the
number of the file it stands in and its place there, spooled to a temporary file as they
come. Frozen, the index is its distinct hashes, sorted, in a file of blocks of BLOCK
hashes; memory holds the first hash of each block (16 KB for a million keys) and the
blocks read last, and membership reads one block (4 KB) and searches it. The hashes are
sorted a bucket at a time (the buckets split them by their top bits, so that each fits in
a chunk's memory and the buckets in order are the whole order), and the hashes that came
more than once are noted as they are: a repeated key is confirmed on the keys themselves,
read again from the files (so a hash collision is never reported). The keys' text is
spooled too, read only to suggest the closest id for an unknown reference.
"""

from __future__ import annotations

import bisect
import os
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from claimtrack.located import Located

#: Where an entry's record lies: (file number, place in the file) -> the record, located.
Relocate = Callable[[int, int], "Located[dict[str, Any]]"]

#: Entries held before they are written to the spool, read back at a time, and about the
#: most a bucket holds when the hashes are sorted.
BUFFERED = 65536
#: An entry as spooled: its key's hash, and its file's number and its place in the file as
#: one number (``file | place << 32``).
ENTRY = np.dtype([("hash", "=i8"), ("where", "=i8")])
#: Hashes a block of the frozen index holds (4 KB).
BLOCK = 512
#: Blocks kept in memory once read (256 KB).
CACHED_BLOCKS = 64
#: At most 2 ** MAX_BUCKET_BITS buckets (files open at once) while the hashes are sorted.
MAX_BUCKET_BITS = 8


class IdIndex:
    def __init__(self, spool: Path) -> None:
        self._spool_path = spool
        self._entries_path = spool.with_suffix(".entries")
        self._sorted_path = spool.with_suffix(".sorted")
        self._spool: IO[str] | None = spool.open("w", encoding="utf-8")
        self._entries: IO[bytes] | None = self._entries_path.open("wb")
        self._buffer = array("q")  # two numbers an entry: the hash, then file and place
        self._fences: array[int] | None = None
        """Once frozen: the first hash of each block of the sorted file."""
        self._count = 0
        self._repeated = np.empty(0, dtype=np.int64)
        """Once frozen: the hashes that came more than once, sorted."""
        self._sorted: int | None = None  # the sorted file, open for reading
        self._blocks: dict[int, array[int]] = {}

    def add(self, key: str, file: int, place: int) -> None:
        assert self._spool is not None, "an index takes no key once it is frozen"
        self._buffer.extend((hash(key), file | (place << 32)))  # as ENTRY
        self._spool.write(key + "\n")
        if len(self._buffer) >= 2 * BUFFERED:
            self._flush()

    def mark(self) -> tuple[int, int]:
        """Where the keys added so far end: ``rollback`` to it forgets every key after."""
        assert self._spool is not None and self._entries is not None, "not frozen"
        self._flush()
        return self._entries.tell(), self._spool.tell()

    def rollback(self, mark: tuple[int, int]) -> None:
        """Forget every key added since ``mark`` (a file's, when the file fails to parse)."""
        assert self._spool is not None and self._entries is not None, "not frozen"
        self._flush()
        self._entries.seek(mark[0])
        self._entries.truncate()
        self._spool.seek(mark[1])
        self._spool.truncate()

    def _flush(self) -> None:
        if self._entries is not None and self._buffer:
            self._buffer.tofile(self._entries)
            self._buffer = array("q")

    def _end_spools(self) -> None:
        self._flush()
        for spool in (self._spool, self._entries):
            if spool is not None:
                spool.close()
        self._spool = self._entries = None

    def close(self) -> None:
        """Take no more keys, and answer no more questions (closes its files)."""
        self._end_spools()
        if self._sorted is not None:
            os.close(self._sorted)
            self._sorted = None

    def _chunks(self) -> Iterator[np.ndarray[Any, Any]]:
        """Every entry, in the order they came, BUFFERED at a time."""
        self._end_spools()
        with self._entries_path.open("rb") as entries:
            while chunk := entries.read(BUFFERED * ENTRY.itemsize):
                yield np.frombuffer(chunk, dtype=ENTRY)

    def freeze(self) -> None:
        """Every key is in: answer membership from now on (once frozen, nothing changes)."""
        if self._fences is not None:
            return
        self._end_spools()
        fences = array("q")
        repeated: list[np.ndarray[Any, Any]] = []
        with self._sorted_path.open("wb") as out:
            for bucket in self._buckets():
                bucket.sort()
                again = bucket[1:] == bucket[:-1]
                if again.any():
                    repeated.append(np.unique(bucket[1:][again]))
                    bucket = np.concatenate((bucket[:1], bucket[1:][~again]))
                first = -self._count % BLOCK  # the first hash of a block in this bucket
                fences.frombytes(bucket[first::BLOCK].tobytes())
                self._count += len(bucket)
                out.write(bucket.tobytes())
        self._fences = fences
        if repeated:
            self._repeated = np.concatenate(repeated)
        self._sorted = os.open(self._sorted_path, os.O_RDONLY)

    def _buckets(self) -> Iterator[np.ndarray[Any, np.dtype[np.int64]]]:
        """Every entry's hash, in buckets by their top bits, the buckets in order (as
        signed numbers): each bucket holds about BUFFERED hashes (up to 2 ** MAX_BUCKET_BITS
        times BUFFERED entries, 16.7 million; more beyond), read into memory alone."""
        count = self._entries_path.stat().st_size // ENTRY.itemsize
        bits = min((max(count - 1, 0) // BUFFERED).bit_length(), MAX_BUCKET_BITS)
        if bits <= 0:
            yield np.concatenate([chunk["hash"] for chunk in self._chunks()] or [_NO_HASHES])
            return
        folder = self._spool_path.with_suffix(".buckets")
        folder.mkdir(exist_ok=True)
        paths = [folder / str(number) for number in range(1 << bits)]
        files = [path.open("wb") for path in paths]
        try:
            for chunk in self._chunks():
                hashes = chunk["hash"]
                # the top bits as a signed number, shifted to 0 ... 2 ** bits - 1
                numbers = (hashes >> (64 - bits)) + (1 << (bits - 1))
                order = np.argsort(numbers, kind="stable")
                ends = np.cumsum(np.bincount(numbers, minlength=1 << bits))
                for number, part in enumerate(np.split(hashes[order], ends[:-1])):
                    if len(part):
                        files[number].write(part.tobytes())
        finally:
            for file in files:
                file.close()
        for path in paths:
            hashes = np.fromfile(path, dtype=np.int64)
            path.unlink()
            yield hashes
        folder.rmdir()

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        assert self._fences is not None, "freeze the index before asking it"
        value = hash(key)
        block = bisect.bisect_right(self._fences, value) - 1
        if block < 0:
            return False
        hashes = self._block(block)
        at = bisect.bisect_left(hashes, value)
        return at < len(hashes) and hashes[at] == value

    def _block(self, number: int) -> array[int]:
        hashes = self._blocks.get(number)
        if hashes is None:
            assert self._sorted is not None, "the index is closed"
            hashes = array("q")
            hashes.frombytes(os.pread(self._sorted, BLOCK * 8, number * BLOCK * 8))
            if len(self._blocks) >= CACHED_BLOCKS:
                del self._blocks[next(iter(self._blocks))]  # the one read first
            self._blocks[number] = hashes
        return hashes

    def __iter__(self) -> Iterator[str]:
        """The keys, in the order they came (a repeated key repeats)."""
        with self._spool_path.open(encoding="utf-8") as keys:
            for line in keys:
                yield line[:-1]

    def __reduce__(self) -> tuple[Any, ...]:
        """Sent to another process (a Dask worker, which has neither its files nor this
        process's string hashes), an index goes as the set of its keys."""
        return (frozenset, (frozenset(self),))

    def __len__(self) -> int:
        assert self._fences is not None, "freeze the index before asking it"
        return self._count

    def repeats(
        self, relocate: Relocate, key_of: Callable[[dict[str, Any]], Any]
    ) -> Iterator[tuple[Located[dict[str, Any]], Located[dict[str, Any]]]]:
        """(later entry, first entry) for every key that came more than once, in the order
        the later entries came; ``key_of`` reads the key from a relocated record. Freezes
        the index."""
        self.freeze()
        candidates: list[tuple[int, int]] = []  # (entry, where), in the order they came
        at = 0
        for chunk in self._chunks():
            for offset in np.flatnonzero(np.isin(chunk["hash"], self._repeated)):
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


_NO_HASHES = np.empty(0, dtype=np.int64)
