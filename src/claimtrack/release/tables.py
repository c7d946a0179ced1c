"""Write one table as JSONL (orjson) and zstd Parquet with a pinned Arrow schema, in shards
bounded by rows and bytes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
import pyarrow.parquet as pq
from pydantic import BaseModel

from claimtrack.release.features import features_for
from claimtrack.release.layout import shard_name

JSONL_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
#: Pinned writer options: the same rows give the same Parquet bytes.
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "store_schema": True,
}


@dataclass(frozen=True)
class ShardLimits:
    """Where a table is cut into files, and a Parquet file into row groups.

    Sizes count the rows' JSONL bytes: known before a row is written and the same on every
    machine; the zstd Parquet of the same rows is smaller (10-48% of it in the seed release).
    The defaults keep a file well under the 500 MB that `datasets` aims for when it shards
    (config.MAX_SHARD_SIZE) and a row group under its 100 MB (config.MAX_ROW_GROUP_SIZE);
    `datasets` reads Parquet in batches of a row group. An open row group is held while it
    is written, as Arrow and once more as the table the Parquet writer is given: writing the
    tables of a million synthetic claims (the documents 83 MB of JSON) peaked 221 MB
    above where it started with groups of 64 MiB, 124 MB with 16 MiB. The documents table
    alone, from the store of that build: 126 MB above its start with groups of 16 MiB,
    104 MB with 8, 82 MB with 4, 65 MB with 1. With 4 MiB, a corpus of 100,000 synthetic
    claims (8.3 MB of documents) already fills its row groups: the peak stops growing with
    the corpus there. Tests and benchmarks pass small limits (or set ``SHARD_LIMITS``) to
    shard a small corpus.
    """

    max_rows: int = 100_000
    max_bytes: int = 256 * 2**20
    row_group_rows: int = 10_000
    row_group_bytes: int = 4 * 2**20

    def __post_init__(self) -> None:
        if min(self.max_rows, self.max_bytes, self.row_group_rows, self.row_group_bytes) < 1:
            raise ValueError(f"shard limits must be positive: {self}")


SHARD_LIMITS = ShardLimits()
#: Rows of an open row group are converted to Arrow this many at a time: a group of
#: 10,000 claims of the seed is held as 9 MB of Arrow instead of 40 MB of Python dicts.
BATCH_ROWS = 500


def arrow_batch(lines: Sequence[bytes], schema: pa.Schema) -> pa.RecordBatch:
    """Rows given as their JSON lines, as the Arrow batch ``pa.RecordBatch.from_pylist``
    makes of them, to the byte.

    Arrow's JSON reader parses them, in about the time ``from_pylist`` takes to convert
    their values (the seed's 1,141 claims: 7.2 against 6.5 ms, medians of 7), without
    importing pandas, as ``from_pylist`` does for any conversion: 40 MB of the build's
    memory and of each explorer process forked from it. It writes the fields of a null
    struct as nulls where ``from_pylist`` writes empty values: ``_as_built`` writes them so."""
    data = b"".join(lines)
    table = pj.read_json(
        pa.BufferReader(data),
        read_options=pj.ReadOptions(use_threads=False, block_size=max(len(data), 1)),
        parse_options=pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error"),
    ).combine_chunks()
    columns = [_as_built(column.combine_chunks(), None) for column in table.columns]
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _as_built(array: pa.Array, forced: pa.BooleanArray | None) -> pa.Array:
    """``array`` (at offset 0) with its slots in ``forced`` (where a struct it is a field
    of is null; None when there is none) valid and empty, as Arrow's builders append a null
    struct's fields."""
    assert array.offset == 0, "a whole array, as the JSON reader gives"
    validity, nulls = array.buffers()[0], array.null_count
    changed = forced is not None and nulls > 0
    if changed:
        valid = pc.or_(array.is_valid(), forced)
        nulls = len(valid) - pc.sum(valid).as_py()
        validity = valid.buffers()[1] if nulls else None
    kind = array.type
    if pa.types.is_struct(kind):
        # where this struct is null, or (now valid and empty) a struct above it was
        fields_forced: pa.BooleanArray | None = None
        if array.null_count:
            fields_forced = pc.invert(array.is_valid())
        if forced is not None:
            fields_forced = forced if fields_forced is None else pc.or_(fields_forced, forced)
        children = [
            _as_built(array.field(index), fields_forced) for index in range(kind.num_fields)
        ]
        return pa.Array.from_buffers(kind, len(array), [validity], nulls, children=children)
    if pa.types.is_list(kind):
        values = _as_built(array.values, None)  # a list's elements are under no null struct
        buffers = [validity, array.buffers()[1]]
        return pa.Array.from_buffers(kind, len(array), buffers, nulls, children=[values])
    if not changed:
        return array
    return pa.Array.from_buffers(kind, len(array), [validity, *array.buffers()[1:]], nulls)


@dataclass(frozen=True)
class WrittenTable:
    table: str
    rows: int
    arrow_bytes: int
    """In-memory Arrow size: the card's ``num_bytes`` for the split."""
    jsonl: tuple[Path, ...]
    parquet: tuple[Path, ...]


#: Arrow's own default pool (mimalloc in pyarrow's wheels), as it was when this module was
#: imported: the Parquet writer takes some of its memory there whatever pool it is given.
ARROW_POOL = pa.default_memory_pool()


@contextmanager
def malloc_for_arrow() -> Iterator[None]:
    """Arrow's buffers from the C library's malloc while tables are written. Arrow's default
    pool (mimalloc) keeps what each row group freed: writing the tables of 200,000 claims
    took the build from 226 to 328 MB that way, to 284 MB with malloc, which gives a row
    group's large buffers back as they are freed. What the Parquet writer still takes from
    Arrow's default pool is given back after each row group (``release_unused``): it kept
    20 MB once a row group of 500 of the synthetic corpus's documents was written."""
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)
        ARROW_POOL.release_unused()


def record_rows(records: Sequence[BaseModel]) -> list[dict[str, Any]]:
    """Records as JSON-ready dicts (aliases, enum values), sorted by id."""
    rows = [record.model_dump(mode="json", by_alias=True) for record in records]
    return sorted(rows, key=lambda row: row["id"])


class TableWriter:
    """Write one table's rows, given in id order, as JSONL and Parquet shards cut at the
    same rows, so that JSONL shard N and Parquet shard N hold the same records.

    Only the open row group is held in memory, as Arrow batches. A shard's file name
    carries the number of shards, unknown until the last row: shards are written under a
    temporary name and renamed by ``close``. Used as a context manager, the open files are
    closed when writing fails (the build then removes its temporary folder).
    """

    def __init__(
        self,
        table: str,
        model: type[BaseModel],
        root: Path,
        limits: ShardLimits | None = None,
    ) -> None:
        self.table = table
        self._schema = features_for(model).arrow_schema
        # Looked up when a table is written, so that a test can set the module's SHARD_LIMITS.
        self._limits = limits or SHARD_LIMITS
        self._jsonl_dir = root / "jsonl"
        self._parquet_dir = root / "data" / table
        self._shards: list[tuple[Path, Path]] = []
        self._jsonl: IO[bytes] | None = None
        self._parquet: pq.ParquetWriter | None = None
        self._shard_rows = 0
        self._shard_bytes = 0
        # the open row group: rows not yet converted, and the Arrow batches of the others
        self._pending: list[bytes] = []
        self._batches: list[pa.RecordBatch] = []
        self._group_rows = 0
        self._group_bytes = 0
        self._rows = 0
        self._arrow_bytes = 0

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._jsonl is not None:
            self._jsonl.close()
        if self._parquet is not None:
            self._parquet.close()

    def write(self, row: dict[str, Any]) -> None:
        line = orjson.dumps(row, option=JSONL_OPTIONS)
        limits = self._limits
        if self._shard_rows and (
            self._shard_rows >= limits.max_rows or self._shard_bytes + len(line) > limits.max_bytes
        ):
            self._close_shard()
        elif self._group_rows and (
            self._group_rows >= limits.row_group_rows
            or self._group_bytes + len(line) > limits.row_group_bytes
        ):
            self._flush_group()
        if self._jsonl is None:
            self._open_shard()
        assert self._jsonl is not None
        self._jsonl.write(line)
        self._pending.append(line)
        if len(self._pending) == BATCH_ROWS:
            self._convert_pending()
        self._group_rows += 1
        self._group_bytes += len(line)
        self._shard_rows += 1
        self._shard_bytes += len(line)
        self._rows += 1

    def close(self) -> WrittenTable:
        """Finish the last shard and give every shard its final name."""
        self._close_shard()
        count = len(self._shards)
        jsonl: list[Path] = []
        parquet: list[Path] = []
        for index, (part_jsonl, part_parquet) in enumerate(self._shards):
            # One shard keeps the single-file layout: jsonl/<table>.jsonl.
            target = (
                self._jsonl_dir / self.table / shard_name(index, count, "jsonl")
                if count > 1
                else self._jsonl_dir / f"{self.table}.jsonl"
            )
            jsonl.append(part_jsonl.rename(target))
            parquet.append(
                part_parquet.rename(self._parquet_dir / shard_name(index, count, "parquet"))
            )
        if count == 1:
            (self._jsonl_dir / self.table).rmdir()
        if count == 0:  # an empty table: an empty JSONL file, no Parquet (datasets cannot load one)
            self._jsonl_dir.mkdir(parents=True, exist_ok=True)
            empty = self._jsonl_dir / f"{self.table}.jsonl"
            empty.write_bytes(b"")
            jsonl.append(empty)
        return WrittenTable(self.table, self._rows, self._arrow_bytes, tuple(jsonl), tuple(parquet))

    def _open_shard(self) -> None:
        index = len(self._shards)
        part_jsonl = self._jsonl_dir / self.table / f".part-{index:05d}.jsonl"
        part_parquet = self._parquet_dir / f".part-{index:05d}.parquet"
        part_jsonl.parent.mkdir(parents=True, exist_ok=True)
        self._parquet_dir.mkdir(parents=True, exist_ok=True)
        self._jsonl = part_jsonl.open("wb")
        self._parquet = pq.ParquetWriter(part_parquet, self._schema, **PARQUET_OPTIONS)
        self._shards.append((part_jsonl, part_parquet))

    def _convert_pending(self) -> None:
        self._batches.append(arrow_batch(self._pending, self._schema))
        self._pending = []

    def _flush_group(self) -> None:
        if not self._group_rows:
            return
        assert self._parquet is not None
        if self._pending:
            self._convert_pending()
        # the same table, to the byte, as the group's rows converted at once
        group = pa.Table.from_batches(self._batches, schema=self._schema).combine_chunks()
        self._arrow_bytes += group.nbytes
        # One call, one row group: the group's size was bounded by rows and bytes above.
        self._parquet.write_table(group, row_group_size=group.num_rows)
        del group
        ARROW_POOL.release_unused()
        self._batches = []
        self._group_rows = 0
        self._group_bytes = 0

    def _close_shard(self) -> None:
        if self._jsonl is None:
            return
        self._flush_group()
        assert self._parquet is not None
        self._parquet.close()
        self._jsonl.close()
        self._jsonl = None
        self._parquet = None
        self._shard_rows = 0
        self._shard_bytes = 0


def write_table(
    table: str,
    rows: Iterable[dict[str, Any]],
    model: type[BaseModel],
    root: Path,
    limits: ShardLimits | None = None,
) -> WrittenTable:
    """Write ``rows`` (from ``record_rows``) as this table's JSONL and Parquet shards."""
    with TableWriter(table, model, root, limits) as writer:
        for row in rows:
            writer.write(row)
        return writer.close()
