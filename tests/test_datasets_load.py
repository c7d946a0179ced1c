"""The release loads offline with `datasets`, rows and types equal to the JSONL."""

from __future__ import annotations

import shutil
from pathlib import Path

import datasets
import orjson
import pyarrow.parquet as pq
import pytest

from claimtrack.models import TABLE_MODELS
from claimtrack.release.build import BuildResult, build
from claimtrack.release.features import features_for
from claimtrack.yamlio import load_yaml, to_plain


def _load(folder: Path, table: str) -> datasets.Dataset:
    dataset = datasets.load_dataset(str(folder), table, split="train")
    assert isinstance(dataset, datasets.Dataset)
    return dataset


def _jsonl_rows(folder: Path, table: str) -> list[dict[str, object]]:
    lines = (folder / "jsonl" / f"{table}.jsonl").read_bytes().splitlines()
    return [orjson.loads(line) for line in lines]


@pytest.mark.parametrize("release", ["seed_release", "fixture_release"])
def test_every_nonempty_table_loads_with_pinned_features(
    release: str, request: pytest.FixtureRequest
) -> None:
    result: BuildResult = request.getfixturevalue(release)
    folder = result.release_dir
    assert folder is not None
    for table, model in TABLE_MODELS.items():
        rows = _jsonl_rows(folder, table)
        if not rows:
            continue
        dataset = _load(folder, table)
        assert dataset.features == datasets.Features.from_dict(features_for(model).to_dict())
        assert dataset.to_list() == rows


def test_default_config_is_claims(fixture_release: BuildResult) -> None:
    assert fixture_release.release_dir is not None
    dataset = datasets.load_dataset(str(fixture_release.release_dir), split="train")
    assert isinstance(dataset, datasets.Dataset)
    assert "span" in dataset.column_names and dataset.num_rows == 3


def test_card_front_matter(fixture_release: BuildResult) -> None:
    assert fixture_release.release_dir is not None
    card = (fixture_release.release_dir / "README.md").read_text(encoding="utf-8")
    front = to_plain(load_yaml(card.split("---\n")[1]))
    configs = {config["config_name"]: config for config in front["configs"]}
    # tables with rows have a config; the empty one (claim_relations) has none
    assert set(configs) == {
        "documents",
        "claims",
        "sources",
        "agents",
        "topics",
        "historiography",
        "tombstones",
    }
    assert configs["claims"]["default"] == "true"
    assert all("content sha256" in config["description"] for config in configs.values())
    infos = {info["config_name"]: info for info in front["dataset_info"]}
    assert set(infos) == set(configs)
    assert infos["claims"]["splits"][0]["num_examples"] == "3"
    for key in ("pretty_name", "license", "language", "tags", "size_categories", "task_categories"):
        assert front[key], key
    assert "| claim_relations | 0 |" in card


def test_parquet_schema_is_the_models_not_inferred(fixture_release: BuildResult) -> None:
    assert fixture_release.release_dir is not None
    for table in ("claims", "documents", "sources"):
        path = fixture_release.release_dir / "data" / table / "train-00000-of-00001.parquet"
        schema = pq.read_schema(path)
        assert (
            schema.remove_metadata()
            == features_for(TABLE_MODELS[table]).arrow_schema.remove_metadata()
        )
        assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"


def test_new_content_is_not_served_from_a_stale_cache(fixture_root: Path, tmp_path: Path) -> None:
    """datasets caches a local folder by name and card: a rebuilt folder must load its new rows."""
    out = tmp_path / "dist"
    first = build(fixture_root / "data", out)
    assert first.release_dir is not None
    assert "1750 visits a day" in str(_load(first.release_dir, "claims")["statement"])
    shutil.rmtree(first.release_dir)
    document = fixture_root / "data" / "documents" / "second-piece.yaml"
    document.write_text(document.read_text().replace("1750 visits a day", "1,750 visits a day"))
    second = build(fixture_root / "data", out)
    assert second.release_dir == first.release_dir
    assert "1,750 visits a day" in str(_load(second.release_dir, "claims")["statement"])


def test_historiography_and_relations_join_to_claims(seed_release: BuildResult) -> None:
    """A researcher's join: every link and relation finds its claims; clusters carry their links."""
    folder = seed_release.release_dir
    assert folder is not None
    claims = _load(folder, "claims").to_pandas()
    links = _load(folder, "historiography").to_pandas()
    relations = _load(folder, "claim_relations").to_pandas()
    propositions = _load(folder, "propositions").to_pandas()
    joined = links.merge(claims, left_on="claim_id", right_on="id", suffixes=("_link", "_claim"))
    assert len(joined) == len(links) > 0
    for column in ("from_claim_id", "to_claim_id"):
        assert relations[column].isin(claims["id"]).all()
    cluster_claims = {claim_id for ids in propositions["claim_ids"] for claim_id in ids}
    assert cluster_claims <= set(claims["id"])
    linked = propositions[propositions["historiography_ids"].map(len) > 0]
    for _, cluster in linked.iterrows():
        assert set(cluster["historiography_ids"]) == set(
            links[links["claim_id"].isin(cluster["claim_ids"])]["id"]
        )
