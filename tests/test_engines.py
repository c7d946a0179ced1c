"""docs/reading-shards.md: each engine's example, run verbatim on a sharded release, gives
the counts made independently from the release's JSONL shards."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from claimtrack.release.build import build
from claimtrack.release.layout import jsonl_paths
from claimtrack.release.tables import ShardLimits

from .conftest import REPO
from .corpus_copies import grown_fixture

BLOCK = re.compile(r"<!-- engine: (?P<engine>\w+) -->\n```python\n(?P<code>.*?)```", re.S)
RELEASE_LINE = 'release = "dist/claimtrack-1.0.0"\n'


def _blocks() -> dict[str, str]:
    text = (REPO / "docs" / "reading-shards.md").read_text(encoding="utf-8")
    return {match.group("engine"): match.group("code") for match in BLOCK.finditer(text)}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = grown_fixture(tmp_path_factory.mktemp("engines"), 3)
    result = build(
        root / "data", root / "dist", shard_limits=ShardLimits(max_rows=2, row_group_rows=1)
    )
    assert result.release_dir is not None, [issue.as_text() for issue in result.issues]
    shutil.rmtree(root / "data")  # the examples read the release, nothing else
    return result.release_dir


def _rows(release: Path, table: str) -> list[dict[str, Any]]:
    return [
        orjson.loads(line)
        for path in jsonl_paths(release, table)
        for line in path.read_bytes().splitlines()
    ]


def _run(engine: str, release: Path) -> dict[str, Any]:
    code = _blocks()[engine]
    assert code.count(RELEASE_LINE) == 1, f"the {engine} example sets `release` once"
    namespace: dict[str, Any] = {}
    exec(code.replace(RELEASE_LINE, f"release = {str(release)!r}\n"), namespace)
    return namespace


def test_the_guide_has_one_example_per_engine() -> None:
    assert set(_blocks()) == {"spark", "dask", "duckdb", "datasets"}


def test_the_release_is_sharded(release: Path) -> None:
    assert len(list((release / "data" / "claims").glob("*.parquet"))) > 2
    assert len(jsonl_paths(release, "claims")) > 2


@pytest.mark.parametrize("engine", ["spark", "dask", "duckdb", "datasets"])
def test_each_engine_counts_the_claims_of_every_document(engine: str, release: Path) -> None:
    if engine == "spark" and shutil.which("java") is None:
        pytest.fail("Spark needs a Java runtime: .ci/run installs Debian's default-jre-headless")
    expected = Counter(row["document_id"] for row in _rows(release, "claims"))
    namespace = _run(engine, release)
    assert {key: int(value) for key, value in namespace["per_document"].items()} == expected


def test_duckdb_unnests_the_citations(release: Path) -> None:
    expected = Counter(
        citation["source_id"] for row in _rows(release, "claims") for citation in row["citations"]
    )
    assert expected, "the fixture's claims cite sources"
    assert _run("duckdb", release)["citations_per_source"] == expected
