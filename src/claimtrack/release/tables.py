"""Write one table as sorted JSONL (orjson) and zstd Parquet shards with a pinned Arrow schema."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from claimtrack.release.features import features_for

#: Rows per Parquet shard: a million-claim corpus becomes a few hundred MB-sized shards.
ROWS_PER_SHARD = 100_000
JSONL_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


@dataclass(frozen=True)
class WrittenTable:
    table: str
    rows: int
    arrow_bytes: int
    """In-memory Arrow size: the card's ``num_bytes`` for the split."""
    jsonl: Path
    parquet: tuple[Path, ...]


def record_rows(records: Sequence[BaseModel]) -> list[dict[str, Any]]:
    """Records as JSON-ready dicts (aliases, enum values), sorted by id."""
    rows = [record.model_dump(mode="json", by_alias=True) for record in records]
    return sorted(rows, key=lambda row: row["id"])


def write_jsonl(rows: Sequence[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for row in rows:
            out.write(orjson.dumps(row, option=JSONL_OPTIONS))


def parquet_shard_names(rows: int) -> list[str]:
    """``train-00000-of-00001.parquet`` and so on; an empty table has no shard."""
    count = -(-rows // ROWS_PER_SHARD)
    return [f"train-{index:05d}-of-{count:05d}.parquet" for index in range(count)]


def write_parquet(
    rows: Sequence[dict[str, Any]], model: type[BaseModel], folder: Path
) -> tuple[tuple[Path, ...], int]:
    schema = features_for(model).arrow_schema
    written = []
    arrow_bytes = 0
    for index, name in enumerate(parquet_shard_names(len(rows))):
        shard = rows[index * ROWS_PER_SHARD : (index + 1) * ROWS_PER_SHARD]
        table = pa.Table.from_pylist(list(shard), schema=schema)
        arrow_bytes += table.nbytes
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        pq.write_table(
            table,
            path,
            compression="zstd",
            compression_level=9,
            use_dictionary=True,
            write_statistics=True,
            store_schema=True,
        )
        written.append(path)
    return tuple(written), arrow_bytes


def write_table(
    table: str, rows: Sequence[dict[str, Any]], model: type[BaseModel], root: Path
) -> WrittenTable:
    """Write ``rows`` (from ``record_rows``) as this table's JSONL and Parquet."""
    jsonl = root / "jsonl" / f"{table}.jsonl"
    write_jsonl(rows, jsonl)
    parquet, arrow_bytes = write_parquet(rows, model, root / "data" / table)
    return WrittenTable(table, len(rows), arrow_bytes, jsonl, parquet)
