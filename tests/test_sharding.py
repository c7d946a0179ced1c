"""Sharded releases: every table cut into bounded files that datasets, mlcroissant and the
diff read whole; byte-identical rebuilds; a sharded build never crashes."""

from __future__ import annotations

import fnmatch
import hashlib
import itertools
import json
import shutil
import signal
from importlib import resources
from pathlib import Path
from typing import Any

import datasets
import mlcroissant as mlc
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.cli import main
from claimtrack.models import TABLE_MODELS, ReleaseInfo, Topic
from claimtrack.release import tables
from claimtrack.release.build import BuildResult, build
from claimtrack.release.card import size_category
from claimtrack.release.croissant import CroissantProcess, render_croissant
from claimtrack.release.diff import read_release
from claimtrack.release.features import Feature, ListOf, Value, features_for
from claimtrack.release.layout import jsonl_paths
from claimtrack.release.tables import PARQUET_OPTIONS, ShardLimits, arrow_batch, write_table
from claimtrack.yamlio import load_yaml, to_plain

from .conftest import FIXTURES
from .corpus_copies import replicate

COPIES = 3  # every table gets at least 3 rows: 2 shards or more at 2 rows a shard
LIMITS = ShardLimits(max_rows=2, row_group_rows=1)


def _corpus(root: Path) -> Path:
    shutil.copytree(FIXTURES / "valid", root)
    replicate(root / "data", COPIES)
    return root / "data"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _ids(lines: bytes) -> list[str]:
    return [orjson.loads(line)["id"] for line in lines.splitlines()]


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    data = _corpus(tmp_path_factory.mktemp("sharded-src") / "corpus")
    result = build(data, tmp_path_factory.mktemp("sharded-dist"), shard_limits=LIMITS)
    assert result.status == "written", [issue.as_text() for issue in result.issues]
    assert result.issues == []  # the generated corpus is valid, warnings included
    return result


def _root(result: BuildResult) -> Path:
    assert result.release_dir is not None
    return result.release_dir


def test_every_table_is_sharded_the_same_way_in_jsonl_and_parquet(sharded: BuildResult) -> None:
    root = _root(sharded)
    for table in TABLE_MODELS:
        count = sharded.counts[table]
        shards = -(-count // LIMITS.max_rows)
        assert count >= COPIES and shards >= 2, table
        names = [f"train-{index:05d}-of-{shards:05d}" for index in range(shards)]
        parquet = sorted((root / "data" / table).iterdir())
        jsonl = sorted((root / "jsonl" / table).iterdir())
        assert [path.name for path in parquet] == [f"{name}.parquet" for name in names]
        assert [path.name for path in jsonl] == [f"{name}.jsonl" for name in names]
        assert not (root / "jsonl" / f"{table}.jsonl").exists()
        assert jsonl_paths(root, table) == jsonl
        all_ids: list[str] = []
        for jsonl_shard, parquet_shard in zip(jsonl, parquet, strict=True):
            ids = _ids(jsonl_shard.read_bytes())
            assert 1 <= len(ids) <= LIMITS.max_rows
            assert pq.read_table(parquet_shard, columns=["id"])["id"].to_pylist() == ids
            metadata = pq.ParquetFile(parquet_shard).metadata
            assert metadata.num_row_groups == len(ids)  # one row a group at these limits
            all_ids += ids
        assert all_ids == sorted(all_ids) and len(all_ids) == count


def test_manifest_lists_every_shard(sharded: BuildResult) -> None:
    root = _root(sharded)
    manifest = orjson.loads((root / "manifest.json").read_bytes())
    files = _tree(root)
    del files["manifest.json"]
    assert set(manifest["files"]) == set(files)
    for name, data in files.items():
        assert manifest["files"][name] == {
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
    assert manifest["records"] == sharded.counts


def test_card_configs_cover_every_shard(sharded: BuildResult) -> None:
    root = _root(sharded)
    card = (root / "README.md").read_text(encoding="utf-8")
    front = to_plain(load_yaml(card.split("---\n")[1]))
    configs = {config["config_name"]: config for config in front["configs"]}
    assert set(configs) == set(TABLE_MODELS)
    for table, config in configs.items():
        (data_files,) = config["data_files"]
        matched = sorted(
            name
            for name in _tree(root)
            if fnmatch.fnmatch(name, data_files["path"]) and name.endswith(".parquet")
        )
        assert matched == sorted(
            f"data/{table}/{path.name}" for path in (root / "data" / table).iterdir()
        )
    infos = {info["config_name"]: info for info in front["dataset_info"]}
    assert {
        table: int(infos[table]["splits"][0]["num_examples"]) for table in infos
    } == sharded.counts


@pytest.mark.parametrize("streaming", [False, True])
def test_datasets_loads_every_sharded_table(sharded: BuildResult, streaming: bool) -> None:
    root = _root(sharded)
    for table, model in TABLE_MODELS.items():
        expected = [
            orjson.loads(line)
            for path in jsonl_paths(root, table)
            for line in path.read_bytes().splitlines()
        ]
        dataset = datasets.load_dataset(str(root), table, split="train", streaming=streaming)
        assert dataset.features == datasets.Features.from_dict(features_for(model).to_dict())
        assert list(dataset) == expected, table


def test_croissant_describes_shards_as_a_file_set(sharded: BuildResult) -> None:
    root = _root(sharded)
    metadata = orjson.loads((root / "croissant.json").read_bytes())
    file_sets = {item["@id"]: item for item in metadata["distribution"]}
    assert {item["@type"] for item in file_sets.values()} == {"cr:FileSet"}
    dataset = mlc.Dataset(jsonld=str(root / "croissant.json"))
    for table in TABLE_MODELS:
        file_set = file_sets[f"data/{table}"]
        assert file_set["encodingFormat"] == "application/x-parquet"
        shards = sorted(f"data/{table}/{path.name}" for path in (root / "data" / table).iterdir())
        assert (
            sorted(name for name in _tree(root) if fnmatch.fnmatch(name, file_set["includes"]))
            == shards
        )
        records = list(dataset.records(table))
        ids = sorted(record[f"{table}/id"].decode() for record in records)
        assert ids == [
            row_id for path in jsonl_paths(root, table) for row_id in _ids(path.read_bytes())
        ]


@pytest.mark.parametrize("release", ["sharded", "fixture_release"])
def test_croissant_rendered_apart_is_the_bytes_rendered_here(
    release: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The build renders croissant.json in a process of its own: the bytes this process
    renders of the same release (shards as FileSets, one file as a FileObject)."""
    result: BuildResult = request.getfixturevalue(release)
    root = _root(result)
    info = ReleaseInfo.model_validate(
        orjson.loads((root / "manifest.json").read_bytes())["release"]
    )
    parquet = {
        table: tuple(sorted((root / "data" / table).glob("*.parquet")))
        for table in TABLE_MODELS
        if (root / "data" / table).is_dir()
    }
    with CroissantProcess(root, info, parquet, "@misc{x}", tmp_path) as apart:
        rendered = apart.result()
    assert rendered == render_croissant(root, info, parquet, "@misc{x}")


def test_croissant_apart_says_why_it_failed_and_stops_when_closed(tmp_path: Path) -> None:
    info = ReleaseInfo.model_validate(
        load_yaml((FIXTURES / "valid" / "data" / "release.yaml").read_text())
    )
    missing = {"claims": (tmp_path / "nowhere" / "train-00000-of-00001.parquet",)}
    with (
        CroissantProcess(tmp_path, info, missing, "", tmp_path) as failing,
        pytest.raises(RuntimeError, match=r"(?s)could not be rendered.*nowhere"),
    ):
        failing.result()
    # closed at once, while the new interpreter still imports: killed, not left running
    (tmp_path / "again").mkdir()
    stopped = CroissantProcess(tmp_path, info, missing, "", tmp_path / "again")
    stopped.close()
    assert stopped._process.returncode == -signal.SIGKILL


def test_a_sharded_release_is_read_back_whole(sharded: BuildResult) -> None:
    """The next build diffs against this release: every shard's records are read."""
    root = _root(sharded)
    manifest, rows = read_release(root)
    assert manifest["version"] == "1.2.3"
    assert {table: len(records) for table, records in rows.items()} == sharded.counts


def test_sharded_rebuild_is_byte_identical(sharded: BuildResult, tmp_path: Path) -> None:
    again = build(_corpus(tmp_path / "corpus"), tmp_path / "dist", shard_limits=LIMITS)
    assert again.status == "written"
    assert _tree(_root(again)) == _tree(_root(sharded))


def test_cli_builds_a_partly_sharded_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The module-level limits reach the CLI build: exit 0, no traceback; croissant.json mixes
    FileObjects (one-file tables) and FileSets, and mlcroissant reads every table."""
    monkeypatch.setattr(tables, "SHARD_LIMITS", ShardLimits(max_rows=4))
    data = _corpus(tmp_path / "corpus")
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "dist")]) == 0
    captured = capsys.readouterr()
    assert "written:" in captured.out and "Traceback" not in captured.err
    root = tmp_path / "dist" / "claimtrack-1.2.3"
    manifest = orjson.loads((root / "manifest.json").read_bytes())
    metadata = orjson.loads((root / "croissant.json").read_bytes())
    kinds = {item["@id"]: item["@type"] for item in metadata["distribution"]}
    dataset = mlc.Dataset(jsonld=str(root / "croissant.json"))
    for table, count in manifest["records"].items():
        shards = sorted((root / "data" / table).iterdir())
        assert len(shards) == -(-count // 4)
        if len(shards) == 1:
            name = f"data/{table}/{shards[0].name}"
            assert kinds[name] == "cr:FileObject"
            [item] = [item for item in metadata["distribution"] if item["@id"] == name]
            assert item["sha256"] == manifest["files"][name]["sha256"]
        else:
            assert kinds[f"data/{table}"] == "cr:FileSet"
        assert len(list(dataset.records(table))) == count
    assert set(kinds.values()) == {"cr:FileObject", "cr:FileSet"}


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 300), min_size=0, max_size=12),
    max_rows=st.integers(1, 5),
    max_bytes=st.integers(100, 900),
    group_rows=st.integers(1, 4),
    group_bytes=st.integers(100, 600),
)
def test_shards_and_row_groups_stay_within_their_limits(
    tmp_path_factory: pytest.TempPathFactory,
    sizes: list[int],
    max_rows: int,
    max_bytes: int,
    group_rows: int,
    group_bytes: int,
) -> None:
    """Rows of random sizes: every file and row group within both limits, unless one row
    alone is larger; nothing lost, reordered or duplicated."""
    rows: list[dict[str, Any]] = [
        {"id": f"topic-{index:03d}", "label": "x" * size, "description": "d"}
        for index, size in enumerate(sizes)
    ]
    limits = ShardLimits(max_rows, max_bytes, group_rows, group_bytes)
    root = tmp_path_factory.mktemp("writer")
    written = write_table("topics", rows, Topic, root, limits)
    assert written.rows == len(rows)
    if not rows:
        assert written.parquet == () and written.jsonl == (root / "jsonl" / "topics.jsonl",)
        assert written.jsonl[0].read_bytes() == b""
        return
    shards = [path.read_bytes().splitlines(keepends=True) for path in written.jsonl]
    assert [orjson.loads(line) for shard in shards for line in shard] == rows
    assert (root / "jsonl" / "topics.jsonl").is_file() is (len(shards) == 1)
    for shard, following in itertools.pairwise(shards):
        # cut only where the next row would break a limit
        assert len(shard) == max_rows or sum(map(len, shard)) + len(following[0]) > max_bytes
    for shard, parquet in zip(shards, written.parquet, strict=True):
        assert len(shard) <= max_rows
        assert len(shard) == 1 or sum(map(len, shard)) <= max_bytes
        file = pq.ParquetFile(parquet)
        assert file.read().to_pylist() == [orjson.loads(line) for line in shard]
        start = 0
        for group in range(file.metadata.num_row_groups):
            count = file.metadata.row_group(group).num_rows
            group_lines = shard[start : start + count]
            assert 1 <= count <= group_rows
            assert count == 1 or sum(map(len, group_lines)) <= group_bytes
            start += count
        assert start == len(shard)


@pytest.mark.parametrize("batch_rows", [1, 7, 500])
def test_a_row_group_converted_in_batches_is_the_same_bytes(
    seed_release: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    """The open row group is held as Arrow batches: the seed's claims (one group of 1,141
    rows) written a batch of 1, 7 or 500 rows at a time give the bytes and Arrow size of
    the group converted at once."""
    assert seed_release.release_dir is not None
    rows = [
        orjson.loads(line)
        for line in (seed_release.release_dir / "jsonl" / "claims.jsonl").read_bytes().splitlines()
    ]
    written = {}
    for name, size in (("whole", len(rows)), ("batched", batch_rows)):
        monkeypatch.setattr(tables, "BATCH_ROWS", size)
        written[name] = write_table("claims", rows, TABLE_MODELS["claims"], tmp_path / name)
    whole, batched = written["whole"], written["batched"]
    assert len(rows) > batch_rows and whole.rows == batched.rows == len(rows)
    assert batched.arrow_bytes == whole.arrow_bytes
    assert [path.read_bytes() for path in batched.parquet] == [
        path.read_bytes() for path in whole.parquet
    ]


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6)
_VALUES = {
    "string": _TEXT,
    "int64": st.integers(-(2**63), 2**63 - 1),
    "bool": st.booleans(),
}


def _values(feature: Feature) -> st.SearchStrategy[Any]:
    """Any JSON value of ``feature``, null included: a struct with fields missing or null,
    lists empty or of nulls, nested to the models' depth."""
    if isinstance(feature, Value):
        return st.none() | _VALUES[feature.dtype]
    if isinstance(feature, ListOf):
        return st.none() | st.lists(_values(feature.feature), max_size=3)
    return st.none() | _struct(feature)


def _struct(fields: dict[str, Feature]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {}, optional={name: _values(inner) for name, inner in fields.items()}
    )


def _parquet(batch: pa.RecordBatch) -> bytes:
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, batch.schema, **PARQUET_OPTIONS) as writer:
        writer.write_table(pa.Table.from_batches([batch]))
    return sink.getvalue().to_pybytes()


@pytest.mark.parametrize("table", ["claims", "documents", "sources", "historiography"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_rows_read_as_json_are_the_arrow_of_python_values(table: str, data: st.DataObject) -> None:
    """Arrow's JSON reader, with a null struct's fields made empty, gives the batch, the
    Arrow size and the Parquet bytes that ``from_pylist`` gives of the same rows (any
    values of the table's types, nulls and missing fields anywhere)."""
    features = features_for(TABLE_MODELS[table])
    rows = data.draw(st.lists(_struct(features.columns), min_size=1, max_size=8))
    lines = [orjson.dumps(row, option=tables.JSONL_OPTIONS) for row in rows]
    schema = features.arrow_schema
    ours, pyarrows = arrow_batch(lines, schema), pa.RecordBatch.from_pylist(rows, schema=schema)
    assert ours.equals(pyarrows)
    assert ours.schema.equals(pyarrows.schema, check_metadata=True)
    assert ours.nbytes == pyarrows.nbytes
    assert _parquet(ours) == _parquet(pyarrows)


def test_a_field_no_model_has_is_an_error_not_dropped() -> None:
    schema = features_for(Topic).arrow_schema
    with pytest.raises(pa.ArrowInvalid):
        arrow_batch([b'{"id": "t", "label": "T", "unknown": 1}\n'], schema)


def test_size_categories_are_the_hubs() -> None:
    known = json.loads(
        resources.files("datasets").joinpath("utils/resources/size_categories.json").read_text()
    )
    categories = [size_category(10**power) for power in range(14)]
    # every category of the Hub's list, in its order, from 1 row to 10 trillion
    assert list(dict.fromkeys(categories)) == [label for label in known if label != "unknown"]
    assert [size_category(999), size_category(1_000), size_category(1_500_000)] == [
        "n<1K",
        "1K<n<10K",
        "1M<n<10M",
    ]


@pytest.mark.parametrize("field", ["max_rows", "max_bytes", "row_group_rows", "row_group_bytes"])
def test_a_limit_below_one_is_refused(field: str) -> None:
    with pytest.raises(ValueError, match="shard limits must be positive"):
        ShardLimits(**{field: 0})


def test_the_python_api_reads_every_shard(sharded: BuildResult) -> None:
    import claimtrack

    release = claimtrack.open(_root(sharded))
    for table, count in sharded.counts.items():
        assert release.table(table).num_rows == count
    claim = release.row("claims", "short-note-2/bloc-formed-1932")
    assert claim is not None and claim["document_id"] == "short-note-2"


def test_the_site_regenerates_from_a_sharded_release(sharded: BuildResult, tmp_path: Path) -> None:
    """`claimtrack site` reads a table's JSONL shards whole: the pages it writes from the
    folder are the ones the build wrote from memory."""
    assert sharded.release_dir is not None
    out = tmp_path / "site"
    assert main(["site", str(sharded.release_dir), "--out", str(out)]) == 0
    built = sharded.release_dir / "site"
    files = sorted(path.relative_to(built) for path in built.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(out) for path in out.rglob("*") if path.is_file())
    assert all((built / name).read_bytes() == (out / name).read_bytes() for name in files)


def test_tables_are_written_on_malloc_and_arrows_pool_is_given_back() -> None:
    import pyarrow as pa

    before = pa.default_memory_pool().backend_name
    with tables.malloc_for_arrow():
        assert pa.default_memory_pool().backend_name == "system"
        table = pa.table({"id": ["a", "b"]})
    assert pa.default_memory_pool().backend_name == before
    assert table.column("id").to_pylist() == ["a", "b"]  # made on malloc, still readable
    with pytest.raises(RuntimeError), tables.malloc_for_arrow():
        raise RuntimeError("a table fails to write")
    assert pa.default_memory_pool().backend_name == before
