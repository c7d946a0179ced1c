"""Where a release folder keeps a table's files: shard names and the JSONL of one table.

Kept free of pyarrow and datasets, so that commands which only read a release start fast.
"""

from __future__ import annotations

from pathlib import Path


def shard_name(index: int, count: int, suffix: str) -> str:
    """``train-00000-of-00003.parquet``: the Hub's split-and-shard file name."""
    return f"train-{index:05d}-of-{count:05d}.{suffix}"


def jsonl_paths(root: Path, table: str) -> list[Path]:
    """A table's JSONL files in the release folder ``root``, in record order: one file
    ``jsonl/<table>.jsonl``, or the shards under ``jsonl/<table>/`` when there are several."""
    single = root / "jsonl" / f"{table}.jsonl"
    if single.is_file():
        return [single]
    return sorted((root / "jsonl" / table).glob("train-*-of-*.jsonl"))
