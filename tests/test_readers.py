"""The JSONL read by pandas and polars exactly as the data card says, CSL strings kept strings."""

from __future__ import annotations

import pandas
import polars
import pytest

from claimtrack.release.build import BuildResult

from .conftest import REPO

PANDAS_CALL = "pandas.read_json(path, lines=True, dtype=False)"
POLARS_CALL = "polars.read_ndjson(path, infer_schema_length=None)"
READERS = {"pandas": (pandas, PANDAS_CALL), "polars": (polars, POLARS_CALL)}
CSL_STRINGS = ("volume", "issue", "page", "edition", "ISBN", "issued")


def test_the_card_gives_the_calls_tested_here() -> None:
    card = (REPO / "DATA_CARD.md").read_text(encoding="utf-8")
    assert f"`{PANDAS_CALL}`" in card and f"`{POLARS_CALL}`" in card


@pytest.mark.parametrize("reader", ["pandas", "polars"])
def test_every_table_reads_as_the_card_says(seed_release: BuildResult, reader: str) -> None:
    root = seed_release.release_dir
    assert root is not None
    for table, count in seed_release.counts.items():
        path = root / "jsonl" / f"{table}.jsonl"
        if count == 0:
            # the card: an empty table is an empty file; polars cannot infer from no line
            assert path.read_bytes() == b""
            if reader == "pandas":
                assert len(eval(PANDAS_CALL, {"pandas": pandas, "path": path})) == 0
            continue
        frame = eval(
            PANDAS_CALL if reader == "pandas" else POLARS_CALL,
            {reader: globals()[reader], "path": path},
        )
        assert len(frame) == count, table
        if table == "sources":
            for column in CSL_STRINGS:
                values = [
                    value
                    for value in frame[column].to_list()
                    if value is not None and value == value
                ]
                assert values and all(isinstance(value, str) for value in values), column
