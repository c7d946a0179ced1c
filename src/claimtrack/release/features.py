"""Each table's features, derived from the pydantic models, never inferred from data.

They are written in the forms of Hugging Face ``datasets``: the JSON of ``Features.to_dict``
that ``datasets`` keeps in an Arrow schema's metadata (and reads back from each Parquet file),
and the list of features in a dataset card's YAML. They are made here without importing
``datasets``: importing it (and pandas with it) took 50 MB of a build's own memory, held
by each explorer process forked from it too; ``tests/test_features.py`` checks every table
against ``datasets.Features``.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any

import pyarrow as pa
from pydantic import BaseModel

_ARROW_TYPES = {"string": pa.string(), "int64": pa.int64(), "bool": pa.bool_()}


@dataclass(frozen=True)
class Value:
    """A scalar column or field (``datasets.Value``)."""

    dtype: str


@dataclass(frozen=True)
class ListOf:
    """A list of values or structs (``datasets.List``)."""

    feature: Feature


Feature = Value | ListOf | dict[str, "Feature"]
"""A value, a list, or a struct (its fields by name)."""


def _unwrap_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) != 1:
            raise TypeError(f"cannot map union {annotation!r} to one Arrow type")
        return _unwrap_optional(members[0])
    if origin is typing.Annotated:
        return _unwrap_optional(typing.get_args(annotation)[0])
    return annotation


def feature_for(annotation: Any) -> Feature:
    """The feature of one annotation: str/enum -> string, int -> int64, list, struct."""
    annotation = _unwrap_optional(annotation)
    if typing.get_origin(annotation) is list:
        return ListOf(feature_for(typing.get_args(annotation)[0]))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return features_dict(annotation)
        if issubclass(annotation, bool):
            return Value("bool")
        if issubclass(annotation, Enum | str):
            return Value("string")  # enums ship as strings, never ClassLabel
        if issubclass(annotation, int):
            return Value("int64")
    raise TypeError(f"no feature for {annotation!r}")


def features_dict(model: type[BaseModel]) -> dict[str, Feature]:
    return {
        (field.alias or name): feature_for(field.annotation)
        for name, field in model.model_fields.items()
    }


def _to_dict(feature: Feature) -> Any:
    """As ``datasets.Features.to_dict`` writes it."""
    if isinstance(feature, Value):
        return {"dtype": feature.dtype, "_type": "Value"}
    if isinstance(feature, ListOf):
        return {"feature": _to_dict(feature.feature), "_type": "List"}
    return {name: _to_dict(inner) for name, inner in feature.items()}


def _arrow_type(feature: Feature) -> pa.DataType:
    if isinstance(feature, Value):
        return _ARROW_TYPES[feature.dtype]
    if isinstance(feature, ListOf):
        return pa.list_(_arrow_type(feature.feature))
    return pa.struct([(name, _arrow_type(inner)) for name, inner in feature.items()])


def _to_yaml(feature: Feature) -> dict[str, Any]:
    """One feature as a dataset card's YAML has it (``Features._to_yaml_list``): a value
    is its dtype, a list of values ``list: dtype``, a list of structs the structs' fields."""
    if isinstance(feature, Value):
        return {"dtype": feature.dtype}
    if isinstance(feature, ListOf):
        inner = _to_yaml(feature.feature)
        if list(inner) in (["dtype"], ["struct"]):
            return {"list": next(iter(inner.values()))}
        return {"list": inner}
    return {"struct": [{"name": name, **_to_yaml(inner)} for name, inner in feature.items()]}


#: Columns that lead every table they occur in, so the key fields come first.
LEADING_COLUMNS = ("id", "document_id", "span", "statement")


@dataclass(frozen=True)
class Features:
    """A table's columns and their features, in column order."""

    columns: dict[str, Feature]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of ``datasets.Features.to_dict``."""
        return {name: _to_dict(feature) for name, feature in self.columns.items()}

    @property
    def arrow_schema(self) -> pa.Schema:
        """The Arrow schema ``datasets.Features.arrow_schema`` gives, metadata included."""
        metadata = json.dumps({"info": {"features": self.to_dict()}})
        schema = pa.schema([(name, _arrow_type(feature)) for name, feature in self.columns.items()])
        return schema.with_metadata({"huggingface": metadata})

    def yaml(self) -> dict[str, Any]:
        """A dataset card's ``dataset_info`` features (``DatasetInfo._to_yaml_dict``)."""
        return {
            "features": [
                {"name": name, **_to_yaml(feature)} for name, feature in self.columns.items()
            ]
        }


def features_for(model: type[BaseModel]) -> Features:
    features = features_dict(model)
    leading = [name for name in LEADING_COLUMNS if name in features]
    ordered = leading + [name for name in features if name not in leading]
    return Features({name: features[name] for name in ordered})
