"""The release's dataset card: Hub YAML front matter (configs, pinned features) over DATA_CARD.md."""

from __future__ import annotations

import hashlib
from typing import Any

import yaml

from claimtrack.models import TABLE_MODELS, ReleaseInfo
from claimtrack.release.features import features_for
from claimtrack.release.tables import WrittenTable

DEFAULT_CONFIG = "claims"


SIZE_CATEGORIES = ("1K", "10K", "100K", "1M", "10M", "100M", "1B", "10B", "100B", "1T")


def size_category(count: int) -> str:
    """The Hub's size category for ``count`` rows (datasets' size_categories.json)."""
    for power, bound in enumerate(SIZE_CATEGORIES):
        if count < 10 ** (power + 3):
            return f"{SIZE_CATEGORIES[power - 1]}<n<{bound}" if power else f"n<{bound}"
    return f"n>{SIZE_CATEGORIES[-1]}"


def content_hash(written: WrittenTable) -> str:
    digest = hashlib.sha256()
    for path in (*written.jsonl, *written.parquet):
        with path.open("rb") as file:  # a block at a time: a shard may be hundreds of MB
            while block := file.read(2**20):
                digest.update(block)
    return digest.hexdigest()


def front_matter(info: ReleaseInfo, written: dict[str, WrittenTable]) -> dict[str, Any]:
    """Hub metadata. Tables with no rows get no config: datasets cannot load an empty Parquet."""
    loadable = [table for table in TABLE_MODELS if written[table].rows > 0]
    configs = []
    for table in loadable:
        config: dict[str, Any] = {"config_name": table}
        if table == DEFAULT_CONFIG:
            config["default"] = True
        config["data_files"] = [{"split": "train", "path": f"data/{table}/train-*.parquet"}]
        # datasets caches a local folder by its card: the hash makes new content a new cache entry.
        config["description"] = (
            f"claimtrack {info.version} {table}; content sha256 {content_hash(written[table])}"
        )
        configs.append(config)
    dataset_info = []
    for table in loadable:
        yaml_info = {"config_name": table, **_features_yaml(table)}
        yaml_info["splits"] = [
            {
                "name": "train",
                "num_bytes": written[table].arrow_bytes,
                "num_examples": written[table].rows,
            }
        ]
        dataset_info.append(yaml_info)
    return {
        "pretty_name": info.pretty_name,
        "license": info.license.lower(),
        "language": ["en"],
        "tags": sorted(info.keywords),
        "size_categories": [size_category(written["claims"].rows)],
        "task_categories": ["text-classification", "token-classification"],
        "configs": configs,
        "dataset_info": dataset_info,
    }


def _features_yaml(table: str) -> dict[str, Any]:
    return features_for(TABLE_MODELS[table]).yaml()


def render_card(front: dict[str, Any], body: str) -> str:
    header = yaml.safe_dump(
        front, sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096
    )
    return f"---\n{header}---\n\n{body}"
