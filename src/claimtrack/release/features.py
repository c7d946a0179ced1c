"""Explicit ``datasets.Features`` derived from the pydantic models, never inferred from data."""

from __future__ import annotations

import types
import typing
from enum import Enum
from typing import Any

import datasets
from pydantic import BaseModel


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


def feature_for(annotation: Any) -> Any:
    """The datasets feature of one annotation: str/enum -> string, int -> int64, list, struct."""
    annotation = _unwrap_optional(annotation)
    if typing.get_origin(annotation) is list:
        return datasets.List(feature_for(typing.get_args(annotation)[0]))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return features_dict(annotation)
        if issubclass(annotation, bool):
            return datasets.Value("bool")
        if issubclass(annotation, Enum | str):
            return datasets.Value("string")  # enums ship as strings, never ClassLabel
        if issubclass(annotation, int):
            return datasets.Value("int64")
    raise TypeError(f"no datasets feature for {annotation!r}")


def features_dict(model: type[BaseModel]) -> dict[str, Any]:
    return {
        (field.alias or name): feature_for(field.annotation)
        for name, field in model.model_fields.items()
    }


#: Columns that lead every table they occur in, so the key fields come first.
LEADING_COLUMNS = ("id", "document_id", "span", "statement")


def features_for(model: type[BaseModel]) -> datasets.Features:
    features = features_dict(model)
    leading = [name for name in LEADING_COLUMNS if name in features]
    ordered = leading + [name for name in features if name not in leading]
    return datasets.Features({name: features[name] for name in ordered})
