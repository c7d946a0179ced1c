"""The tables' features, made without ``datasets``, are those ``datasets`` makes of the same
models: the Arrow schema (its metadata too), the JSON kept in it, the dataset card's YAML."""

from __future__ import annotations

import subprocess
import sys
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

import datasets
import pytest
from datasets.info import DatasetInfo
from pydantic import BaseModel

from claimtrack.models import TABLE_MODELS
from claimtrack.release.features import Features, ListOf, Value, features_for

from .conftest import FIXTURES, modules_imported


def _reference(annotation: Any) -> Any:
    """The feature ``datasets`` gives an annotation, built from its own classes (the
    derivation claimtrack used before it stopped importing ``datasets`` to build)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        (member,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _reference(member)
    if origin is typing.Annotated:
        return _reference(typing.get_args(annotation)[0])
    if origin is list:
        return datasets.List(_reference(typing.get_args(annotation)[0]))
    if issubclass(annotation, BaseModel):
        return {
            (field.alias or name): _reference(field.annotation)
            for name, field in annotation.model_fields.items()
        }
    if issubclass(annotation, bool):
        return datasets.Value("bool")
    if issubclass(annotation, Enum | str):
        return datasets.Value("string")
    assert issubclass(annotation, int), annotation
    return datasets.Value("int64")


def _reference_features(model: type[BaseModel], ours: Features) -> datasets.Features:
    """``datasets.Features`` of the model, its columns in our order (the order is ours to
    choose: the key fields first)."""
    reference = _reference(model)
    assert sorted(reference) == sorted(ours.columns)
    return datasets.Features({name: reference[name] for name in ours.columns})


@pytest.mark.parametrize("table", sorted(TABLE_MODELS))
def test_every_table_has_the_features_datasets_gives(table: str) -> None:
    ours = features_for(TABLE_MODELS[table])
    reference = _reference_features(TABLE_MODELS[table], ours)
    assert ours.to_dict() == reference.to_dict()
    assert ours.arrow_schema.equals(reference.arrow_schema, check_metadata=True)
    assert ours.arrow_schema.metadata == reference.arrow_schema.metadata
    assert ours.yaml() == DatasetInfo(features=reference)._to_yaml_dict()
    assert datasets.Features.from_dict(ours.to_dict()) == reference


def test_nested_lists_and_every_value_type_match_datasets() -> None:
    ours = Features(
        {
            "flag": Value("bool"),
            "count": Value("int64"),
            "names": ListOf(Value("string")),
            "matrix": ListOf(ListOf(Value("int64"))),
            "rows": ListOf({"a": Value("string"), "b": ListOf({"c": Value("bool")})}),
            "lists_of_rows": ListOf(ListOf({"d": Value("string")})),
            "inner": {"e": ListOf(Value("string")), "f": {"g": Value("int64")}},
        }
    )
    reference = datasets.Features(
        {
            "flag": datasets.Value("bool"),
            "count": datasets.Value("int64"),
            "names": datasets.List(datasets.Value("string")),
            "matrix": datasets.List(datasets.List(datasets.Value("int64"))),
            "rows": datasets.List(
                {"a": datasets.Value("string"), "b": datasets.List({"c": datasets.Value("bool")})}
            ),
            "lists_of_rows": datasets.List(datasets.List({"d": datasets.Value("string")})),
            "inner": {
                "e": datasets.List(datasets.Value("string")),
                "f": {"g": datasets.Value("int64")},
            },
        }
    )
    assert ours.to_dict() == reference.to_dict()
    assert ours.arrow_schema.equals(reference.arrow_schema, check_metadata=True)
    assert ours.yaml() == DatasetInfo(features=reference)._to_yaml_dict()


def test_building_imports_neither_datasets_nor_pandas() -> None:
    """Importing them took 50 MB of a build's own memory, which every explorer process
    forked from it held too."""
    statement = "import claimtrack.cli, claimtrack.release.build, claimtrack.site.generate"
    assert modules_imported(statement, ("datasets", "pandas", "mlcroissant")) == []


def test_a_build_never_imports_pandas(tmp_path: Path) -> None:
    """The explorer's processes are forked from the build's: what it has imported by then,
    each of them holds. Nor does the build import it later: mlcroissant (croissant.json),
    which imports pandas, runs in a process of its own."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import claimtrack.release.build as build\n"
        "heavy = {'datasets', 'pandas', 'mlcroissant'}\n"
        "seen = []\n"
        "write_site = build.write_site\n"
        "def watched(*args, **kwargs):\n"
        "    seen.append(sorted(heavy & set(sys.modules)))\n"
        "    return write_site(*args, **kwargs)\n"
        "build.write_site = watched\n"
        "result = build.build(Path(sys.argv[1]), Path(sys.argv[2]))\n"
        "assert result.status == 'written', result.issues\n"
        "assert (result.release_dir / 'croissant.json').stat().st_size > 1000\n"
        "print(seen, sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(FIXTURES / "valid" / "data"), str(tmp_path / "dist")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[[]] []"
